/**
 * Hand-written hostile encodings, per serializer family: the shapes of issue 9
 * (shared references and cycles, structured-clone and record extensions,
 * class-instance tags, bignums, huge declared lengths, deep nesting, invalid
 * UTF-8, trailing bytes). `strict` shapes are not plain WAMP data: the server
 * must refuse them (ABORT, or ERROR for the request); the others are odd but
 * legal data, and only have to be survived.
 */
import type { Family } from './fuzz-codec.js';
import { encode } from './fuzz-codec.js';

export interface HostileValue {
  readonly label: string;
  /** The value's own encoding, to splice into a message. */
  readonly bytes: Buffer;
  readonly strict: boolean;
  /** Also a hostile request id (an integer outside [1, 2^53]). */
  readonly integer?: boolean;
  /** A map: a legal Options, Details or authextra value. */
  readonly map?: boolean;
  /** Reads as a valid request id all the same (a JSON number rounds to 2^53). */
  readonly validId?: boolean;
  /** Undefined, which a peer may send for an absent value (wampy does). */
  readonly absent?: boolean;
}

const b = (...parts: Array<number | number[] | Buffer | string>): Buffer =>
  Buffer.concat(parts.map((part) => (Buffer.isBuffer(part) ? part : typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(typeof part === 'number' ? [part] : part))));
const u32 = (n: number): Buffer => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(n);
  return out;
};
const DEPTH = 100_000;

function msgpackShapes(): HostileValue[] {
  const dag = [b(0xdc, 0x00, 40)];
  for (let k = 1; k <= 40; k++) dag.push(k === 1 ? b(0xd6, 0x69, u32(k), 0x92, 0, 0) : b(0xd6, 0x69, u32(k), 0x92, 0xd6, 0x70, u32(k - 1), 0xd6, 0x70, u32(k - 1)));
  const bigintExt = Buffer.alloc(300, 0x7f);
  return [
    { label: 'msgpack cycle (id/pointer extensions)', bytes: b(0xd6, 0x69, u32(1), 0x92, 0xd6, 0x70, u32(1), 0xd6, 0x70, u32(1)), strict: true },
    { label: 'msgpack DAG of 2^40 paths', bytes: Buffer.concat(dag), strict: true },
    { label: 'msgpack DAG then a trailing byte', bytes: Buffer.concat([...dag, b(0xc0)]), strict: true },
    { label: 'msgpack Set extension', bytes: b(0xd4, 0x73, 0, 0x92, 1, 2), strict: true },
    { label: 'msgpack Error extension', bytes: b(0xd4, 0x65, 0, 0x93, 0xa5, 'Error', 0xa1, 'x', 0xc0), strict: true },
    { label: 'msgpack RegExp extension', bytes: b(0xd4, 0x78, 0, 0x92, 0xa5, '(a+)+', 0xa1, 'g'), strict: true },
    { label: 'msgpack typed array extension', bytes: b(0xc7, 5, 0x74, 1, 1, 2, 3, 4), strict: true },
    { label: 'msgpack BigInt extension (300 bytes)', bytes: b(0xc8, 0x01, 0x2c, 0x42, bigintExt), strict: true },
    { label: 'msgpack timestamp extension', bytes: b(0xd6, 0xff, 0, 0, 0, 1), strict: true },
    { label: 'msgpack bundled strings extension', bytes: b(0xd6, 0x62, 0x7f, 0xff, 0xff, 0xff), strict: true },
    { label: 'msgpack record definition', bytes: b(0xd4, 0x72, 0x40, 0x92, 0xa1, 'a', 0xa1, 'b', 0x40, 1, 2), strict: true },
    { label: 'msgpack unknown extension', bytes: b(0xd4, 0x05, 0), strict: true },
    { label: 'msgpack array of 2^32-1 elements', bytes: b(0xdd, 0xff, 0xff, 0xff, 0xff), strict: true },
    { label: 'msgpack str of 2^32-1 bytes', bytes: b(0xdb, 0xff, 0xff, 0xff, 0xff, 'a'), strict: true },
    { label: 'msgpack bin of 2^32-1 bytes', bytes: b(0xc6, 0xff, 0xff, 0xff, 0xff), strict: true },
    { label: `msgpack ${DEPTH} nested arrays`, bytes: Buffer.concat([Buffer.alloc(DEPTH, 0x91), b(0xc0)]), strict: true },
    { label: 'msgpack invalid UTF-8 string', bytes: b(0xa3, 0xff, 0xfe, 0xfd), strict: true },
    { label: 'msgpack uint64 max', bytes: b(0xcf, Buffer.alloc(8, 0xff)), strict: false, integer: true },
    { label: 'msgpack int64 min', bytes: b(0xd3, 0x80, Buffer.alloc(7)), strict: false, integer: true },
    { label: 'msgpack 2^53+1', bytes: b(0xcf, 0x00, 0x20, 0, 0, 0, 0, 0, 1), strict: false, integer: true },
    { label: 'msgpack __proto__ key', bytes: b(0x81, 0xa9, '__proto__', 0x81, 0xa8, 'polluted', 0xc3), strict: false, map: true },
    { label: 'msgpack undefined extension', bytes: b(0xd4, 0, 0), strict: false, absent: true },
    { label: 'msgpack NaN', bytes: b(0xcb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0), strict: false },
  ];
}

function cborUint(n: number): Buffer {
  return n < 24 ? b(n) : n < 256 ? b(0x18, n) : b(0x19, n >> 8, n & 0xff);
}

function cborShapes(): HostileValue[] {
  const dag = [b(0x98, 40)];
  for (let k = 0; k < 40; k++) dag.push(k === 0 ? b(0xd8, 0x1c, 0x82, 0, 0) : b(0xd8, 0x1c, 0x82, 0xd8, 0x1d, cborUint(k - 1), 0xd8, 0x1d, cborUint(k - 1)));
  const keysToBigint = [b(0xb9, 0x03, 0xe8, 0xd8, 0x1c, 0xc2, 0x59, 0x08, 0x00, Buffer.alloc(2048, 0x5a), 0)];
  for (let i = 1; i < 1000; i++) keysToBigint.push(b(0xd8, 0x1d, 0, 0));
  return [
    { label: 'cbor cycle (tags 28/29)', bytes: b(0xd8, 0x1c, 0x82, 0xd8, 0x1d, 0, 0xd8, 0x1d, 0), strict: true },
    { label: 'cbor DAG of 2^40 paths (tags 28/29)', bytes: Buffer.concat(dag), strict: true },
    { label: 'cbor map of 1000 keys sharing one bignum', bytes: Buffer.concat(keysToBigint), strict: true },
    { label: 'cbor bignum of 256 KiB (tag 2)', bytes: b(0xc2, 0x5a, u32(262_144), Buffer.alloc(262_144, 0xa5)), strict: true },
    { label: 'cbor bignum of 300 bytes (tag 2)', bytes: b(0xc2, 0x59, 0x01, 0x2c, Buffer.alloc(300, 0xa5)), strict: true },
    { label: 'cbor negative bignum (tag 3)', bytes: b(0xc3, 0x59, 0x01, 0x2c, Buffer.alloc(300, 0x5a)), strict: true },
    { label: 'cbor Set (tag 258)', bytes: b(0xd9, 0x01, 0x02, 0x82, 1, 2), strict: true },
    { label: 'cbor Map (tag 259)', bytes: b(0xd9, 0x01, 0x03, 0xa1, 1, 2), strict: true },
    { label: 'cbor epoch date (tag 1)', bytes: b(0xc1, 0x1a, 0, 0, 0, 1), strict: true },
    { label: 'cbor date string (tag 0)', bytes: b(0xc0, 0x74, '2020-01-01T00:00:00Z'), strict: true },
    { label: 'cbor generic object Error (tag 27)', bytes: b(0xd8, 0x1b, 0x82, 0x65, 'Error', 0x61, 'x'), strict: true },
    { label: 'cbor generic object RegExp (tag 27)', bytes: b(0xd8, 0x1b, 0x82, 0x66, 'RegExp', 0x65, '(a+)+'), strict: true },
    // Tag 64 around a byte string is how cbor-x and node-cbor write a Uint8Array: it reads as bytes, legal data.
    { label: 'cbor byte array (tag 64)', bytes: b(0xd8, 0x40, 0x44, 1, 2, 3, 4), strict: false },
    { label: 'cbor record definition (tag 0xdfff)', bytes: b(0xd9, 0xdf, 0xff, 0x83, 0x19, 0xe0, 0x00, 0x81, 0x61, 'a', 1), strict: true },
    { label: 'cbor packed table (tag 51)', bytes: b(0xd8, 0x33, 0x84, 0x81, 0x61, 'a', 0x80, 0x80, 0xc6, 0), strict: true },
    { label: 'cbor packed reference (tag 6)', bytes: b(0xc6, 0), strict: true },
    { label: 'cbor stringref (tag 25)', bytes: b(0xd8, 0x19, 0), strict: true },
    { label: 'cbor unknown tag 1234', bytes: b(0xd9, 0x04, 0xd2, 1), strict: true },
    { label: 'cbor array of 2^64-1 elements', bytes: b(0x9b, Buffer.alloc(8, 0xff)), strict: true },
    { label: 'cbor text of 2^32-1 bytes', bytes: b(0x7a, 0xff, 0xff, 0xff, 0xff, 'a'), strict: true },
    { label: 'cbor unterminated indefinite array', bytes: b(0x9f, 1, 2), strict: true },
    { label: `cbor ${DEPTH} nested arrays`, bytes: Buffer.concat([Buffer.alloc(DEPTH, 0x81), b(0xf6)]), strict: true },
    { label: 'cbor invalid UTF-8 text', bytes: b(0x63, 0xff, 0xfe, 0xfd), strict: true },
    { label: 'cbor uint64 max', bytes: b(0x1b, Buffer.alloc(8, 0xff)), strict: false, integer: true },
    { label: 'cbor 2^53+1', bytes: b(0x1b, 0x00, 0x20, 0, 0, 0, 0, 0, 1), strict: false, integer: true },
    { label: 'cbor __proto__ key', bytes: b(0xa1, 0x69, '__proto__', 0xa1, 0x68, 'polluted', 0xf5), strict: false, map: true },
    { label: 'cbor self-described (tag 55799)', bytes: b(0xd9, 0xd9, 0xf7, 1), strict: false },
    { label: 'cbor undefined', bytes: b(0xf7), strict: false, absent: true },
    { label: 'cbor half-float NaN', bytes: b(0xf9, 0x7e, 0x00), strict: false },
  ];
}

function jsonShapes(): HostileValue[] {
  return [
    { label: `json ${DEPTH} nested arrays`, bytes: Buffer.from('['.repeat(DEPTH) + ']'.repeat(DEPTH)), strict: true },
    { label: 'json invalid UTF-8 string', bytes: b('"', 0xff, 0xfe, 0xfd, '"'), strict: true },
    { label: 'json NaN literal', bytes: Buffer.from('NaN'), strict: true },
    { label: 'json unterminated array', bytes: Buffer.from('[1,2'), strict: true },
    { label: 'json 1e400', bytes: Buffer.from('1e400'), strict: false },
    { label: 'json 30-digit integer', bytes: Buffer.from('123456789012345678901234567890'), strict: false, integer: true },
    { label: 'json 10000-digit integer', bytes: Buffer.from('9'.repeat(10_000)), strict: false, integer: true },
    // JSON numbers are doubles: this one parses as 2^53, a valid id (documented in the README).
    { label: 'json 2^53+1', bytes: Buffer.from('9007199254740993'), strict: false, integer: true, validId: true },
    { label: 'json binary with invalid base64', bytes: Buffer.from('"\\u0000!!!*"'), strict: false },
    { label: 'json __proto__ key', bytes: Buffer.from('{"__proto__":{"polluted":true}}'), strict: false, map: true },
    { label: 'json constructor.prototype keys', bytes: Buffer.from('{"constructor":{"prototype":{"polluted":true}}}'), strict: false, map: true },
    { label: 'json lone surrogate', bytes: Buffer.from('"\\ud800"'), strict: false },
    { label: 'json duplicate keys', bytes: Buffer.from('{"a":1,"a":2}'), strict: false, map: true },
    { label: 'json string of 512 KiB', bytes: Buffer.from(`"${'a'.repeat(524_288)}"`), strict: false },
  ];
}

const SHAPES: Record<Family, HostileValue[]> = { json: jsonShapes(), msgpack: msgpackShapes(), cbor: cborShapes() };

const EXCLUDE = process.env['FUZZ_EXCLUDE'] === undefined ? undefined : new RegExp(process.env['FUZZ_EXCLUDE']);

export function hostileValues(family: Family): readonly HostileValue[] {
  return EXCLUDE === undefined ? SHAPES[family] : SHAPES[family].filter((shape) => !EXCLUDE.test(shape.label));
}

/** Where a hostile value goes in a CALL (or a HELLO, or as the whole frame). */
export type Placement = 'whole' | 'args' | 'kwargs' | 'option' | 'id' | 'hello';
export const PLACEMENTS: readonly Placement[] = ['whole', 'args', 'kwargs', 'option', 'id', 'hello'];

function arrayHeader(family: Family, n: number): Buffer {
  return family === 'msgpack' ? b(0x90 | n) : b(0x80 | n);
}

function mapHeader(family: Family, n: number): Buffer {
  return family === 'msgpack' ? b(0x80 | n) : b(0xa0 | n);
}

/** Whether the server must refuse `value` at `placement` (ABORT, or ERROR for the request). */
export function mustRefuse(value: HostileValue, placement: Placement): boolean {
  switch (placement) {
    case 'whole':
      return true; // not a message at all
    case 'id':
      return value.validId !== true; // no request id outside [1, 2^53] is valid
    case 'args':
    case 'kwargs':
      return value.strict;
    case 'option':
      return value.strict || (value.integer !== true && value.absent !== true); // CALL.Options.timeout is an integer (a large one may be clamped)
    case 'hello':
      return value.strict || (value.map !== true && value.absent !== true); // HELLO.Details.authextra is a dict
  }
}

/** A message with `value` spliced in at `placement`, in `family`'s encoding. */
export function splice(family: Family, placement: Placement, value: Buffer, requestId: number): Buffer {
  if (placement === 'whole') return value;
  if (family === 'json') {
    const v = value.toString('latin1');
    const text = {
      args: `[48,${requestId},{},"fuzz.echo",[${v}]]`,
      kwargs: `[48,${requestId},{},"fuzz.echo",[],{"k":${v}}]`,
      option: `[48,${requestId},{"timeout":${v}},"fuzz.echo"]`,
      id: `[48,${v},{},"fuzz.echo"]`,
      hello: `[1,"realm1",{"roles":{"caller":{}},"authextra":${v}}]`,
    }[placement];
    return Buffer.from(text, 'latin1');
  }
  const e = (x: unknown): Buffer => encode(family, x);
  switch (placement) {
    case 'args':
      return Buffer.concat([arrayHeader(family, 5), e(48), e(requestId), e({}), e('fuzz.echo'), arrayHeader(family, 1), value]);
    case 'kwargs':
      return Buffer.concat([arrayHeader(family, 6), e(48), e(requestId), e({}), e('fuzz.echo'), e([]), mapHeader(family, 1), e('k'), value]);
    case 'option':
      return Buffer.concat([arrayHeader(family, 4), e(48), e(requestId), mapHeader(family, 1), e('timeout'), value, e('fuzz.echo')]);
    case 'id':
      return Buffer.concat([arrayHeader(family, 4), e(48), value, e({}), e('fuzz.echo')]);
    case 'hello':
      return Buffer.concat([arrayHeader(family, 3), e(1), e('realm1'), mapHeader(family, 2), e('roles'), e({ caller: {} }), e('authextra'), value]);
  }
}
