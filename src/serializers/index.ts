/**
 * The serializers serverwamp speaks, and subprotocol negotiation.
 * @module
 */
import { ServerwampError } from '../errors.js';
import type { Serializer } from './serializer.js';
import { jsonSerializer, type JSONSerializerOptions } from './json.js';
import { msgpackSerializer } from './msgpack.js';
import { cborSerializer } from './cbor.js';
import { cborBatchedSerializer, jsonBatchedSerializer, msgpackBatchedSerializer } from './batched.js';

export type { Serializer } from './serializer.js';
export type { JSONSerializerOptions } from './json.js';
export { jsonSerializer, msgpackSerializer, cborSerializer, jsonBatchedSerializer, msgpackBatchedSerializer, cborBatchedSerializer };

/**
 * Every subprotocol supported out of the box: the default of the application's `protocols` option.
 *
 * @example
 * ```ts
 * import { Application, SUPPORTED_PROTOCOLS } from 'serverwamp';
 *
 * // no batched serializers: one message per WebSocket frame
 * const app = new Application({ protocols: SUPPORTED_PROTOCOLS.filter((protocol) => !protocol.endsWith('.batched')) });
 * ```
 */
export const SUPPORTED_PROTOCOLS = [
  'wamp.2.json',
  'wamp.2.msgpack',
  'wamp.2.cbor',
  'wamp.2.json.batched',
  'wamp.2.msgpack.batched',
  'wamp.2.cbor.batched',
] as const;

/**
 * Builds the serializers for the given protocols, keyed by subprotocol name.
 *
 * @example
 * ```ts
 * const serializers = createSerializers(['wamp.2.json', 'wamp.2.cbor']); // Map by subprotocol
 * serializers.get('wamp.2.cbor')?.protocol; // 'wamp.2.cbor'
 * ```
 */
export function createSerializers(
  protocols: readonly string[] = SUPPORTED_PROTOCOLS,
  json: JSONSerializerOptions = {},
): Map<string, Serializer> {
  const all: Serializer[] = [
    jsonSerializer(json),
    msgpackSerializer(),
    cborSerializer(),
    jsonBatchedSerializer(json),
    msgpackBatchedSerializer(),
    cborBatchedSerializer(),
  ];
  const map = new Map<string, Serializer>();
  for (const protocol of protocols) {
    const serializer = all.find((s) => s.protocol === protocol);
    if (serializer === undefined) {
      throw new ServerwampError('ERR_UNSUPPORTED_PROTOCOL', `serverwamp does not support the subprotocol ${JSON.stringify(protocol)}`);
    }
    map.set(protocol, serializer);
  }
  return map;
}

/**
 * Picks the first protocol in the client's (preference-ordered) offer that the server supports.
 *
 * @example
 * ```ts
 * const serializers = createSerializers();
 * const chosen = negotiateProtocol(['wamp.2.ubjson', 'wamp.2.msgpack'], serializers);
 * chosen?.protocol; // 'wamp.2.msgpack': the client's first offer the server speaks
 * ```
 */
export function negotiateProtocol(offered: Iterable<string>, supported: ReadonlyMap<string, Serializer>): Serializer | undefined {
  for (const protocol of offered) {
    const serializer = supported.get(protocol);
    if (serializer !== undefined) return serializer;
  }
  return undefined;
}
