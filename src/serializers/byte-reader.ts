/**
 * The cursor the strict binary decoders share: a position in one frame, and
 * bounds checks that fail with a {@link DecodeError} instead of reading past
 * the end.
 * @module
 */
import { DecodeError } from './decode-limits.js';

/** The message of a frame that ends inside a value. */
export const TRUNCATED = 'the frame ends in the middle of a value';

export class ByteReader {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  pos = 0;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Reserves `n` bytes and returns where they start. */
  take(n: number): number {
    const start = this.pos;
    if (n > this.bytes.byteLength - start) throw new DecodeError(TRUNCATED);
    this.pos = start + n;
    return start;
  }
}
