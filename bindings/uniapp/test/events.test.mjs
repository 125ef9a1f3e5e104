// Fan-out of native events onto the TS SDK's callback groups (chatBaseCB,
// chatTransDataCB, messageQoSCB), through the manager as an app sees it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSdk } from '../uni_modules/imsdk/js_sdk/manager.mjs';
import { createFakeNative, manualSchedule } from './support/fake-native.mjs';

const URL = 'ws://127.0.0.1:7901/ws';

/** An app with every callback, each recording [name, ...args]. */
function recordingApp(extra = {}) {
  const log = [];
  const rec = (name) => (...args) => log.push([name, ...args]);
  const options = {
    wsUrl: URL,
    chatBaseCB: {
      onLoginOrReloginSuccessCB: rec('success'),
      onLoginOrReloginFailCB: rec('fail'),
      onLinkCloseMessageCB: rec('linkClose'),
      onKickoutCB: rec('kickout'),
      onStateChangeCB: rec('state'),
      onReleaseCB: rec('release'),
    },
    chatTransDataCB: {
      onTransBufferCB: rec('buffer'),
      onTransErrorCB: rec('error'),
      onEchoCB: rec('echo'),
    },
    messageQoSCB: {
      handleMessageLost: rec('lost'),
      messagesBeReceivedCB: rec('received'),
    },
    ...extra,
  };
  return { log, options };
}

function setup(options, hooks = {}) {
  const native = createFakeNative();
  const IMClientManager = createSdk(native, { schedule: manualSchedule(), ...hooks });
  const im = IMClientManager.getInstance(options);
  return { native, im, IMClientManager };
}

test('login results: success and failure callbacks get the code and the re-login flag', () => {
  const { log, options } = recordingApp();
  const { native } = setup(options);
  native.emit(1, { kind: 'loginResult', code: 0, isRelogin: false });
  native.emit(1, { kind: 'loginResult', code: 0, isRelogin: true });
  native.emit(1, { kind: 'loginResult', code: 202, isRelogin: false });
  native.emit(1, { kind: 'loginResult', code: 1103, isRelogin: true });
  assert.deepEqual(log, [
    ['success', { code: 0, isRelogin: false }],
    ['success', { code: 0, isRelogin: true }],
    ['fail', { code: 202, isRelogin: false, message: 'could not connect to the server (or no login response in time)' }],
    ['fail', { code: 1103, isRelogin: true, message: 'code 1103 (a server-defined refusal or an unknown code)' }],
  ]);
});

test('link closed, kickout, state and release go to chatBaseCB with names', () => {
  const { log, options } = recordingApp();
  const { native } = setup(options);
  native.emit(1, { kind: 'linkClosed', reason: 3 });
  native.emit(1, { kind: 'stateChanged', state: 4, reason: 4, attempt: 2, delayMs: 3100 });
  native.emit(1, { kind: 'kicked', code: 1, text: '' });
  native.emit(1, { kind: 'release' });
  assert.deepEqual(log, [
    ['linkClose', { reason: 3, reasonName: 'KEEPALIVE_TIMEOUT' }],
    ['state', { state: 4, stateName: 'WAITING', reason: 4, reasonName: 'RECONNECTING', attempt: 2, delayMs: 3100 }],
    ['kickout', { code: 1, reason: '' }],
    ['release'],
  ]);
});

test('a received message reaches onTransBufferCB in the Protocal shape, content verbatim', () => {
  const { log, options } = recordingApp();
  const { native } = setup(options);
  const content = '{"text":"hi","url":"https://x.example/?a=b&c=d"}';
  native.emit(1, {
    kind: 'message',
    message: { fp: 'f1', from: '2', to: '1', content, typeu: 0, serverTime: 1589000000000, qos: true, bridge: false },
  });
  native.emit(1, {
    kind: 'message',
    message: { fp: '', from: '2', to: '1', content: 'a\u0000b 😀', typeu: -1, serverTime: -1, qos: false, bridge: true },
  });
  assert.deepEqual(log, [
    ['buffer', { bridge: false, type: 2, dataContent: content, from: '2', to: '1', fp: 'f1', Qos: true, typeu: 0, sendTs: 1589000000000 }],
    ['buffer', { bridge: true, type: 2, dataContent: 'a\u0000b 😀', from: '2', to: '1', fp: null, Qos: false, typeu: -1, sendTs: null }],
  ]);
});

test('server errors, echo and acks go to their TS callbacks', () => {
  const { log, options } = recordingApp();
  const { native } = setup(options);
  native.emit(1, { kind: 'serverError', code: 303, text: 'group not exists' });
  native.emit(1, { kind: 'echo', text: 'ping?' });
  native.emit(1, { kind: 'messageAcked', fp: 'f7ebead0' });
  assert.deepEqual(log, [
    ['error', { errorCode: 303, errorMsg: 'group not exists' }],
    ['echo', 'ping?'],
    ['received', 'f7ebead0'],
  ]);
});

test('lost messages: the sent Protocal from the logged-in user, each with its reason', () => {
  const { log, options } = recordingApp();
  const { native, im } = setup(options);
  im.login({ loginUserId: 'alice', loginToken: 't' });
  native.emit(1, {
    kind: 'messagesLost',
    lost: [
      { fp: 'a', to: 'bob', content: 'one', typeu: 0, reason: 1 },
      { fp: 'b', to: 'g1', content: 'two', typeu: 1, reason: 2 },
    ],
  });
  assert.deepEqual(log, [[
    'lost',
    [
      { bridge: false, type: 2, dataContent: 'one', from: 'alice', to: 'bob', fp: 'a', Qos: true, typeu: 0, sendTs: null, reason: 1, reasonName: 'TIMEOUT' },
      { bridge: false, type: 2, dataContent: 'two', from: 'alice', to: 'g1', fp: 'b', Qos: true, typeu: 1, sendTs: null, reason: 2, reasonName: 'CANCELLED' },
    ],
  ]]);
});

test('missing callbacks and groups are skipped; unknown event kinds are ignored', () => {
  const { native } = setup({ wsUrl: URL, chatBaseCB: {} });
  for (const kind of ['loginResult', 'linkClosed', 'message', 'serverError', 'messagesLost',
    'messageAcked', 'kicked', 'stateChanged', 'echo', 'somethingNew']) {
    native.emit(1, { kind, code: 0, message: { content: '' }, lost: [] });
  }
  native.emit(1, null);
});

test('mistake 16: a callback that throws is reported; later events still arrive', () => {
  const errors = [];
  const { log, options } = recordingApp();
  options.chatTransDataCB.onTransBufferCB = () => { throw new Error('render failed'); };
  const { native } = setup(options, { onCallbackError: (e, name) => errors.push([e.message, name]) });
  native.emit(1, { kind: 'message', message: { fp: 'x', from: '2', to: '1', content: 'c', typeu: 0, serverTime: -1, qos: true, bridge: false } });
  native.emit(1, { kind: 'messageAcked', fp: 'y' });
  assert.deepEqual(errors, [['render failed', 'chatTransDataCB.onTransBufferCB']]);
  assert.deepEqual(log, [['received', 'y']]);
});

test('callbacks are called with their group as this (TS SDK object style)', () => {
  const seen = [];
  const chatBaseCB = {
    tag: 'base',
    onLinkCloseMessageCB() { seen.push(this.tag); },
  };
  const { native } = setup({ wsUrl: URL, chatBaseCB });
  native.emit(1, { kind: 'linkClosed', reason: 1 });
  assert.deepEqual(seen, ['base']);
});

test('native events arrive as JSON text: parsed, and a malformed one is reported, not thrown', () => {
  const errors = [];
  const { log, options } = recordingApp();
  const { native, IMClientManager } = setup(options, { onCallbackError: (e, name) => errors.push(name) });
  native.emit(1, JSON.stringify({ kind: 'messageAcked', fp: 'f1' }));
  native.emit(1, '{"kind":');
  native.emit(1, JSON.stringify({
    kind: 'message',
    message: { fp: '', from: '2', to: '1', content: 'nul\u0000 and 😀', typeu: 0, serverTime: -1, qos: false, bridge: false },
  }));
  native.emit(1, JSON.stringify({ kind: 'release' }));
  assert.deepEqual(errors, ['native event (not JSON)']);
  assert.deepEqual(log.map((entry) => entry[0]), ['received', 'buffer', 'release']);
  assert.equal(log[0][1], 'f1');
  assert.equal(log[1][1].dataContent, 'nul\u0000 and 😀');
  assert.equal(IMClientManager.getInitFlag(), false, 'a release event in JSON ends the instance too');
});

test('messages lost at logout or release still name the user who sent them', () => {
  const { log, options } = recordingApp();
  const { native, im } = setup(options);
  im.login({ loginUserId: 'alice', loginToken: 't' });
  assert.equal(im.logout(), 0);
  assert.equal(im.getCurrentLoginUserId(), '');
  native.emit(1, { kind: 'messagesLost', lost: [{ fp: 'a', to: 'bob', content: 'x', typeu: 0, reason: 2 }] });
  im.login({ loginUserId: 'alice', loginToken: 't' });
  im.release();
  native.emit(1, { kind: 'messagesLost', lost: [{ fp: 'b', to: 'bob', content: 'y', typeu: 0, reason: 2 }] });
  const lost = log.filter((e) => e[0] === 'lost').map((e) => e[1][0].from);
  assert.deepEqual(lost, ['alice', 'alice']);
});

test('the session ends for the JS layer when the native state goes IDLE (failed login, kick)', () => {
  const { options } = recordingApp();
  const { native, im } = setup(options);
  im.login({ loginUserId: 'alice', loginToken: 't' });
  assert.equal(im.getCurrentLoginUserId(), 'alice');
  native.emit(1, { kind: 'stateChanged', state: 0, reason: 8, attempt: 0, delayMs: 0 });
  assert.equal(im.getCurrentLoginUserId(), '');
  assert.equal(im.send({ dataContent: 'x', toId: 'bob', fromId: 'alice' }).code, 1000, 'fromId needs a session');
});
