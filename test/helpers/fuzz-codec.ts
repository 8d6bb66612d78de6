/**
 * How the fuzzer writes and reads each serializer family, with encoders of its
 * own (not serverwamp's): values the encoders would refuse or normalise
 * (own `__proto__` keys, BigInt, binary in JSON) are written as a hostile
 * client would write them.
 */
import { Encoder, Decoder } from 'cbor-x';
import { Packr, Unpackr } from 'msgpackr';

export type Family = 'json' | 'msgpack' | 'cbor';

const packr = new Packr({ useRecords: false, useBigIntExtension: false } as ConstructorParameters<typeof Packr>[0]);
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true, int64AsType: 'auto' } as any);
const cborEncoder = new Encoder({ useRecords: false, mapsAsObjects: true });
const cborDecoder = new Decoder({ useRecords: false, mapsAsObjects: true, int64AsNumber: true } as any);

/** JSON text as WAMP's JSON serializer defines it: binary as "\0" + base64, integers of any size as digits. */
export function jsonText(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return JSON.stringify(`\u0000${Buffer.from(value).toString('base64')}`);
  if (value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value)
      .map((key) => `${JSON.stringify(key)}:${jsonText((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value); // NaN, Infinity: invalid JSON on purpose
  return JSON.stringify(value);
}

/** One WAMP message as the bytes of `family`. */
export function encode(family: Family, value: unknown): Buffer {
  if (family === 'json') return Buffer.from(jsonText(value), 'utf8');
  if (family === 'msgpack') return Buffer.from(packr.pack(value));
  return Buffer.from(cborEncoder.encode(value));
}

/** One message from the server, decoded. */
export function decode(family: Family, bytes: Buffer): unknown {
  if (family === 'json') return JSON.parse(bytes.toString('utf8'));
  if (family === 'msgpack') return unpackr.unpack(bytes);
  return cborDecoder.decode(bytes);
}

/** The messages of one batched frame from the server (one message per frame, as serverwamp sends them). */
export function decodeBatch(family: Family, bytes: Buffer): unknown[] {
  if (family === 'json') {
    return bytes
      .toString('utf8')
      .replaceAll('\u0018', '\u001e')
      .split('\u001e')
      .filter((part) => part !== '')
      .map((part) => JSON.parse(part));
  }
  const messages: unknown[] = [];
  for (let offset = 0; offset + 4 <= bytes.length; ) {
    const length = bytes.readUInt32BE(offset);
    messages.push(decode(family, bytes.subarray(offset + 4, offset + 4 + length)));
    offset += 4 + length;
  }
  return messages;
}

/** Joins messages into one batched frame; `separator` lets the fuzzer use 0x18 or drop it. */
export function batch(family: Family, messages: Buffer[], separator = '\u001e'): Buffer {
  if (family === 'json') return Buffer.concat(messages.flatMap((message) => [message, Buffer.from(separator)]));
  return Buffer.concat(
    messages.flatMap((message) => {
      const prefix = Buffer.alloc(4);
      prefix.writeUInt32BE(message.length);
      return [prefix, message];
    }),
  );
}
