/**
 * `wamp.2.cbor`: binary frames, encoded and decoded by our own code (see
 * `cbor-encode.ts` and the strict `cbor-decode.ts`), so the package needs no
 * CBOR dependency.
 * @module
 */
import type { Serializer } from './serializer.js';
import { encodeCBORValue } from './cbor-encode.js';
import { decodeCBORStrict } from './cbor-decode.js';
import { frameToBytes } from './msgpack.js';

/** Encodes one value as CBOR (integers beyond 32 bits as integers, never floats). */
export function encodeCBOR(value: unknown): Uint8Array {
  return encodeCBORValue(value);
}

/** Decodes one CBOR value from a client. Throws `DecodeError`. */
export function decodeCBOR(bytes: Uint8Array): unknown {
  return decodeCBORStrict(bytes);
}

/**
 * Creates the `wamp.2.cbor` serializer.
 *
 * @example
 * ```ts
 * const cbor = cborSerializer();
 * const bytes = cbor.encode([MessageType.GOODBYE, {}, 'wamp.close.normal']); // a Uint8Array
 * ```
 */
export function cborSerializer(): Serializer {
  return {
    protocol: 'wamp.2.cbor',
    binary: true,
    encode: encodeCBOR,
    decode: (frame) => [decodeCBOR(frameToBytes(frame))],
  };
}
