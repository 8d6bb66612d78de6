/**
 * Whether an outbound frame is over a peer's maximum message length, without
 * Node's `Buffer`.
 * @module
 */

const encoder = new TextEncoder();
/** Where strings are encoded to be counted: native encoding is ~30× faster than a JS loop over code units. */
const scratch = new Uint8Array(64 * 1024);

/**
 * Whether `frame` is longer than `limit` octets (strings are sent as UTF-8).
 * A string is only counted when its UTF-16 length leaves the answer open:
 * each code unit is 1 to 3 octets, so most frames are decided at once.
 */
export function exceedsLength(frame: string | Uint8Array, limit: number): boolean {
  if (typeof frame !== 'string') return frame.byteLength > limit;
  const units = frame.length;
  if (units > limit) return true;
  if (units * 3 <= limit) return false;
  return utf8LengthUpTo(frame, limit) > limit;
}

/** The UTF-8 length of `text`, or a number over `limit` as soon as it is known to be. */
export function utf8LengthUpTo(text: string, limit = Infinity): number {
  let read = 0;
  let octets = 0;
  while (read < text.length && octets <= limit) {
    // Slices of a flat string are views in V8, not copies.
    const result = encoder.encodeInto(read === 0 ? text : text.slice(read), scratch);
    read += result.read;
    octets += result.written;
  }
  return octets;
}
