// Result codes under the original TS SDK's names (its README's `code` table, spelling
// included, so existing `code === ...` checks keep working), the codes imsdk adds, and
// the names of the state, reason and loss values of include/imsdk.h.

/** Return and result codes. The numbers are the C library's (include/imsdk.h). */
export const ResultCode = Object.freeze({
  // Names and numbers of the TS SDK.
  COMMON_CODE_OK: 0,
  COMMON_NO_LOGIN: 1,
  COMMON_UNKNOW_ERROR: 2,
  COMMON_DATA_SEND_FAILD: 3,
  COMMON_INVALID_PROTOCAL: 4,
  BREOKEN_CONNECT_TO_SERVER: 201,
  BAD_CONNECT_TO_SERVER: 202,
  CLIENT_SDK_NO_INITIALED: 203,
  LOCAL_NETWORK_NOT_WORKING: 204,
  TO_SERVER_NET_INFO_NOT_SETUP: 205,
  RESPONSE_FOR_UNLOGIN: 301,
  // Added by imsdk.
  SERVER_BUSY: 302,
  NO_SUCH_GROUP: 303,
  INVALID_ARGUMENT: 1000,
  ALREADY_LOGGED_IN: 1001,
  QUEUE_FULL: 1002,
  TLS_FAILED: 1003,
  INVALID_HANDLE: 1004,
  INTERNAL_PANIC: 1005,
});

const CODE_TEXT = {
  0: 'ok',
  1: 'not logged in',
  2: 'unknown error',
  3: 'send failed',
  4: 'invalid packet (too large, or an undecodable login response)',
  201: 'link down',
  202: 'could not connect to the server (or no login response in time)',
  203: 'SDK not initialised (call getInstance({wsUrl, ...}) first; released instances are dead)',
  204: 'the local network is down',
  205: 'server URL missing or malformed',
  301: 'the server says this connection is not logged in',
  302: 'the server is busy: send less often',
  303: 'the group does not exist',
  1000: 'invalid argument',
  1001: 'already logged in',
  1002: 'queue full: too many QoS messages pending, or maxOutboundBytes waiting to be written (send without Qos, echo)',
  1003: 'TLS handshake or certificate verification failed',
  1004: 'invalid handle',
  1005: 'internal error: the client is unusable, release it',
};

/**
 * The code the JS API reports for a code of the native layer. They are the same
 * numbers except IM_ERR_INVALID_HANDLE (1004): a released client is, in the TS SDK's
 * terms, an SDK that is not initialised (203).
 * @param {number} code
 * @returns {number}
 */
export function mapNativeCode(code) {
  if (typeof code !== 'number' || !Number.isInteger(code)) {
    return ResultCode.COMMON_UNKNOW_ERROR;
  }
  return code === ResultCode.INVALID_HANDLE ? ResultCode.CLIENT_SDK_NO_INITIALED : code;
}

/**
 * English description of a code; server refusal codes of a login get a generic text.
 * @param {number} code
 * @returns {string}
 */
export function describeCode(code) {
  return CODE_TEXT[code] || `code ${code} (a server-defined refusal or an unknown code)`;
}

/** IM_STATE_* */
export const State = Object.freeze({ IDLE: 0, CONNECTING: 1, AUTHENTICATING: 2, ONLINE: 3, WAITING: 4 });
/** IM_REASON_*: why the state changed. */
export const StateReason = Object.freeze({
  LOGIN_REQUESTED: 1, CONNECTED: 2, LOGIN_ACCEPTED: 3, RECONNECTING: 4, ATTEMPT_STARTED: 5,
  LOGIN_FAILED: 6, LOGGED_OUT: 7, KICKED: 8, RELEASED: 9, LINK_LOST: 10, NETWORK_DOWN: 11,
});
/** IM_LINK_*: why an online link closed. */
export const LinkCloseReason = Object.freeze({
  SERVER_CLOSED: 1, NETWORK_ERROR: 2, KEEPALIVE_TIMEOUT: 3, NOT_LOGGED_IN: 4,
  LOGIN_TIMEOUT: 5, PROTOCOL_ERROR: 6, NETWORK_DOWN: 7,
});
/** IM_LOST_*: why a QoS message will never be acknowledged. */
export const LostReason = Object.freeze({ TIMEOUT: 1, CANCELLED: 2, REJECTED: 3 });
/**
 * IM_KICK_*: DUPLICATE_LOGIN is the same user logging in elsewhere (a MobileIMSDK
 * kickout, or a seed server closing the session with 4001); codes above 100 are the
 * server application's.
 */
export const KickCode = Object.freeze({ DUPLICATE_LOGIN: 1, BY_ADMIN: 2 });

/**
 * The name of `value` in one of the tables above, or `'UNKNOWN'`.
 * @param {Readonly<Record<string, number>>} table
 * @param {number} value
 */
export function nameOf(table, value) {
  const found = Object.keys(table).find((k) => table[k] === value);
  return found || 'UNKNOWN';
}
