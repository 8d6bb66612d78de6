/**
 * A strict CBOR decoder for client frames. It reads the JSON-like subset
 * WAMP needs: integers, floats (half, single, double), byte and text strings
 * (definite or indefinite length), arrays, maps with text keys, booleans,
 * null and undefined. Two tags are read because common encoders (cbor-x,
 * node-cbor) write them for plain values: 64 (a `Uint8Array`) around a byte
 * string, and 2/3 (bignums) of at most 8 bytes, which fit the 64-bit integer
 * range WAMP peers share. Every other tag fails, including value sharing
 * (28/29), longer bignums, dates and other typed arrays, so nothing shared,
 * cyclic or costly to build can come out. Map keys stay own data properties, even
 * `__proto__`. Integers beyond 2^53 come out as BigInt so that no value is
 * silently rounded. Work and memory are linear in the frame size.
 * @module
 */
import { defineOwn } from '../own-properties.js';
import { DecodeError, MAX_DEPTH, tooDeep } from './decode-limits.js';
import { ByteReader, TRUNCATED } from './byte-reader.js';
import { readUtf8 } from './utf8.js';
import { concatBytes, copyBytes } from './bytes.js';

const BREAK = 0xff;
const INDEFINITE = 31;
const TAG_POSITIVE_BIGNUM = 2;
const TAG_NEGATIVE_BIGNUM = 3;
const TAG_UINT8_ARRAY = 64;

function halfToNumber(half: number): number {
  const exponent = (half >> 10) & 0x1f;
  const fraction = half & 0x3ff;
  const sign = half & 0x8000 ? -1 : 1;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1024 + fraction) * 2 ** (exponent - 25);
}

class Reader extends ByteReader {
  peek(): number {
    if (this.pos >= this.bytes.byteLength) throw new DecodeError(TRUNCATED);
    return this.bytes[this.pos]!;
  }

  /** The argument of a head whose additional information is `info` (not 31). */
  argument(info: number): number | bigint {
    if (info < 24) return info;
    if (info === 24) return this.bytes[this.take(1)]!;
    if (info === 25) return this.view.getUint16(this.take(2));
    if (info === 26) return this.view.getUint32(this.take(4));
    if (info === 27) {
      const at = this.take(8);
      const high = this.view.getUint32(at);
      return high < 0x200000 ? high * 0x100000000 + this.view.getUint32(at + 4) : this.view.getBigUint64(at);
    }
    throw new DecodeError('the frame holds a malformed CBOR head');
  }

  /** A length argument: anything that does not fit in the frame is a lie. */
  length(info: number, unit: number): number {
    const length = this.argument(info);
    if (typeof length === 'bigint' || length * unit > this.bytes.byteLength - this.pos) throw new DecodeError(TRUNCATED);
    return length;
  }

  string(major: number, info: number): string | Uint8Array {
    if (info !== INDEFINITE) {
      const length = this.length(info, 1);
      const start = this.take(length);
      // Bytes are copied, so that a small value does not keep the whole frame alive.
      return major === 3 ? readUtf8(this.bytes, start, start + length) : copyBytes(this.bytes, start, start + length);
    }
    const chunks: Array<string | Uint8Array> = [];
    for (;;) {
      const head = this.bytes[this.take(1)]!;
      if (head === BREAK) break;
      if (head >> 5 !== major || (head & 0x1f) === INDEFINITE) {
        throw new DecodeError('an indefinite-length CBOR string holds a chunk of another type');
      }
      chunks.push(this.string(major, head & 0x1f));
    }
    return major === 3 ? (chunks as string[]).join('') : concatBytes(chunks as Uint8Array[]);
  }

  array(info: number, depth: number): unknown[] {
    if (depth >= MAX_DEPTH) throw tooDeep();
    if (info === INDEFINITE) {
      const out: unknown[] = [];
      while (this.peek() !== BREAK) out.push(this.value(depth + 1));
      this.pos++;
      return out;
    }
    const length = this.length(info, 1);
    const out = new Array<unknown>(length);
    for (let i = 0; i < length; i++) out[i] = this.value(depth + 1);
    return out;
  }

  map(info: number, depth: number): Record<string, unknown> {
    if (depth >= MAX_DEPTH) throw tooDeep();
    const out: Record<string, unknown> = {};
    const length = info === INDEFINITE ? Infinity : this.length(info, 2);
    for (let i = 0; i < length; i++) {
      const head = this.bytes[this.take(1)]!;
      if (head === BREAK && length === Infinity) break;
      if (head >> 5 !== 3) throw new DecodeError('CBOR map keys must be text strings');
      const key = this.string(3, head & 0x1f) as string;
      const value = this.value(depth + 1);
      // Like JSON, which cannot carry undefined, a key whose value is undefined is left out.
      if (value === undefined) continue;
      if (key === '__proto__') defineOwn(out, key, value);
      else out[key] = value;
    }
    return out;
  }

  simple(info: number): unknown {
    switch (info) {
      case 20: return false;
      case 21: return true;
      case 22: return null;
      case 23: return undefined;
      case 25: return halfToNumber(this.view.getUint16(this.take(2)));
      case 26: return this.view.getFloat32(this.take(4));
      case 27: return this.view.getFloat64(this.take(8));
      case INDEFINITE: throw new DecodeError('the frame holds a CBOR break outside an indefinite-length item');
      default: throw new DecodeError('CBOR simple values other than false, true, null and undefined are not accepted');
    }
  }

  /** The content of a tag: a byte string, read as bytes or as a bignum. */
  tagged(tag: number | bigint): Uint8Array | number | bigint {
    if (tag !== TAG_UINT8_ARRAY && tag !== TAG_POSITIVE_BIGNUM && tag !== TAG_NEGATIVE_BIGNUM) {
      throw new DecodeError('CBOR tags other than 2, 3 (bignums up to 64 bits) and 64 (bytes) are not accepted');
    }
    const head = this.bytes[this.take(1)]!;
    if (head >> 5 !== 2) throw new DecodeError('a CBOR bignum or byte-array tag must hold a byte string');
    const content = this.string(2, head & 0x1f) as Uint8Array;
    if (tag === TAG_UINT8_ARRAY) return content;
    if (content.byteLength > 8) throw new DecodeError('CBOR bignums beyond 64 bits are not accepted');
    let n = 0n;
    for (const byte of content) n = (n << 8n) | BigInt(byte);
    if (tag === TAG_NEGATIVE_BIGNUM) n = -1n - n;
    // Canonical encoders use a bignum only beyond 2^64; a smaller one is still a plain integer.
    return n >= -Number.MAX_SAFE_INTEGER && n <= Number.MAX_SAFE_INTEGER ? Number(n) : n;
  }

  value(depth: number): unknown {
    const head = this.bytes[this.take(1)]!;
    const major = head >> 5;
    const info = head & 0x1f;
    switch (major) {
      case 0:
        if (info === INDEFINITE) break;
        return this.argument(info);
      case 1: {
        if (info === INDEFINITE) break;
        const n = this.argument(info);
        return typeof n === 'number' && n < Number.MAX_SAFE_INTEGER ? -1 - n : -1n - BigInt(n);
      }
      case 2:
      case 3:
        return this.string(major, info);
      case 4:
        return this.array(info, depth);
      case 5:
        return this.map(info, depth);
      case 6:
        return this.tagged(this.argument(info));
      default:
        return this.simple(info);
    }
    throw new DecodeError('the frame holds a malformed CBOR head');
  }
}

/** Decodes exactly one CBOR data item filling `bytes`; throws {@link DecodeError} otherwise. */
export function decodeCBORStrict(bytes: Uint8Array): unknown {
  const reader = new Reader(bytes);
  const value = reader.value(0);
  if (reader.pos !== bytes.byteLength) throw new DecodeError('the frame holds bytes after its CBOR value');
  return value;
}
