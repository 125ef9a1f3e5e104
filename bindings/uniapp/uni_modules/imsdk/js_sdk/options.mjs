// getInstance's options (the TS SDK's WSOptions plus imsdk's own) checked and turned
// into the flat record the native bridge takes (ImNativeOptions in utssdk/interface.uts).
import { ResultCode, describeCode } from './codes.mjs';

/** An error with one of the ResultCode values. */
export class ImsdkError extends Error {
  /**
   * @param {number} code
   * @param {string} message
   */
  constructor(code, message) {
    super(`${message} (code ${code}: ${describeCode(code)})`);
    this.name = 'ImsdkError';
    this.code = code;
  }
}

const DIALECTS = { seed: 0, mobileimsdk: 1 };
const TIMING_KEYS = ['keepaliveIntervalMs', 'keepaliveTimeoutMs', 'connectTimeoutMs', 'loginTimeoutMs'];
const CALLBACK_GROUPS = ['chatBaseCB', 'chatTransDataCB', 'messageQoSCB'];
const MAX_TIMING_MS = 86400000;
// Memory bounds (include/imsdk.h ImOptions; docs/protocol.md R61, R62): checked here as
// 32-bit whole numbers, their ranges by the native library (its message says which).
const CAP_KEYS = ['maxCallbackBacklog', 'maxCallbackBacklogBytes', 'maxOutboundBytes'];
const MAX_U32 = 4294967295;

function invalid(message) {
  return new ImsdkError(ResultCode.INVALID_ARGUMENT, message);
}

/**
 * Checks getInstance's options and returns the native bridge's options.
 * Throws ImsdkError: 205 for a missing or non-ws URL, 1000 for anything else wrong.
 * @param {object} options
 * @returns {{url: string, dialect: number, subprotocol: string, autoRelogin: boolean,
 *   keepaliveIntervalMs: number, keepaliveTimeoutMs: number, connectTimeoutMs: number,
 *   loginTimeoutMs: number, maxCallbackBacklog: number, maxCallbackBacklogBytes: number,
 *   maxOutboundBytes: number}} (0: the library's default)
 */
export function toNativeOptions(options) {
  if (options === null || typeof options !== 'object') {
    throw new ImsdkError(ResultCode.TO_SERVER_NET_INFO_NOT_SETUP, 'getInstance needs {wsUrl, ...}');
  }
  const { wsUrl } = options;
  if (typeof wsUrl !== 'string' || !/^wss?:\/\/[^/\s]+/i.test(wsUrl)) {
    throw new ImsdkError(ResultCode.TO_SERVER_NET_INFO_NOT_SETUP, 'wsUrl must be a ws:// or wss:// URL');
  }
  const dialectName = options.dialect === undefined ? 'seed' : options.dialect;
  if (!Object.prototype.hasOwnProperty.call(DIALECTS, dialectName)) {
    throw invalid(`dialect must be 'seed' or 'mobileimsdk', not ${JSON.stringify(dialectName)}`);
  }
  // The TS SDK spelt it wsProtocal; both spellings are read.
  const subprotocol = options.wsProtocal !== undefined ? options.wsProtocal : options.wsProtocol;
  if (subprotocol !== undefined && subprotocol !== null && typeof subprotocol !== 'string') {
    throw invalid('wsProtocal must be a string');
  }
  if (subprotocol && dialectName === 'mobileimsdk') {
    // A subprotocol makes the MobileIMSDK handshake fail (PROTOCOL.md D16).
    throw invalid('wsProtocal is for the seed dialect only: mobileimsdk servers negotiate none');
  }
  if (options.autoRelogin !== undefined && typeof options.autoRelogin !== 'boolean') {
    throw invalid('autoRelogin must be a boolean');
  }
  for (const group of CALLBACK_GROUPS) {
    const value = options[group];
    if (value !== undefined && value !== null && typeof value !== 'object') {
      throw invalid(`${group} must be an object of callbacks`);
    }
  }
  const native = {
    url: wsUrl,
    dialect: DIALECTS[dialectName],
    subprotocol: subprotocol || '',
    autoRelogin: options.autoRelogin !== false,
    keepaliveIntervalMs: 0,
    keepaliveTimeoutMs: 0,
    connectTimeoutMs: 0,
    loginTimeoutMs: 0,
    maxCallbackBacklog: 0,
    maxCallbackBacklogBytes: 0,
    maxOutboundBytes: 0,
  };
  for (const key of TIMING_KEYS) {
    const value = options[key];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value <= 0 || value > MAX_TIMING_MS) {
      throw invalid(`${key} must be a whole number of ms in 1..${MAX_TIMING_MS}`);
    }
    native[key] = value;
  }
  for (const key of CAP_KEYS) {
    const value = options[key];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value <= 0 || value > MAX_U32) {
      throw invalid(`${key} must be a positive whole number (the library checks its range)`);
    }
    native[key] = value;
  }
  return native;
}

/** The dialect's default typeu of a sent message (PROTOCOL.md D13). */
export function defaultTypeu(nativeDialect) {
  return nativeDialect === DIALECTS.mobileimsdk ? -1 : 0;
}
