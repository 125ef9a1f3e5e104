// The uni-app entry (js_sdk/index.mjs) as an app imports it, with the UTS module
// replaced by a fake through a resolve hook: its exports match index.d.ts and
// interface.uts, and the TS SDK's flow works through it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { register } from 'node:module';
import { readFileSync } from 'node:fs';

register('./support/uni-alias-hooks.mjs', import.meta.url);
const sdk = await import('../uni_modules/imsdk/js_sdk/index.mjs');
const { fake } = await import('./support/fake-uts-module.mjs');

const read = (rel) => readFileSync(new URL(rel, import.meta.url), 'utf8');
const dts = read('../uni_modules/imsdk/js_sdk/index.d.ts');
const interfaceUts = read('../uni_modules/imsdk/utssdk/interface.uts');

test('the entry exports exactly what index.d.ts declares', () => {
  const declared = [...dts.matchAll(/^export declare (?:const|function|class) (\w+)/gm)].map((m) => m[1]);
  const exported = Object.keys(sdk).filter((k) => k !== 'default');
  assert.deepEqual(exported.sort(), declared.sort());
  assert.equal(sdk.default, sdk.IMClientManager);
});

test('every public IMClientManager method is typed in index.d.ts', () => {
  const methods = (obj) => Object.getOwnPropertyNames(obj).filter((n) => !n.startsWith('_') && n !== 'constructor'
    && n !== 'length' && n !== 'name' && n !== 'prototype');
  const klass = dts.slice(dts.indexOf('export declare class IMClientManager'));
  for (const name of [...methods(sdk.IMClientManager), ...methods(sdk.IMClientManager.prototype)]) {
    assert.match(klass, new RegExp(`\\b${name}\\(`), `${name} is missing from index.d.ts`);
  }
});

test('the bridge functions the JS layer calls are the ones interface.uts declares', () => {
  const declared = [...interfaceUts.matchAll(/^export type (Im[A-Z]\w+) = \(/gm)]
    .map((m) => `im${m[1].slice(2)}`)
    .filter((n) => n !== 'imEventCallback');
  const used = Object.keys(fake).filter((k) => k.startsWith('im'));
  assert.deepEqual(declared.sort(), used.sort());
  const manager = read('../uni_modules/imsdk/js_sdk/manager.mjs');
  for (const name of declared) assert.match(manager, new RegExp(`native\\.${name}\\(`), `${name} is never called`);
});

test('the TS SDK flow through the entry: getInstance, login, send, events, release', async () => {
  const seen = [];
  const im = sdk.default.getInstance({
    wsUrl: 'ws://127.0.0.1:7901/ws',
    chatBaseCB: { onLoginOrReloginSuccessCB: (info) => seen.push(['ok', info.code]) },
    messageQoSCB: { messagesBeReceivedCB: (fp) => seen.push(['acked', fp]) },
  });
  const codes = [];
  im.login({ loginUserId: '1', loginToken: 'token', app: 'demo', callBack: (c) => codes.push(c) });
  const { fp } = im.send({
    dataContent: sdk.encodeDataContent({ fp: 'f', name: 'a.png', type: sdk.DataType.IMAGE, key: 'k' }),
    toId: '2',
    callBack: (c) => codes.push(c),
  });
  await Promise.resolve();
  assert.deepEqual(codes, [0, 0], 'callBacks ran after the calls, on a microtask');
  fake.emit(1, JSON.stringify({ kind: 'loginResult', code: 0, isRelogin: false }));
  fake.emit(1, JSON.stringify({ kind: 'messageAcked', fp }));
  assert.deepEqual(seen, [['ok', 0], ['acked', 'fp-1']]);
  assert.equal(fake.callsOf('imSend')[0][2], 'f|a.png|IMAGE|k');
  assert.equal(im.release(), sdk.ResultCode.COMMON_CODE_OK);
  assert.equal(sdk.default.getInitFlag(), false);
});
