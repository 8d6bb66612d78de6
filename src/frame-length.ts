/**
 * Whether an outbound frame is over a peer's maximum message length, without
 * Node's `Buffer`.
 * @module
 */

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
  return utf8Length(frame) > limit;
}

/** The UTF-8 length of `text`. */
export function utf8Length(text: string): number {
  let octets = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) octets += 1;
    else if (unit < 0x800) octets += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      // A surrogate pair is one 4-octet code point.
      octets += 4;
      i++;
    } else octets += 3; // lone surrogates are written as U+FFFD, also 3 octets
  }
  return octets;
}
