/**
 * `wamp.2.msgpack`: binary frames via msgpackr in plain MessagePack mode (no
 * record extension). The "undefined" extension wampy sends decodes to
 * `undefined`; 64-bit integers decode to numbers when safe, BigInt otherwise.
 * @module
 */
import { Packr, Unpackr } from 'msgpackr';
import type { Serializer } from './serializer.js';
import { widenLargeIntegers } from './integers.js';

// `skipValues` and `int64AsType: 'auto'` are supported by msgpackr but missing from its typings.
type PackrOptions = ConstructorParameters<typeof Packr>[0];
const packr = new Packr({ useRecords: false, encodeUndefinedAsNil: true, skipValues: [undefined] } as PackrOptions);
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true, int64AsType: 'auto' } as unknown as PackrOptions);

/** Encodes one value as MessagePack. */
export function packMsgpack(value: unknown): Uint8Array {
  return packr.pack(widenLargeIntegers(value));
}

/** Decodes one MessagePack value. */
export function unpackMsgpack(bytes: Uint8Array): unknown {
  return unpackr.unpack(bytes);
}

function toBytes(frame: Uint8Array | string): Uint8Array {
  return typeof frame === 'string' ? Buffer.from(frame, 'utf8') : frame;
}

/** Creates the `wamp.2.msgpack` serializer. */
export function msgpackSerializer(): Serializer {
  return {
    protocol: 'wamp.2.msgpack',
    binary: true,
    encode: packMsgpack,
    decode: (frame) => [unpackMsgpack(toBytes(frame))],
  };
}

export { toBytes as frameToBytes };
