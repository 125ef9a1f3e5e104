import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DataType, decodeDataContent, encodeDataContent,
} from '../uni_modules/imsdk/js_sdk/data-content.mjs';

test('DataType keeps the TS SDK names and values', () => {
  assert.deepEqual({ ...DataType }, { TEXT: 'TEXT', IMAGE: 'IMAGE', AUDIO: 'AUDIO', FILE: 'FILE' });
  assert.ok(Object.isFrozen(DataType));
});

test('encode writes fp|name|type|key and decode reads it back', () => {
  const parts = { fp: 'f1', name: 'cat.png', type: DataType.IMAGE, key: 'uploads/cat.png' };
  const text = encodeDataContent(parts);
  assert.equal(text, 'f1|cat.png|IMAGE|uploads/cat.png');
  assert.deepEqual(decodeDataContent(text), { ...parts, url: 'uploads/cat.png' });
});

test('a key may contain the separator: it is the last field', () => {
  const key = 'https://cdn.example/a|b?x=1|2';
  const text = encodeDataContent({ fp: 'f', name: 'n', type: DataType.FILE, key });
  assert.equal(decodeDataContent(text).key, key);
});

test('a separator in fp, name or type is refused with the field named', () => {
  for (const field of ['fp', 'name', 'type']) {
    assert.throws(
      () => encodeDataContent({ fp: 'f', name: 'n', type: 'FILE', key: 'k', [field]: 'a|b' }),
      (e) => e instanceof TypeError && e.message.includes(field),
    );
  }
  assert.throws(() => encodeDataContent({ fp: 3 }), /fp must be a string/);
  assert.throws(() => encodeDataContent(null), TypeError);
});

test('missing fields encode empty with type TEXT, and decode the same way', () => {
  assert.equal(encodeDataContent({}), '||TEXT|');
  assert.deepEqual(decodeDataContent('only-fp'), { fp: 'only-fp', name: '', type: 'TEXT', key: '', url: '' });
  assert.deepEqual(decodeDataContent(''), { fp: '', name: '', type: 'TEXT', key: '', url: '' });
  assert.throws(() => decodeDataContent(undefined), TypeError);
});

test('non-ASCII and emoji survive a round trip', () => {
  const parts = { fp: 'f', name: '照片 😀.jpg', type: DataType.IMAGE, key: 'k/照片' };
  assert.deepEqual(decodeDataContent(encodeDataContent(parts)), { ...parts, url: 'k/照片' });
});
