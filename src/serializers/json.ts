/**
 * `wamp.2.json`: text frames, with the WAMP binary convention: a string that
 * starts with U+0000 carries base64 bytes. Both directions can be turned off.
 * @module
 */
import { defineOwn, mapContainer } from '../own-properties.js';
import type { WampMessage } from '../protocol/build.js';
import type { Serializer } from './serializer.js';
import { DecodeError, MAX_DEPTH, tooDeep } from './decode-limits.js';
import { decodeBase64, encodeBase64 } from './base64.js';

/**
 * Options for the JSON serializer (`wamp.2.json` and its batched form): the
 * application's `json` option. Both halves of the WAMP binary convention are on by default.
 *
 * @example
 * ```ts
 * import { Application, jsonSerializer, type JSONSerializerOptions } from 'serverwamp';
 *
 * // clients send text that may start with U+0000: keep such strings as strings
 * const json: JSONSerializerOptions = { decodeBinary: false };
 * const app = new Application({ json });
 * const serializer = jsonSerializer(json); // the same, for a custom transport
 * ```
 */
export interface JSONSerializerOptions {
  /** Decode `"\u0000<base64>"` strings into `Uint8Array`s (default true). */
  decodeBinary?: boolean;
  /** Encode `Uint8Array`s as `"\u0000<base64>"` strings (default true). */
  encodeBinary?: boolean;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function containsBytes(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null || depth > 64) return false;
  if (ArrayBuffer.isView(value)) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (containsBytes(item, depth + 1)) return true;
    return false;
  }
  for (const key in value) if (containsBytes((value as Record<string, unknown>)[key], depth + 1)) return true;
  return false;
}

function bytesToStrings(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (ArrayBuffer.isView(value)) {
    return '\u0000' + encodeBase64(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  }
  if (!containsBytes(value, depth)) return value;
  return mapContainer(value, (item) => bytesToStrings(item, depth + 1));
}

// One walk does both jobs: it bounds the nesting that JSON.parse accepted
// (later walks over the message stay shallow) and, when the frame holds
// NUL-prefixed strings, turns them into bytes in place.
function normalize(value: unknown, depth: number, binary: boolean): unknown {
  if (typeof value === 'string') {
    return binary && value.charCodeAt(0) === 0 ? decodeBase64(value.slice(1)) : value;
  }
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) throw tooDeep();
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const next = normalize(item, depth + 1, binary);
      if (next !== item) value[i] = next;
    }
    return value;
  }
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    const item = obj[key];
    const next = normalize(item, depth + 1, binary);
    if (next !== item) defineOwn(obj, key, next);
  }
  return value;
}

function toText(frame: Uint8Array | string): string {
  if (typeof frame === 'string') return frame;
  try {
    return decoder.decode(frame);
  } catch {
    throw new DecodeError('the frame is not valid UTF-8');
  }
}

/** Parses JSON text into a message, applying the binary convention if enabled. Throws {@link DecodeError}. */
export function parseJSONText(text: string, decodeBinary: boolean): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // JSON.parse quotes the text around the error: never let that reach the client.
    throw new DecodeError('the frame is not valid JSON');
  }
  // JSON.stringify always escapes NUL as \u0000, so its absence means no binary strings.
  return normalize(value, 0, decodeBinary && text.includes('\\u0000'));
}

/** Stringifies a message, applying the binary convention if enabled. */
export function stringifyJSON(message: WampMessage, encodeBinary: boolean): string {
  return JSON.stringify(encodeBinary && containsBytes(message, 0) ? bytesToStrings(message, 0) : message);
}

/**
 * Creates the `wamp.2.json` serializer.
 *
 * @example
 * ```ts
 * const json = jsonSerializer({ encodeBinary: true }); // bytes as "\u0000" + base64
 * json.encode([MessageType.GOODBYE, {}, 'wamp.close.normal']); // '[6,{},"wamp.close.normal"]'
 * ```
 */
export function jsonSerializer(options: JSONSerializerOptions = {}): Serializer {
  const decodeBinary = options.decodeBinary ?? true;
  const encodeBinary = options.encodeBinary ?? true;
  return {
    protocol: 'wamp.2.json',
    binary: false,
    encode: (message) => stringifyJSON(message, encodeBinary),
    decode: (frame) => [parseJSONText(toText(frame), decodeBinary)],
  };
}

export { toText as jsonFrameToText };
