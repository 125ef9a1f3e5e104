// Fan-out of the native bridge's events (one keep-alive callback per client, events
// shaped as ImNativeEvent in utssdk/interface.uts) onto the TS SDK's three callback
// groups. Where the TS SDK had no callback (kickout, state, echo, release) the group
// that fits gets a new one; the TS callbacks that had no arguments now get one object
// with the code, which callers that ignore arguments do not notice.
//
//   native event    →  callback
//   loginResult 0   →  chatBaseCB.onLoginOrReloginSuccessCB({code, isRelogin})
//   loginResult ≠0  →  chatBaseCB.onLoginOrReloginFailCB({code, isRelogin, message})
//   linkClosed      →  chatBaseCB.onLinkCloseMessageCB({reason, reasonName})
//   kicked          →  chatBaseCB.onKickoutCB({code, reason})                      (new)
//   stateChanged    →  chatBaseCB.onStateChangeCB({state, stateName, reason, …})   (new)
//   release         →  chatBaseCB.onReleaseCB()                                    (new)
//   message         →  chatTransDataCB.onTransBufferCB(protocal)
//   serverError     →  chatTransDataCB.onTransErrorCB({errorCode, errorMsg})
//   echo            →  chatTransDataCB.onEchoCB(text)                              (new)
//   messagesLost    →  messageQoSCB.handleMessageLost([protocal + {reason, reasonName}])
//   messageAcked    →  messageQoSCB.messagesBeReceivedCB(fp)
import { LinkCloseReason, LostReason, State, StateReason, describeCode, nameOf } from './codes.mjs';

/**
 * A received message in the TS SDK's Protocal shape (its field names, `Qos` and
 * `sendTs` included). `sendTs` is null when the server sent no time; `fp` is null when
 * the message has none.
 */
export function toProtocal(message) {
  return {
    bridge: Boolean(message.bridge),
    type: 2,
    dataContent: message.content,
    from: message.from,
    to: message.to,
    fp: message.fp ? message.fp : null,
    Qos: Boolean(message.qos),
    typeu: message.typeu,
    sendTs: message.serverTime > 0 ? message.serverTime : null,
  };
}

/** A lost QoS message: the Protocal that was sent, plus why it is lost. */
export function toLostProtocal(lost, fromUserId) {
  return {
    bridge: false,
    type: 2,
    dataContent: lost.content,
    from: fromUserId,
    to: lost.to,
    fp: lost.fp,
    Qos: true,
    typeu: lost.typeu,
    sendTs: null,
    reason: lost.reason,
    reasonName: nameOf(LostReason, lost.reason),
  };
}

/**
 * Returns `dispatch(event)`, which calls the matching callback of `callbacks`
 * ({chatBaseCB, chatTransDataCB, messageQoSCB}). Missing callbacks are skipped; a
 * callback that throws is reported through `onCallbackError(error, name)` and does not
 * stop later events. Unknown event kinds are ignored (a newer native layer).
 * @param {{chatBaseCB?: object, chatTransDataCB?: object, messageQoSCB?: object}} callbacks
 * @param {{currentUserId: () => string, onCallbackError: (error: unknown, name: string) => void}} context
 */
export function createEventFanOut(callbacks, context) {
  const groups = {
    chatBaseCB: callbacks.chatBaseCB || {},
    chatTransDataCB: callbacks.chatTransDataCB || {},
    messageQoSCB: callbacks.messageQoSCB || {},
  };
  const call = (group, name, arg) => {
    const fn = groups[group][name];
    if (typeof fn !== 'function') return;
    try {
      if (arg === undefined) fn.call(groups[group]);
      else fn.call(groups[group], arg);
    } catch (error) {
      context.onCallbackError(error, `${group}.${name}`);
    }
  };
  return function dispatch(event) {
    if (event === null || typeof event !== 'object') return;
    switch (event.kind) {
      case 'loginResult':
        if (event.code === 0) {
          call('chatBaseCB', 'onLoginOrReloginSuccessCB', { code: 0, isRelogin: Boolean(event.isRelogin) });
        } else {
          call('chatBaseCB', 'onLoginOrReloginFailCB', {
            code: event.code,
            isRelogin: Boolean(event.isRelogin),
            message: describeCode(event.code),
          });
        }
        break;
      case 'linkClosed':
        call('chatBaseCB', 'onLinkCloseMessageCB', {
          reason: event.reason,
          reasonName: nameOf(LinkCloseReason, event.reason),
        });
        break;
      case 'kicked':
        call('chatBaseCB', 'onKickoutCB', { code: event.code, reason: event.text || '' });
        break;
      case 'stateChanged':
        call('chatBaseCB', 'onStateChangeCB', {
          state: event.state,
          stateName: nameOf(State, event.state),
          reason: event.reason,
          reasonName: nameOf(StateReason, event.reason),
          attempt: event.attempt || 0,
          delayMs: event.delayMs || 0,
        });
        break;
      case 'release':
        call('chatBaseCB', 'onReleaseCB');
        break;
      case 'message':
        if (event.message) call('chatTransDataCB', 'onTransBufferCB', toProtocal(event.message));
        break;
      case 'serverError':
        call('chatTransDataCB', 'onTransErrorCB', { errorCode: event.code, errorMsg: event.text || '' });
        break;
      case 'echo':
        call('chatTransDataCB', 'onEchoCB', event.text || '');
        break;
      case 'messagesLost': {
        const from = context.currentUserId();
        const lost = (event.lost || []).map((m) => toLostProtocal(m, from));
        call('messageQoSCB', 'handleMessageLost', lost);
        break;
      }
      case 'messageAcked':
        call('messageQoSCB', 'messagesBeReceivedCB', event.fp);
        break;
      default:
        break;
    }
  };
}
