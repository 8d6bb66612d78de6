/**
 * `wamp.2.msgpack`: binary frames. Encoding uses msgpackr in plain
 * MessagePack mode (no record extension). Decoding uses our strict decoder
 * (see `msgpack-decode.ts`), because msgpackr honours extensions that build
 * shared, cyclic or class-instance values and renders whole values in its
 * errors. The "undefined" extension wampy sends decodes to `undefined`;
 * 64-bit integers decode to numbers when safe, BigInt otherwise.
 * @module
 */
import { Packr } from 'msgpackr';
import type { Serializer } from './serializer.js';
import { widenLargeIntegers } from './integers.js';
import { decodeMsgpackStrict } from './msgpack-decode.js';

// `skipValues` is supported by msgpackr but missing from its typings.
type PackrOptions = ConstructorParameters<typeof Packr>[0];
const packr = new Packr({ useRecords: false, encodeUndefinedAsNil: true, skipValues: [undefined] } as PackrOptions);

/** Encodes one value as MessagePack. */
export function packMsgpack(value: unknown): Uint8Array {
  return packr.pack(widenLargeIntegers(value));
}

/** Decodes one MessagePack value from a client. Throws `DecodeError`. */
export function unpackMsgpack(bytes: Uint8Array): unknown {
  return decodeMsgpackStrict(bytes);
}

const encoder = new TextEncoder();

function toBytes(frame: Uint8Array | string): Uint8Array {
  return typeof frame === 'string' ? encoder.encode(frame) : frame;
}

/**
 * Creates the `wamp.2.msgpack` serializer.
 *
 * @example
 * ```ts
 * const msgpack = msgpackSerializer();
 * const bytes = msgpack.encode([MessageType.GOODBYE, {}, 'wamp.close.normal']); // a Uint8Array
 * ```
 */
export function msgpackSerializer(): Serializer {
  return {
    protocol: 'wamp.2.msgpack',
    binary: true,
    encode: packMsgpack,
    decode: (frame) => [unpackMsgpack(toBytes(frame))],
  };
}

export { toBytes as frameToBytes };
