/**
 * `wamp.2.cbor`: binary frames. Encoding uses cbor-x with plain maps (no
 * records). Decoding uses our strict decoder (see `cbor-decode.ts`), because
 * cbor-x honours value-sharing and bignum tags and builds class instances.
 * @module
 */
import { Encoder } from 'cbor-x';
import type { Serializer } from './serializer.js';
import { widenLargeIntegers } from './integers.js';
import { decodeCBORStrict } from './cbor-decode.js';
import { frameToBytes } from './msgpack.js';

const encoder = new Encoder({ useRecords: false, mapsAsObjects: true });

/** Encodes one value as CBOR. */
export function encodeCBOR(value: unknown): Uint8Array {
  return encoder.encode(widenLargeIntegers(value));
}

/** Decodes one CBOR value from a client. Throws `DecodeError`. */
export function decodeCBOR(bytes: Uint8Array): unknown {
  return decodeCBORStrict(bytes);
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
