// DataType and the `fp|name|type|key` dataContent convention of the original TS SDK's
// README, for file, image and audio messages. The SDK itself never interprets message
// content (PROTOCOL.md §3.4): these functions are for the app.

/** Content kinds of the `fp|name|type|key` convention. */
export const DataType = Object.freeze({
  TEXT: 'TEXT',
  IMAGE: 'IMAGE',
  AUDIO: 'AUDIO',
  FILE: 'FILE',
});

const SEPARATOR = '|';

/**
 * Builds `fp|name|type|key`. `fp`, `name` and `type` must not contain `|` (the
 * separator); `key` (a storage key or URL) may, since it is the last field.
 * @param {{fp?: string, name?: string, type?: string, key?: string}} parts
 * @returns {string}
 */
export function encodeDataContent(parts) {
  if (parts === null || typeof parts !== 'object') {
    throw new TypeError('encodeDataContent: expected an object {fp, name, type, key}');
  }
  const field = (name, { last = false } = {}) => {
    const value = parts[name] === undefined || parts[name] === null ? '' : parts[name];
    if (typeof value !== 'string') {
      throw new TypeError(`encodeDataContent: ${name} must be a string`);
    }
    if (!last && value.includes(SEPARATOR)) {
      throw new TypeError(`encodeDataContent: ${name} must not contain '|'`);
    }
    return value;
  };
  const type = field('type') || DataType.TEXT;
  return [field('fp'), field('name'), type, field('key', { last: true })].join(SEPARATOR);
}

/**
 * Reads `fp|name|type|key`. Missing fields are `''`, a missing type is `TEXT`; `|` after
 * the third separator belongs to `key`. `url` repeats `key` under the name the TS SDK's
 * README used. Any string decodes (plain text gives `{fp: text, type: 'TEXT'}` as in
 * the TS SDK): check `type` before trusting the other fields.
 * @param {string} dataContent
 * @returns {{fp: string, name: string, type: string, key: string, url: string}}
 */
export function decodeDataContent(dataContent) {
  if (typeof dataContent !== 'string') {
    throw new TypeError('decodeDataContent: dataContent must be a string');
  }
  const parts = dataContent.split(SEPARATOR);
  const key = parts.slice(3).join(SEPARATOR);
  return {
    fp: parts[0] || '',
    name: parts[1] || '',
    type: parts[2] || DataType.TEXT,
    key,
    url: key,
  };
}
