/**
 * Base64 for the JSON binary convention without Node's `Buffer`. Where the
 * runtime has `Uint8Array.fromBase64` and `Uint8Array#toBase64` (Bun, Deno,
 * current browsers, newer Node) those are used. Otherwise `btoa`/`atob` over a
 * latin1 string, which measured faster than a hand-written table codec on
 * Node 20 (1 KiB: encode 4.1-4.6 vs 5.6 µs, decode 3.9 vs 3.8-5.0 µs; 64 KiB:
 * encode 257-298 vs 386-420 µs, decode 147-180 vs 172-311 µs).
 * @module
 */
import { DecodeError } from './decode-limits.js';

interface NativeBase64 {
  fromBase64?: (text: string) => Uint8Array;
}
type WithToBase64 = Uint8Array & { toBase64?: () => string };

const native = Uint8Array as unknown as NativeBase64;
const hasNative = typeof native.fromBase64 === 'function' && typeof (Uint8Array.prototype as WithToBase64).toBase64 === 'function';

// Spreading a whole large array into fromCharCode would overflow the stack.
const CHUNK = 0x2000;

function encodeLatin1(bytes: Uint8Array): string {
  let latin1 = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    latin1 += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]);
  }
  return btoa(latin1);
}

function decodeLatin1(text: string): Uint8Array {
  const latin1 = atob(text);
  const out = new Uint8Array(latin1.length);
  for (let i = 0; i < latin1.length; i++) out[i] = latin1.charCodeAt(i);
  return out;
}

/** Standard base64 (with padding) of `bytes`. */
export function encodeBase64(bytes: Uint8Array): string {
  return hasNative ? (bytes as WithToBase64).toBase64!() : encodeLatin1(bytes);
}

/**
 * Decodes standard base64 (padding optional, ASCII whitespace ignored).
 * Anything else is refused: silently dropping characters would hand the
 * application bytes the client never meant. Throws {@link DecodeError}.
 */
export function decodeBase64(text: string): Uint8Array {
  try {
    return hasNative ? native.fromBase64!(text) : decodeLatin1(text);
  } catch {
    throw new DecodeError('a "\\u0000" string is not valid base64');
  }
}
