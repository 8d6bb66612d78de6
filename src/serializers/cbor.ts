/**
 * `wamp.2.cbor`: binary frames via cbor-x with plain maps (no records).
 * @module
 */
import { Decoder, Encoder } from 'cbor-x';
import type { Serializer } from './serializer.js';
import { widenLargeIntegers } from './integers.js';
import { frameToBytes } from './msgpack.js';

const encoder = new Encoder({ useRecords: false, mapsAsObjects: true });
// 64-bit integers decode as numbers: millisecond timestamps and IDs are above 2^32 but safe.
// (`int64AsNumber` is supported by cbor-x but missing from its typings.)
const decoder = new Decoder({ useRecords: false, mapsAsObjects: true, int64AsNumber: true } as ConstructorParameters<typeof Decoder>[0]);

/** Encodes one value as CBOR. */
export function encodeCBOR(value: unknown): Uint8Array {
  return encoder.encode(widenLargeIntegers(value));
}

/** Decodes one CBOR value. */
export function decodeCBOR(bytes: Uint8Array): unknown {
  return decoder.decode(bytes);
}

/** Creates the `wamp.2.cbor` serializer. */
export function cborSerializer(): Serializer {
  return {
    protocol: 'wamp.2.cbor',
    binary: true,
    encode: encodeCBOR,
    decode: (frame) => [decodeCBOR(frameToBytes(frame))],
  };
}
