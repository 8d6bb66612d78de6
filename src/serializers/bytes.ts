/**
 * Byte copies for the decoders, on plain `Uint8Array`s so that the bottom
 * layer runs on any runtime.
 * @module
 */

/**
 * A copy of `bytes[start, end)`: a small value must not keep a whole frame
 * alive. Always a plain `Uint8Array`, whatever subclass the frame is (a Node
 * `Buffer`'s `slice` would be a view, and a typed-array slice keeps the subclass).
 */
export function copyBytes(bytes: Uint8Array, start: number, end: number): Uint8Array {
  const out = new Uint8Array(end - start);
  out.set(bytes.subarray(start, end));
  return out;
}

/** The chunks joined into one new array. */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const chunk of chunks) length += chunk.byteLength;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
