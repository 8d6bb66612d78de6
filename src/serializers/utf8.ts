/**
 * Strict UTF-8 text for the binary decoders: invalid sequences are a decode
 * error rather than U+FFFD, and a leading byte-order mark is kept as data.
 * @module
 */
import { DecodeError } from './decode-limits.js';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

// Most WAMP strings (URIs, option keys) are short ASCII, where building the
// string by hand is much cheaper than a TextDecoder call.
const SHORT = 32;

function decodeSlow(bytes: Uint8Array, start: number, end: number): string {
  try {
    return decoder.decode(bytes.subarray(start, end));
  } catch {
    throw new DecodeError('a string is not valid UTF-8');
  }
}

/** Decodes `bytes[start, end)` as UTF-8; the caller has checked the bounds. */
export function readUtf8(bytes: Uint8Array, start: number, end: number): string {
  if (end - start > SHORT) return decodeSlow(bytes, start, end);
  let text = '';
  for (let i = start; i < end; i++) {
    const byte = bytes[i]!;
    if (byte >= 0x80) return decodeSlow(bytes, start, end);
    text += String.fromCharCode(byte);
  }
  return text;
}

/**
 * Whether `text` takes more than `limit` bytes as UTF-8. The UTF-16 length
 * settles most cases without a walk: a code unit takes 1 to 3 bytes (a
 * surrogate pair takes 4, i.e. 2 per unit).
 */
export function utf8LongerThan(text: string, limit: number): boolean {
  if (text.length > limit) return true;
  if (text.length * 3 <= limit) return false;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit < 0xdc00 && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3; // a lone surrogate is written as U+FFFD
    if (bytes > limit) return true;
  }
  return false;
}
