// The native halves of the bridge cannot be compiled here (no HBuilderX, NDK or Xcode),
// so these tests read their sources: every field of the native options record that
// js_sdk builds is declared in interface.uts, read by both platform bridges, and reaches
// an option of the Java builder (Android) or of the Swift IMOptions (iOS).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { toNativeOptions } from '../uni_modules/imsdk/js_sdk/options.mjs';

const read = (rel) => readFileSync(new URL(rel, import.meta.url), 'utf8');
const plugin = '../uni_modules/imsdk/utssdk/';
const interfaceUts = read(`${plugin}interface.uts`);
const androidUts = read(`${plugin}app-android/index.uts`);
const iosUts = read(`${plugin}app-ios/index.uts`);
const iosBridge = read(`${plugin}app-ios/ImsdkBridge.swift`);
const javaOptions = read('../../kotlin/java/io/imsdk/ImOptions.java');
const swiftOptions = read('../../swift/Sources/IMSDK/IMOptions.swift');

/** The fields of `export type ImNativeOptions = { ... }` in interface.uts. */
function nativeOptionFields() {
  const block = interfaceUts.match(/export type ImNativeOptions = \{([\s\S]*?)\n\}/);
  assert.ok(block, 'ImNativeOptions is declared in interface.uts');
  return [...block[1].matchAll(/^\s*(\w+) : \w+/gm)].map((m) => m[1]);
}

/** The top-level arguments of the first call `name(...)` in `source`. */
function callArguments(source, name) {
  const start = source.indexOf(`${name}(`);
  assert.notEqual(start, -1, `${name}( is called`);
  const args = [];
  let depth = 0;
  let current = '';
  for (const ch of source.slice(start + name.length + 1)) {
    if (ch === ')' && depth === 0) break;
    if ('([{'.includes(ch)) depth++;
    if (')]}'.includes(ch)) depth--;
    if (ch === ',' && depth === 0) {
      args.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  args.push(current.trim());
  return args;
}

test('the record js_sdk builds has exactly the fields interface.uts declares', () => {
  assert.deepEqual(Object.keys(toNativeOptions({ wsUrl: 'ws://127.0.0.1:1/ws' })).sort(), nativeOptionFields().sort());
});

test('index.d.ts types every option that keeps its name in the native record', () => {
  const dts = read('../uni_modules/imsdk/js_sdk/index.d.ts');
  const wsOptions = dts.match(/export interface WSOptions \{([\s\S]*?)\n\}/);
  assert.ok(wsOptions, 'WSOptions is declared');
  // url and subprotocol come from wsUrl and wsProtocal.
  for (const field of nativeOptionFields().filter((f) => f !== 'url' && f !== 'subprotocol')) {
    assert.ok(new RegExp(`^\\s*${field}\\?:`, 'm').test(wsOptions[1]), `WSOptions lacks ${field}`);
  }
});

test('both platform bridges read every field of ImNativeOptions', () => {
  for (const field of nativeOptionFields()) {
    const read = new RegExp(`options\\.${field}\\b`);
    assert.ok(read.test(androidUts), `app-android/index.uts ignores ${field}`);
    assert.ok(read.test(iosUts), `app-ios/index.uts ignores ${field}`);
  }
});

test('android: every ImOptions builder method the bridge calls exists in the Java binding', () => {
  // In imCreate: `b.name(` and the chained `.name(` lines after ImOptions.builder(url).
  const start = androidUts.indexOf('export function imCreate(');
  assert.notEqual(start, -1, 'app-android/index.uts defines imCreate');
  const end = androidUts.indexOf('\nexport function', start + 1);
  const imCreate = androidUts.slice(start, end === -1 ? undefined : end);
  const calls = [...imCreate.matchAll(/(?:\bb|^\s*)\.(\w+)\(/gm)].map((m) => m[1]);
  for (const expected of ['dialect', 'autoRelogin', 'loginTimeoutMs', 'maxOutboundBytes', 'build']) {
    assert.ok(calls.includes(expected), `the bridge calls ${expected}`);
  }
  for (const method of new Set(calls)) {
    const declared = new RegExp(`public (?:Builder|ImOptions) ${method}\\(`);
    assert.ok(declared.test(javaOptions), `ImOptions.Builder has no ${method}`);
  }
});

test('ios: index.uts passes ImsdkBridge.create one argument per parameter', () => {
  const signature = iosBridge.match(/public static func create\(([\s\S]*?)\) -> Int/);
  assert.ok(signature, 'ImsdkBridge.create is declared');
  const params = [...signature[1].matchAll(/_ (\w+):/g)].map((m) => m[1]);
  const args = callArguments(iosUts, 'ImsdkBridge.create');
  assert.equal(args.length, params.length, `arguments ${args.join(' | ')} for parameters ${params.join(', ')}`);
  // Same order: each options.* argument names its parameter.
  params.forEach((param, i) => {
    const field = args[i].match(/^options\.(\w+)/);
    if (field) assert.equal(field[1], param, `argument ${i + 1}`);
  });
});

test('ios: every IMOptions property the bridge sets exists in the Swift package', () => {
  const set = [...iosBridge.matchAll(/\boptions\.(\w+) =/g)].map((m) => m[1]);
  assert.ok(set.includes('maxOutboundBytes'), 'the bridge sets the new caps');
  for (const property of new Set(set)) {
    assert.ok(new RegExp(`public var ${property}\\b`).test(swiftOptions), `IMOptions has no ${property}`);
  }
});
