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
