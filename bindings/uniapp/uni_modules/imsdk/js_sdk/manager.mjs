// The TS SDK's API (IMClientManager.getInstance / login / send / logout / release)
// over imsdk's native bridge. Platform-free: index.mjs binds it to the UTS plugin, the
// Node tests to a fake bridge. Everything the TS SDK did on its own (keepalive,
// re-login, QoS resends, de-duplication) is the native library's job; this file only
// checks arguments, maps names and codes, and fans events out.
import { ResultCode, State, describeCode, mapNativeCode } from './codes.mjs';
import { createEventFanOut } from './events.mjs';
import { ImsdkError, defaultTypeu, toNativeOptions } from './options.mjs';

/** The bridge's typeu for "the dialect's default" (IM_TYPEU_DEFAULT, INT32_MIN). */
const TYPEU_DEFAULT = -2147483648;

const isOptionalString = (v) => v === undefined || v === null || typeof v === 'string';

/**
 * Builds the SDK over a native bridge (the functions of utssdk/interface.uts).
 * @param {object} native  imCreate, imLogin, imSend, imLogout, imRelease,
 *   imNetworkChanged, imEcho, imLastError
 * @param {{schedule?: (fn: () => void) => void,
 *   onCallbackError?: (error: unknown, name: string) => void}} [hooks]
 *   `schedule` runs the `callBack`s of login/send/logout after the call returns (as the
 *   TS SDK did; default: a microtask). `onCallbackError` hears about app callbacks that
 *   threw (default: console.error).
 */
export function createSdk(native, hooks = {}) {
  const schedule = hooks.schedule || ((fn) => Promise.resolve().then(fn));
  const onCallbackError =
    hooks.onCallbackError || ((error, name) => console.error(`imsdk: ${name} threw`, error));
  let instance = null;

  const later = (callBack, ...args) => {
    if (typeof callBack === 'function') {
      schedule(() => {
        try {
          callBack(...args);
        } catch (error) {
          onCallbackError(error, 'callBack');
        }
      });
    }
  };

  class IMClientManager {
    /**
     * A client of its own (several accounts at once); most apps use getInstance.
     * Throws ImsdkError (205: bad wsUrl, 1000: another bad option, or the native code).
     */
    constructor(options) {
      const nativeOptions = toNativeOptions(options);
      this._dialect = nativeOptions.dialect;
      this._released = false;
      // The user of the latest accepted login: kept after logout and release, since the
      // messages reported lost then (CANCELLED) were sent by that user.
      this._userId = '';
      this._inSession = false;
      this._lastError = '';
      const dispatch = createEventFanOut(options, {
        currentUserId: () => this._userId,
        onCallbackError,
      });
      // The native layers hand each event over as JSON text (one keep-alive callback per
      // client; JSON keeps the bridges free of per-platform object conversions).
      const onEvent = (raw) => {
        let event = raw;
        if (typeof raw === 'string') {
          try {
            event = JSON.parse(raw);
          } catch (error) {
            onCallbackError(error, 'native event (not JSON)');
            return;
          }
        }
        if (event && event.kind === 'release') this._markReleased();
        if (event && event.kind === 'stateChanged' && event.state === State.IDLE) this._inSession = false;
        dispatch(event);
      };
      const created = native.imCreate(nativeOptions, onEvent);
      if (!created || created.code !== 0) {
        const code = created ? mapNativeCode(created.code) : ResultCode.COMMON_UNKNOW_ERROR;
        throw new ImsdkError(code, (created && created.error) || 'the native client was not created');
      }
      this._handle = created.handle;
      this._watchNetwork(options.uni);
    }

    /**
     * The shared client: created by the first call (which needs the options), returned
     * as is by later calls (their options are ignored, as in the TS SDK). After
     * release() the next call with options creates a new client.
     */
    static getInstance(options) {
      if (instance === null || instance._released) {
        instance = null;
        instance = new IMClientManager(options);
      }
      return instance;
    }

    /** True while a shared client exists (TS SDK name). */
    static getInitFlag() {
      return instance !== null && !instance._released;
    }

    /**
     * Starts the session. Returns (and passes to `callBack`, after this call returns)
     * 0 when accepted; the outcome then comes to chatBaseCB.onLoginOrReloginSuccessCB or
     * onLoginOrReloginFailCB. Re-logins after a link loss are automatic.
     */
    login({ loginUserId, loginToken, app, extra, callBack } = {}) {
      let code;
      if (typeof loginUserId !== 'string' || loginUserId === '' || typeof loginToken !== 'string') {
        code = this._fail(ResultCode.INVALID_ARGUMENT, 'loginUserId (non-empty) and loginToken must be strings');
      } else if (!isOptionalString(app) || !isOptionalString(extra)) {
        code = this._fail(ResultCode.INVALID_ARGUMENT, 'app and extra must be strings when given');
      } else {
        code = this._call(() => native.imLogin(this._handle, loginUserId, loginToken, app || '', extra || ''));
        if (code === 0) {
          this._userId = loginUserId;
          this._inSession = true;
        }
      }
      later(callBack, code);
      return code;
    }

    /**
     * Sends `dataContent` from the logged-in user to `toId`. Returns {code, fp};
     * `callBack(code, msg)` gets the sent message in the TS SDK's Protocal shape. With
     * Qos (default true) exactly one messagesBeReceivedCB(fp) or handleMessageLost
     * follows; while offline it is queued. `typeu` defaults to the dialect's (seed 0,
     * mobileimsdk -1). `fromId`, if given, must be the logged-in user.
     */
    send({ dataContent, toId, Qos = true, fingerPrint, typeu, fromId, callBack } = {}) {
      let code;
      let fp = '';
      const usedTypeu = typeu === undefined || typeu === null ? defaultTypeu(this._dialect) : typeu;
      if (typeof dataContent !== 'string') {
        code = this._fail(ResultCode.INVALID_ARGUMENT, 'dataContent must be a string');
      } else if (typeof toId !== 'string' || toId === '') {
        code = this._fail(ResultCode.INVALID_ARGUMENT, 'toId must be a non-empty string');
      } else if (typeof Qos !== 'boolean') {
        code = this._fail(ResultCode.INVALID_ARGUMENT, 'Qos must be a boolean');
      } else if (!isOptionalString(fingerPrint)) {
        code = this._fail(ResultCode.INVALID_ARGUMENT, 'fingerPrint must be a string');
      } else if (!Number.isInteger(usedTypeu) || usedTypeu < -2147483647 || usedTypeu > 2147483647) {
        code = this._fail(ResultCode.INVALID_ARGUMENT, 'typeu must be a 32-bit integer');
      } else if (fromId !== undefined && fromId !== null && !(this._inSession && fromId === this._userId)) {
        // The sender is always the logged-in user (PROTOCOL.md R4).
        code = this._fail(ResultCode.INVALID_ARGUMENT, 'fromId must be the logged-in user (or left out)');
      } else {
        const nativeTypeu = typeu === undefined || typeu === null ? TYPEU_DEFAULT : typeu;
        let result = null;
        code = this._call(() => {
          result = native.imSend(this._handle, toId, dataContent, Qos, nativeTypeu, fingerPrint || '');
          return result ? result.code : ResultCode.COMMON_UNKNOW_ERROR;
        });
        if (code === 0 && result) fp = result.fp || '';
      }
      const msg = {
        bridge: false,
        type: 2,
        dataContent,
        from: this._inSession ? this._userId : '',
        to: toId,
        fp: fp || (fingerPrint ? fingerPrint : null),
        Qos,
        typeu: usedTypeu,
        retryCount: 0,
        sendTs: null,
      };
      later(callBack, code, msg);
      return { code, fp };
    }

    /**
     * Ends the session: pending QoS messages go to handleMessageLost (reason
     * CANCELLED), nothing reconnects until the next login. Returns the code, also passed
     * to `callBack` after this call returns.
     */
    logout(callBack) {
      const code = this._call(() => native.imLogout(this._handle));
      if (code === 0) this._inSession = false;
      later(callBack, code);
      return code;
    }

    /**
     * Destroys the client: pending QoS messages are reported lost (CANCELLED), then
     * chatBaseCB.onReleaseCB runs last. Later calls on this object return 203; the next
     * getInstance(options) creates a new client.
     */
    release() {
      if (this._released) return ResultCode.CLIENT_SDK_NO_INITIALED;
      const code = this._call(() => native.imRelease(this._handle));
      this._markReleased();
      return code;
    }

    /** Kept for code written against the TS SDK; release() already does this. */
    resetInitFlag() {}

    /** Tells the client whether the device has network (automatic with options.uni). */
    networkChanged(available) {
      return this._call(() => native.imNetworkChanged(this._handle, Boolean(available)));
    }

    /** Asks the server to echo `text`: chatTransDataCB.onEchoCB follows. */
    echo(text) {
      if (typeof text !== 'string') return this._fail(ResultCode.INVALID_ARGUMENT, 'text must be a string');
      return this._call(() => native.imEcho(this._handle, text));
    }

    /** The user id of the current session ('' when none). */
    getCurrentLoginUserId() {
      return this._inSession ? this._userId : '';
    }

    /** What was wrong with this client's last refused call ('' after a success). */
    getLastError() {
      return this._lastError;
    }

    _call(fn) {
      if (this._released) {
        return this._fail(ResultCode.CLIENT_SDK_NO_INITIALED, 'the client was released');
      }
      const code = mapNativeCode(fn());
      this._lastError = code === 0 ? '' : native.imLastError() || describeCode(code);
      return code;
    }

    _fail(code, message) {
      this._lastError = message;
      return code;
    }

    _markReleased() {
      if (this._released) return;
      this._released = true;
      this._inSession = false;
      if (this._unwatchNetwork) this._unwatchNetwork();
      if (instance === this) instance = null;
    }

    _watchNetwork(uni) {
      if (!uni || typeof uni.onNetworkStatusChange !== 'function') return;
      const listener = (res) => {
        if (!this._released && res && typeof res.isConnected === 'boolean') {
          this.networkChanged(res.isConnected);
        }
      };
      uni.onNetworkStatusChange(listener);
      this._unwatchNetwork = () => {
        if (typeof uni.offNetworkStatusChange === 'function') uni.offNetworkStatusChange(listener);
      };
    }
  }

  return IMClientManager;
}
