// The TS-SDK-compatible API over a fake native bridge: options, singleton, login, send,
// logout, release, codes. Tests about the original SDK's mistakes name them
// (PROTOCOL.md §10).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSdk } from '../uni_modules/imsdk/js_sdk/manager.mjs';
import { ResultCode, mapNativeCode } from '../uni_modules/imsdk/js_sdk/codes.mjs';
import { ImsdkError } from '../uni_modules/imsdk/js_sdk/options.mjs';
import { createFakeNative, manualSchedule } from './support/fake-native.mjs';

const URL = 'ws://127.0.0.1:7901/ws';

function setup(hooks = {}) {
  const native = createFakeNative();
  const schedule = manualSchedule();
  const IMClientManager = createSdk(native, { schedule, ...hooks });
  return { native, schedule, IMClientManager };
}

test('getInstance needs a ws:// or wss:// wsUrl (205), as the TS SDK required one', () => {
  const { native, IMClientManager } = setup();
  for (const bad of [undefined, {}, { wsUrl: '' }, { wsUrl: 'http://x/ws' }, { wsUrl: 7 }]) {
    assert.throws(() => IMClientManager.getInstance(bad), (e) => e instanceof ImsdkError && e.code === 205);
  }
  assert.equal(native.callsOf('imCreate').length, 0);
});

test('options map to the native record: dialect, subprotocol, timings, defaults', () => {
  const { native, IMClientManager } = setup();
  new IMClientManager({ wsUrl: URL });
  new IMClientManager({
    wsUrl: 'wss://im.example/websocket', dialect: 'mobileimsdk', autoRelogin: false,
    keepaliveIntervalMs: 5000, keepaliveTimeoutMs: 8000, connectTimeoutMs: 3000, loginTimeoutMs: 9000,
  });
  new IMClientManager({ wsUrl: URL, wsProtocal: 'chat' });
  const [seed, mobile, withProtocol] = native.callsOf('imCreate').map((a) => a[0]);
  assert.deepEqual(seed, {
    url: URL, dialect: 0, subprotocol: '', autoRelogin: true,
    keepaliveIntervalMs: 0, keepaliveTimeoutMs: 0, connectTimeoutMs: 0, loginTimeoutMs: 0,
    maxCallbackBacklog: 0, maxCallbackBacklogBytes: 0, maxOutboundBytes: 0,
  });
  assert.deepEqual(mobile, {
    url: 'wss://im.example/websocket', dialect: 1, subprotocol: '', autoRelogin: false,
    keepaliveIntervalMs: 5000, keepaliveTimeoutMs: 8000, connectTimeoutMs: 3000, loginTimeoutMs: 9000,
    maxCallbackBacklog: 0, maxCallbackBacklogBytes: 0, maxOutboundBytes: 0,
  });
  assert.equal(withProtocol.subprotocol, 'chat');
});

test('r61_/r62_: the backlog and outbound caps reach the native record; 0 keeps the default', () => {
  const { native, IMClientManager } = setup();
  new IMClientManager({
    wsUrl: URL, maxCallbackBacklog: 50, maxCallbackBacklogBytes: 65536, maxOutboundBytes: 4294967295,
  });
  new IMClientManager({ wsUrl: URL, maxOutboundBytes: 1048576 });
  const [all, one] = native.callsOf('imCreate').map((a) => a[0]);
  assert.equal(all.maxCallbackBacklog, 50);
  assert.equal(all.maxCallbackBacklogBytes, 65536);
  assert.equal(all.maxOutboundBytes, 4294967295);
  assert.deepEqual([one.maxCallbackBacklog, one.maxCallbackBacklogBytes, one.maxOutboundBytes], [0, 0, 1048576]);
});

test('r61_/r62_: caps that are not positive 32-bit whole numbers are refused with 1000 and named', () => {
  const { native, IMClientManager } = setup();
  for (const key of ['maxCallbackBacklog', 'maxCallbackBacklogBytes', 'maxOutboundBytes']) {
    for (const bad of [0, -1, 1.5, '65536', 4294967296, null]) {
      assert.throws(
        () => new IMClientManager({ wsUrl: URL, [key]: bad }),
        (e) => e.code === 1000 && e.message.startsWith(key),
        `${key} = ${JSON.stringify(bad)}`,
      );
    }
  }
  assert.equal(native.callsOf('imCreate').length, 0);
});

test('a cap the native library finds out of range comes back as its 1000 and message', () => {
  const { native, IMClientManager } = setup();
  native.codes.imCreate = 1000;
  assert.throws(
    () => new IMClientManager({ wsUrl: URL, maxOutboundBytes: 100 }),
    (e) => e.code === ResultCode.INVALID_ARGUMENT && /refused by the fake/.test(e.message),
  );
  assert.equal(native.callsOf('imCreate')[0][0].maxOutboundBytes, 100, 'the range is the library\'s to check');
});

test('1002 QUEUE_FULL from a send without Qos (maxOutboundBytes) reaches callBack and getLastError', () => {
  const { native, schedule, IMClientManager } = setup();
  const im = IMClientManager.getInstance({ wsUrl: URL, maxOutboundBytes: 65536 });
  native.codes.imSend = 1002;
  const seen = [];
  const { code } = im.send({ dataContent: 'x', toId: 'bob', Qos: false, callBack: (c) => seen.push(c) });
  assert.equal(code, ResultCode.QUEUE_FULL);
  assert.equal(im.getLastError(), 'native detail for 1002');
  schedule.drain();
  assert.deepEqual(seen, [1002]);
});

test('d16_ (mistake 18): wsProtocal with the mobileimsdk dialect is refused before any connect', () => {
  const { native, IMClientManager } = setup();
  assert.throws(
    () => new IMClientManager({ wsUrl: URL, dialect: 'mobileimsdk', wsProtocal: 'chat' }),
    (e) => e.code === ResultCode.INVALID_ARGUMENT && /seed dialect only/.test(e.message),
  );
  assert.equal(native.callsOf('imCreate').length, 0);
});

test('bad options are refused with 1000 and say which', () => {
  const { IMClientManager } = setup();
  const cases = [
    [{ dialect: 'xmpp' }, /dialect/],
    [{ autoRelogin: 'yes' }, /autoRelogin/],
    [{ keepaliveIntervalMs: 0 }, /keepaliveIntervalMs/],
    [{ connectTimeoutMs: 1.5 }, /connectTimeoutMs/],
    [{ chatBaseCB: 'x' }, /chatBaseCB/],
  ];
  for (const [extra, pattern] of cases) {
    assert.throws(
      () => new IMClientManager({ wsUrl: URL, ...extra }),
      (e) => e.code === 1000 && pattern.test(e.message),
    );
  }
});

test('a native refusal at create becomes an ImsdkError with its code', () => {
  const { native, IMClientManager } = setup();
  native.codes.imCreate = 1000;
  assert.throws(() => IMClientManager.getInstance({ wsUrl: URL }), (e) => e.code === 1000 && /refused by the fake/.test(e.message));
  assert.equal(IMClientManager.getInitFlag(), false);
});

test('getInstance returns one shared client and ignores later options, like the TS SDK', () => {
  const { native, IMClientManager } = setup();
  const a = IMClientManager.getInstance({ wsUrl: URL });
  const b = IMClientManager.getInstance({ wsUrl: 'ws://elsewhere/ws' });
  assert.equal(a, b);
  assert.equal(IMClientManager.getInstance(), a);
  assert.equal(native.callsOf('imCreate').length, 1);
  assert.equal(IMClientManager.getInitFlag(), true);
});

test('r32_ (mistake 13): after release the shared client is dead (203) and getInstance makes a new one', () => {
  const { native, IMClientManager } = setup();
  const old = IMClientManager.getInstance({ wsUrl: URL });
  assert.equal(old.release(), 0);
  assert.equal(IMClientManager.getInitFlag(), false);
  assert.equal(old.login({ loginUserId: 'alice', loginToken: 't' }), ResultCode.CLIENT_SDK_NO_INITIALED);
  assert.equal(old.send({ dataContent: 'x', toId: 'bob' }).code, 203);
  assert.equal(old.release(), 203);
  assert.equal(native.callsOf('imLogin').length, 0, 'a released client never reaches the native layer');
  assert.throws(() => IMClientManager.getInstance(), (e) => e.code === 205);
  const fresh = IMClientManager.getInstance({ wsUrl: URL });
  assert.notEqual(fresh, old);
  assert.equal(fresh.login({ loginUserId: 'alice', loginToken: 't' }), 0);
  assert.equal(native.callsOf('imLogin')[0][0], 2, 'the new client has its own native handle');
});

test('a release the native layer reports (e.g. deferred from a callback) also ends the instance', () => {
  const { native, IMClientManager } = setup();
  const a = IMClientManager.getInstance({ wsUrl: URL });
  native.emit(1, { kind: 'release' });
  assert.equal(IMClientManager.getInitFlag(), false);
  assert.equal(a.logout(), 203);
});

test('login passes the TS arguments through; callBack(code) runs after login returns', () => {
  const { native, schedule, IMClientManager } = setup();
  const im = IMClientManager.getInstance({ wsUrl: URL });
  const seen = [];
  const code = im.login({ loginUserId: '1', loginToken: 'token', app: 'appName', callBack: (c) => seen.push(c) });
  assert.equal(code, 0);
  assert.deepEqual(seen, [], 'not called synchronously');
  schedule.drain();
  assert.deepEqual(seen, [0]);
  assert.deepEqual(native.callsOf('imLogin'), [[1, '1', 'token', 'appName', '']]);
  assert.equal(im.getCurrentLoginUserId(), '1');
});

test('login: bad arguments give 1000 without a native call; native codes pass through', () => {
  const { native, schedule, IMClientManager } = setup();
  const im = IMClientManager.getInstance({ wsUrl: URL });
  const seen = [];
  im.login({ loginUserId: '', loginToken: 't', callBack: (c) => seen.push(c) });
  im.login({ loginUserId: 'a', callBack: (c) => seen.push(c) });
  im.login({ loginUserId: 'a', loginToken: 't', extra: { not: 'a string' }, callBack: (c) => seen.push(c) });
  assert.match(im.getLastError(), /extra/);
  native.codes.imLogin = 1001;
  im.login({ loginUserId: 'a', loginToken: 't', callBack: (c) => seen.push(c) });
  assert.equal(im.getLastError(), 'native detail for 1001');
  schedule.drain();
  assert.deepEqual(seen, [1000, 1000, 1000, 1001]);
  assert.equal(native.callsOf('imLogin').length, 1);
  assert.equal(im.getCurrentLoginUserId(), '', 'a refused login sets no user');
});

test('send: Qos on by default, dialect typeu left to the native layer, fp returned and in msg', () => {
  const { native, schedule, IMClientManager } = setup();
  const im = IMClientManager.getInstance({ wsUrl: URL });
  im.login({ loginUserId: '1', loginToken: 't' });
  let got;
  const result = im.send({ dataContent: 'test', toId: '2', callBack: (code, msg) => { got = { code, msg }; } });
  assert.deepEqual(result, { code: 0, fp: 'fp-1' });
  assert.deepEqual(native.callsOf('imSend'), [[1, '2', 'test', true, -2147483648, '']]);
  assert.equal(got, undefined, 'callBack runs after send returns');
  schedule.drain();
  assert.deepEqual(got, {
    code: 0,
    msg: {
      bridge: false, type: 2, dataContent: 'test', from: '1', to: '2', fp: 'fp-1',
      Qos: true, typeu: 0, retryCount: 0, sendTs: null,
    },
  });
});

test('send: explicit Qos false, typeu, fingerPrint go through; mobileimsdk default typeu is -1', () => {
  const { native, schedule, IMClientManager } = setup();
  const im = new IMClientManager({ wsUrl: URL, dialect: 'mobileimsdk' });
  im.login({ loginUserId: 'alice', loginToken: 't' });
  im.send({ dataContent: 'g', toId: 'g100', typeu: 1, fingerPrint: 'my-fp' });
  im.send({ dataContent: 'n', toId: 'bob', Qos: false });
  let msg;
  im.send({ dataContent: 'd', toId: 'bob', callBack: (_c, m) => { msg = m; } });
  schedule.drain();
  const sends = native.callsOf('imSend');
  assert.deepEqual(sends[0], [1, 'g100', 'g', true, 1, 'my-fp']);
  assert.deepEqual(sends[1], [1, 'bob', 'n', false, -2147483648, '']);
  assert.equal(msg.typeu, -1);
});

test('r4_ (mistake 17): a fromId other than the logged-in user is refused (1000), not sent', () => {
  const { native, IMClientManager } = setup();
  const im = IMClientManager.getInstance({ wsUrl: URL });
  im.login({ loginUserId: 'alice', loginToken: 't' });
  assert.equal(im.send({ dataContent: 'x', toId: 'bob', fromId: 'mallory' }).code, 1000);
  assert.match(im.getLastError(), /fromId/);
  assert.equal(native.callsOf('imSend').length, 0);
  assert.equal(im.send({ dataContent: 'x', toId: 'bob', fromId: 'alice' }).code, 0);
});

test('send: bad arguments give 1000 with the reason; native codes come back mapped', () => {
  const { native, schedule, IMClientManager } = setup();
  const im = IMClientManager.getInstance({ wsUrl: URL });
  const codes = [];
  const cb = (c) => codes.push(c);
  im.send({ toId: 'bob', callBack: cb });
  im.send({ dataContent: 'x', toId: '', callBack: cb });
  im.send({ dataContent: 'x', toId: 'b', Qos: 'yes', callBack: cb });
  im.send({ dataContent: 'x', toId: 'b', typeu: 1.5, callBack: cb });
  im.send({ dataContent: 'x', toId: 'b', fingerPrint: 5, callBack: cb });
  assert.equal(native.callsOf('imSend').length, 0);
  native.codes.imSend = 1;
  im.send({ dataContent: 'x', toId: 'b', callBack: cb });
  native.codes.imSend = 1002;
  im.send({ dataContent: 'x', toId: 'b', callBack: cb });
  schedule.drain();
  assert.deepEqual(codes, [1000, 1000, 1000, 1000, 1000, 1, 1002]);
});

test('logout passes the native code to callBack and clears the user', () => {
  const { native, schedule, IMClientManager } = setup();
  const im = IMClientManager.getInstance({ wsUrl: URL });
  const codes = [];
  im.login({ loginUserId: 'a', loginToken: 't' });
  assert.equal(im.logout((c) => codes.push(c)), 0);
  native.codes.imLogout = 1;
  assert.equal(im.logout((c) => codes.push(c)), 1);
  schedule.drain();
  assert.deepEqual(codes, [0, 1]);
  assert.equal(im.getCurrentLoginUserId(), '');
});

test('a callBack that throws is reported and does not break the next one', () => {
  const errors = [];
  const { schedule, IMClientManager } = setup({ onCallbackError: (e, name) => errors.push([e.message, name]) });
  const im = IMClientManager.getInstance({ wsUrl: URL });
  const codes = [];
  im.login({ loginUserId: 'a', loginToken: 't', callBack: () => { throw new Error('app bug'); } });
  im.logout((c) => codes.push(c));
  schedule.drain();
  assert.deepEqual(errors, [['app bug', 'callBack']]);
  assert.deepEqual(codes, [0]);
});

test('result codes: the TS names keep their numbers; a dead handle reads as 203', () => {
  assert.equal(ResultCode.COMMON_CODE_OK, 0);
  assert.equal(ResultCode.COMMON_NO_LOGIN, 1);
  assert.equal(ResultCode.COMMON_DATA_SEND_FAILD, 3);
  assert.equal(ResultCode.BREOKEN_CONNECT_TO_SERVER, 201);
  assert.equal(ResultCode.BAD_CONNECT_TO_SERVER, 202);
  assert.equal(ResultCode.TO_SERVER_NET_INFO_NOT_SETUP, 205);
  assert.equal(ResultCode.RESPONSE_FOR_UNLOGIN, 301);
  assert.equal(mapNativeCode(1004), 203);
  assert.equal(mapNativeCode(202), 202);
  assert.equal(mapNativeCode(1103), 1103, 'a server refusal code passes through');
  assert.equal(mapNativeCode(undefined), 2);
});

test('options.uni: network changes are forwarded until release, then unsubscribed', () => {
  const { native, IMClientManager } = setup();
  const listeners = new Set();
  const uni = {
    onNetworkStatusChange: (fn) => listeners.add(fn),
    offNetworkStatusChange: (fn) => listeners.delete(fn),
  };
  const im = IMClientManager.getInstance({ wsUrl: URL, uni });
  assert.equal(listeners.size, 1);
  for (const fn of listeners) fn({ isConnected: false, networkType: 'none' });
  for (const fn of listeners) fn({ isConnected: true, networkType: 'wifi' });
  assert.deepEqual(native.callsOf('imNetworkChanged'), [[1, false], [1, true]]);
  im.release();
  assert.equal(listeners.size, 0);
});

test('echo and networkChanged reach the native layer', () => {
  const { native, IMClientManager } = setup();
  const im = IMClientManager.getInstance({ wsUrl: URL });
  assert.equal(im.echo('ping?'), 0);
  assert.equal(im.echo(3), 1000);
  assert.equal(im.networkChanged(0), 0);
  assert.deepEqual(native.callsOf('imEcho'), [[1, 'ping?']]);
  assert.deepEqual(native.callsOf('imNetworkChanged'), [[1, false]]);
});
