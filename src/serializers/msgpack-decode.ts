/**
 * A strict MessagePack decoder for client frames. It reads the plain
 * MessagePack types only: no extension is honoured (msgpackr's structured
 * clone, records, Set/Map/Date/RegExp/Error/typed arrays all fail) except
 * the 1-byte "undefined" extension (type 0) that msgpackr-based clients such
 * as wampy write. Map keys must be strings and stay own data properties, even
 * `__proto__`. Integers beyond 2^53 come out as BigInt so that no value is
 * silently rounded. Work and memory are linear in the frame size.
 * @module
 */
import { defineOwn } from '../own-properties.js';
import { DecodeError, MAX_DEPTH, tooDeep } from './decode-limits.js';
import { ByteReader, TRUNCATED } from './byte-reader.js';
import { readUtf8 } from './utf8.js';
import { copyBytes } from './bytes.js';

class Reader extends ByteReader {
  u8(): number {
    return this.bytes[this.take(1)]!;
  }

  u16(): number {
    return this.view.getUint16(this.take(2));
  }

  u32(): number {
    return this.view.getUint32(this.take(4));
  }

  u64(): number | bigint {
    const at = this.take(8);
    const high = this.view.getUint32(at);
    // Below 2^53 the value is exact as a number; above it must stay exact.
    return high < 0x200000 ? high * 0x100000000 + this.view.getUint32(at + 4) : this.view.getBigUint64(at);
  }

  i64(): number | bigint {
    const at = this.take(8);
    const high = this.view.getInt32(at);
    return high > -0x200000 && high < 0x200000 ? high * 0x100000000 + this.view.getUint32(at + 4) : this.view.getBigInt64(at);
  }

  str(length: number): string {
    const start = this.take(length);
    return readUtf8(this.bytes, start, start + length);
  }

  bin(length: number): Uint8Array {
    const start = this.take(length);
    // A copy, so that a small value does not keep the whole frame alive.
    return copyBytes(this.bytes, start, start + length);
  }

  ext(length: number): undefined {
    const type = this.u8();
    this.take(length);
    if (type === 0 && length === 1) return undefined;
    throw new DecodeError('MessagePack extension types are not accepted');
  }

  array(length: number, depth: number): unknown[] {
    if (depth >= MAX_DEPTH) throw tooDeep();
    // Every element takes at least one byte: a forged length fails before any allocation.
    if (length > this.bytes.byteLength - this.pos) throw new DecodeError(TRUNCATED);
    const out = new Array<unknown>(length);
    for (let i = 0; i < length; i++) out[i] = this.value(depth + 1);
    return out;
  }

  map(length: number, depth: number): Record<string, unknown> {
    if (depth >= MAX_DEPTH) throw tooDeep();
    if (length * 2 > this.bytes.byteLength - this.pos) throw new DecodeError(TRUNCATED);
    const out: Record<string, unknown> = {};
    for (let i = 0; i < length; i++) {
      const key = this.key();
      const value = this.value(depth + 1);
      // Like JSON, which cannot carry undefined, a key whose value is undefined is left out.
      if (value === undefined) continue;
      if (key === '__proto__') defineOwn(out, key, value);
      else out[key] = value;
    }
    return out;
  }

  key(): string {
    const first = this.u8();
    if (first >= 0xa0 && first < 0xc0) return this.str(first & 0x1f);
    if (first === 0xd9) return this.str(this.u8());
    if (first === 0xda) return this.str(this.u16());
    if (first === 0xdb) return this.str(this.u32());
    throw new DecodeError('MessagePack map keys must be strings');
  }

  value(depth: number): unknown {
    const first = this.u8();
    if (first < 0x80) return first;
    if (first < 0x90) return this.map(first & 0x0f, depth);
    if (first < 0xa0) return this.array(first & 0x0f, depth);
    if (first < 0xc0) return this.str(first & 0x1f);
    if (first >= 0xe0) return first - 0x100;
    switch (first) {
      case 0xc0: return null;
      case 0xc2: return false;
      case 0xc3: return true;
      case 0xc4: return this.bin(this.u8());
      case 0xc5: return this.bin(this.u16());
      case 0xc6: return this.bin(this.u32());
      case 0xc7: return this.ext(this.u8());
      case 0xc8: return this.ext(this.u16());
      case 0xc9: return this.ext(this.u32());
      case 0xca: return this.view.getFloat32(this.take(4));
      case 0xcb: return this.view.getFloat64(this.take(8));
      case 0xcc: return this.u8();
      case 0xcd: return this.u16();
      case 0xce: return this.u32();
      case 0xcf: return this.u64();
      case 0xd0: return this.view.getInt8(this.take(1));
      case 0xd1: return this.view.getInt16(this.take(2));
      case 0xd2: return this.view.getInt32(this.take(4));
      case 0xd3: return this.i64();
      case 0xd4: return this.ext(1);
      case 0xd5: return this.ext(2);
      case 0xd6: return this.ext(4);
      case 0xd7: return this.ext(8);
      case 0xd8: return this.ext(16);
      case 0xd9: return this.str(this.u8());
      case 0xda: return this.str(this.u16());
      case 0xdb: return this.str(this.u32());
      case 0xdc: return this.array(this.u16(), depth);
      case 0xdd: return this.array(this.u32(), depth);
      case 0xde: return this.map(this.u16(), depth);
      case 0xdf: return this.map(this.u32(), depth);
      default: throw new DecodeError('the frame holds a byte that starts no MessagePack value');
    }
  }
}

/** Decodes exactly one MessagePack value filling `bytes`; throws {@link DecodeError} otherwise. */
export function decodeMsgpackStrict(bytes: Uint8Array): unknown {
  const reader = new Reader(bytes);
  const value = reader.value(0);
  if (reader.pos !== bytes.byteLength) throw new DecodeError('the frame holds bytes after its MessagePack value');
  return value;
}
