/**
 * The CBOR encoder for what the application sends. Ours rather than a
 * package's: the decoder is already ours, the subset WAMP needs is small, and
 * the CBOR packages with native speed-ups made `npm ci` fail for consumers
 * whose registry lacks their platform builds.
 *
 * What it writes: safe integers as CBOR integers (shortest head), every other
 * number as float64, BigInts in the 64-bit range as 8-byte integers and
 * beyond it as bignums (tags 2/3), strings as text, any `ArrayBufferView` or
 * `ArrayBuffer` as a byte string (no typed-array tags), arrays, `Map`s with
 * string keys and objects (own enumerable string keys) as maps, `toJSON()`
 * results in place of the object (a `Date` becomes its ISO string, as in
 * JSON), and true/false/null/undefined. Symbols, functions, non-string map
 * keys and nesting deeper than {@link MAX_ENCODE_DEPTH} (a cycle) throw a
 * `TypeError` that names the problem, never the value.
 * @module
 */

/** Containers nested deeper than this are refused: a cycle would otherwise overflow the stack. */
const MAX_ENCODE_DEPTH = 1000;

const UINT = 0;
const NEGINT = 1;
const BYTES = 2;
const TEXT = 3;
const ARRAY = 4;
const MAP = 5;
const TAG = 6;
const U64_MAX = 0xffffffffffffffffn;
// A buffer grown past this for one large message is dropped afterwards rather than kept.
const KEEP_BYTES = 1024 * 1024;

const textEncoder = new TextEncoder();

function headLength(n: number): number {
  if (n < 24) return 1;
  if (n < 0x100) return 2;
  if (n < 0x10000) return 3;
  if (n < 0x100000000) return 5;
  return 9;
}

class Writer {
  buf = new Uint8Array(256);
  view = new DataView(this.buf.buffer);
  pos = 0;
  busy = false;

  reserve(n: number): void {
    const needed = this.pos + n;
    if (needed <= this.buf.byteLength) return;
    let size = this.buf.byteLength * 2;
    while (size < needed) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** A major type with its argument `n` (a non-negative safe integer), in the shortest form. */
  head(major: number, n: number): void {
    this.reserve(9);
    const m = major << 5;
    const p = this.pos;
    if (n < 24) {
      this.buf[p] = m | n;
      this.pos = p + 1;
    } else if (n < 0x100) {
      this.buf[p] = m | 24;
      this.buf[p + 1] = n;
      this.pos = p + 2;
    } else if (n < 0x10000) {
      this.buf[p] = m | 25;
      this.view.setUint16(p + 1, n);
      this.pos = p + 3;
    } else if (n < 0x100000000) {
      this.buf[p] = m | 26;
      this.view.setUint32(p + 1, n);
      this.pos = p + 5;
    } else {
      this.buf[p] = m | 27;
      this.view.setUint32(p + 1, Math.floor(n / 0x100000000));
      this.view.setUint32(p + 5, n >>> 0);
      this.pos = p + 9;
    }
  }

  bytes(major: number, data: Uint8Array): void {
    this.head(major, data.byteLength);
    this.reserve(data.byteLength);
    this.buf.set(data, this.pos);
    this.pos += data.byteLength;
  }

  text(s: string): void {
    const length = s.length;
    if (length < 24) {
      // Short ASCII keys and URIs dominate WAMP messages; a plain loop beats encodeInto for them.
      this.reserve(1 + length);
      const p = this.pos + 1;
      let i = 0;
      for (; i < length; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        this.buf[p + i] = c;
      }
      if (i === length) {
        this.buf[this.pos] = (TEXT << 5) | length;
        this.pos = p + length;
        return;
      }
    }
    // UTF-8 takes at most 3 bytes per UTF-16 unit: write after room for the longest head, then close the gap.
    const most = length * 3;
    const room = headLength(most);
    // The head written below reserves 9 bytes itself; ask for them now so that it cannot reallocate past the text.
    this.reserve(room + most + 9);
    const start = this.pos + room;
    const { written } = textEncoder.encodeInto(s, this.buf.subarray(start));
    const actual = headLength(written);
    if (actual !== room) this.buf.copyWithin(this.pos + actual, start, start + written);
    this.head(TEXT, written);
    this.pos += written;
  }

  number(n: number): void {
    if (Number.isSafeInteger(n)) {
      if (n >= 0) this.head(UINT, n);
      else this.head(NEGINT, -1 - n);
      return;
    }
    this.reserve(9);
    this.buf[this.pos] = 0xfb;
    this.view.setFloat64(this.pos + 1, n);
    this.pos += 9;
  }

  bigint(n: bigint): void {
    const negative = n < 0n;
    const magnitude = negative ? -1n - n : n;
    if (magnitude <= U64_MAX) {
      this.reserve(9);
      this.buf[this.pos] = ((negative ? NEGINT : UINT) << 5) | 27;
      this.view.setBigUint64(this.pos + 1, magnitude);
      this.pos += 9;
      return;
    }
    const hex = magnitude.toString(16);
    const digits = hex.length % 2 === 0 ? hex : '0' + hex;
    const data = new Uint8Array(digits.length / 2);
    for (let i = 0; i < data.length; i++) data[i] = parseInt(digits.slice(i * 2, i * 2 + 2), 16);
    this.head(TAG, negative ? 3 : 2);
    this.bytes(BYTES, data);
  }

  simple(byte: number): void {
    this.reserve(1);
    this.buf[this.pos++] = byte;
  }

  value(value: unknown, depth: number): void {
    switch (typeof value) {
      case 'string':
        return this.text(value);
      case 'number':
        return this.number(value);
      case 'boolean':
        return this.simple(value ? 0xf5 : 0xf4);
      case 'undefined':
        return this.simple(0xf7);
      case 'bigint':
        return this.bigint(value);
      case 'object':
        if (value === null) return this.simple(0xf6);
        return this.object(value, depth);
      default:
        throw new TypeError(`CBOR cannot encode a ${typeof value}`);
    }
  }

  object(value: object, depth: number): void {
    if (depth >= MAX_ENCODE_DEPTH) throw new TypeError(`CBOR encoding: nesting deeper than ${MAX_ENCODE_DEPTH} (a cycle?)`);
    if (Array.isArray(value)) {
      this.head(ARRAY, value.length);
      for (const item of value) this.value(item, depth + 1);
      return;
    }
    if (ArrayBuffer.isView(value)) return this.bytes(BYTES, new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    if (value instanceof ArrayBuffer) return this.bytes(BYTES, new Uint8Array(value));
    if (value instanceof Map) return this.map(value, depth);
    const toJSON: unknown = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return this.value(toJSON.call(value), depth + 1);
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    this.head(MAP, keys.length);
    for (const key of keys) {
      this.text(key);
      this.value(record[key], depth + 1);
    }
  }

  map(value: Map<unknown, unknown>, depth: number): void {
    this.head(MAP, value.size);
    for (const [key, item] of value) {
      if (typeof key !== 'string') throw new TypeError('CBOR encoding: WAMP map keys must be strings');
      this.text(key);
      this.value(item, depth + 1);
    }
  }

  encode(value: unknown): Uint8Array {
    this.pos = 0;
    this.busy = true;
    try {
      this.value(value, 0);
      return this.buf.slice(0, this.pos);
    } finally {
      this.busy = false;
      if (this.buf.byteLength > KEEP_BYTES) {
        this.buf = new Uint8Array(256);
        this.view = new DataView(this.buf.buffer);
      }
    }
  }
}

const shared = new Writer();

/** Encodes one value as CBOR. Throws a `TypeError` for a value WAMP cannot carry. */
export function encodeCBORValue(value: unknown): Uint8Array {
  // A toJSON() that itself encodes would otherwise write into the buffer in use.
  return (shared.busy ? new Writer() : shared).encode(value);
}
