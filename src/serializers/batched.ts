/**
 * The batched WebSocket variants (WAMP spec "Batched WebSocket Transport").
 * JSON messages are each followed by a record separator; binary messages are
 * each preceded by a 4-byte big-endian length. On input, JSON batches may use
 * 0x1E (spec) or 0x18 (Autobahn|Python and Crossbar) as the separator.
 * The server sends one message per frame, which is a valid batch.
 * @module
 */
import type { Serializer } from './serializer.js';
import { jsonFrameToText, parseJSONText, stringifyJSON, type JSONSerializerOptions } from './json.js';
import { frameToBytes, packMsgpack, unpackMsgpack } from './msgpack.js';
import { decodeCBOR, encodeCBOR } from './cbor.js';

const SEPARATOR = '\u001e';
// Raw control characters cannot occur inside JSON text, so either separator splits safely.
const PYTHON_SEPARATOR = '\u0018';

/**
 * Creates `wamp.2.json.batched`. Each connection answers with the separator
 * its client uses: 0x1E by default, 0x18 for Autobahn|Python, which cannot
 * read 0x1E.
 *
 * @example
 * ```ts
 * jsonBatchedSerializer().protocol; // 'wamp.2.json.batched'
 * const app = new Application({ protocols: ['wamp.2.json', 'wamp.2.json.batched'] });
 * ```
 */
export function jsonBatchedSerializer(options: JSONSerializerOptions = {}): Serializer {
  const decodeBinary = options.decodeBinary ?? true;
  const encodeBinary = options.encodeBinary ?? true;
  const create = (): Serializer => {
    let separator = SEPARATOR;
    return {
      protocol: 'wamp.2.json.batched',
      binary: false,
      encode: (message) => stringifyJSON(message, encodeBinary) + separator,
      decode(frame) {
        let text = jsonFrameToText(frame);
        if (text.includes(PYTHON_SEPARATOR)) {
          if (text.endsWith(PYTHON_SEPARATOR)) separator = PYTHON_SEPARATOR;
          text = text.replaceAll(PYTHON_SEPARATOR, SEPARATOR);
        }
        const parts = text.split(SEPARATOR);
        // A well-formed batch ends with a separator, leaving one empty tail.
        if (parts.length < 2 || parts[parts.length - 1] !== '') {
          throw new Error('a JSON batch must end each message with a record separator');
        }
        parts.pop();
        return parts.map((part) => parseJSONText(part, decodeBinary));
      },
      forConnection: create,
    };
  };
  return create();
}

function lengthPrefixed(protocol: string, pack: (v: unknown) => Uint8Array, unpack: (b: Uint8Array) => unknown): Serializer {
  return {
    protocol,
    binary: true,
    encode(message) {
      const body = pack(message);
      const out = new Uint8Array(body.byteLength + 4);
      new DataView(out.buffer).setUint32(0, body.byteLength);
      out.set(body, 4);
      return out;
    },
    decode(frame) {
      const bytes = frameToBytes(frame);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const messages: unknown[] = [];
      let offset = 0;
      while (offset < bytes.byteLength) {
        if (offset + 4 > bytes.byteLength) throw new Error('truncated length prefix in batch');
        const length = view.getUint32(offset);
        offset += 4;
        if (offset + length > bytes.byteLength) throw new Error('batched message is longer than its frame');
        messages.push(unpack(bytes.subarray(offset, offset + length)));
        offset += length;
      }
      if (messages.length === 0) throw new Error('a batch must hold at least one message');
      return messages;
    },
  };
}

/**
 * Creates `wamp.2.msgpack.batched`.
 *
 * @example
 * ```ts
 * const app = new Application({ protocols: ['wamp.2.msgpack', 'wamp.2.msgpack.batched'] });
 * msgpackBatchedSerializer().protocol; // 'wamp.2.msgpack.batched'
 * ```
 */
export function msgpackBatchedSerializer(): Serializer {
  return lengthPrefixed('wamp.2.msgpack.batched', packMsgpack, unpackMsgpack);
}

/**
 * Creates `wamp.2.cbor.batched`.
 *
 * @example
 * ```ts
 * cborBatchedSerializer().protocol; // 'wamp.2.cbor.batched'
 * ```
 */
export function cborBatchedSerializer(): Serializer {
  return lengthPrefixed('wamp.2.cbor.batched', encodeCBOR, decodeCBOR);
}
