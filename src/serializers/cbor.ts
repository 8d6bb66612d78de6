/**
 * `wamp.2.cbor`: binary frames via cbor-x with plain maps (no records).
 * @module
 */
import { Decoder, Encoder } from 'cbor-x';
import type { Serializer } from './serializer.js';
import { widenLargeIntegers } from './integers.js';
import { frameToBytes } from './msgpack.js';

const encoder = new Encoder({ useRecords: false, mapsAsObjects: true });
const decoder = new Decoder({ useRecords: false, mapsAsObjects: true });

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
