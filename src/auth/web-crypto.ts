/**
 * The few primitives the authentication methods need, on Web Crypto
 * (`globalThis.crypto`) and plain `Uint8Array`s, so that auth runs on any
 * runtime with no `node:crypto` and no `Buffer`.
 * @module
 */
import { encodeBase64 } from '../serializers/base64.js';

const encoder = new TextEncoder();

/** The UTF-8 bytes of `text`. */
export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text) as Uint8Array<ArrayBuffer>;
}

/** `length` cryptographically random bytes. */
export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

/** Lower-case hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += (byte < 16 ? '0' : '') + byte.toString(16);
  return hex;
}

/** The bytes of an even-length hex string the caller has already validated. */
export function fromHex(hex: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/** Unpadded base64url of `bytes`, as in nonces and generated authids. */
export function toBase64Url(bytes: Uint8Array): string {
  return encodeBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * HMAC zero-pads a key shorter than the hash block, so the empty key and
 * one zero byte are the same key; Web Crypto refuses the former.
 */
function hmacKeyBytes(key: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  return key.length === 0 ? new Uint8Array(1) : key;
}

/** A Web Crypto key (named through the API: the `CryptoKey` global type belongs to the DOM library). */
export type WebCryptoKey = Awaited<ReturnType<typeof globalThis.crypto.subtle.importKey>>;

/** An HMAC-SHA256 key, imported once for a key used many times (importing costs as much as signing). */
export function hmacSha256Key(key: Uint8Array<ArrayBuffer>): Promise<WebCryptoKey> {
  return globalThis.crypto.subtle.importKey('raw', hmacKeyBytes(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

/** HMAC-SHA256 of `data` under `key`. */
export async function hmacSha256(key: Uint8Array<ArrayBuffer> | WebCryptoKey, data: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  // isView, not instanceof: bytes from another realm (a TextEncoder's, a worker's) are bytes too.
  const cryptoKey = ArrayBuffer.isView(key) ? await hmacSha256Key(key) : key;
  return new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', cryptoKey, data));
}

/** PBKDF2-HMAC-SHA256 of `password` and `salt`: `keylen` bytes. */
export async function pbkdf2Sha256(password: Uint8Array<ArrayBuffer>, salt: Uint8Array<ArrayBuffer>, iterations: number, keylen: number): Promise<Uint8Array> {
  const subtle = globalThis.crypto.subtle;
  const cryptoKey = await subtle.importKey('raw', hmacKeyBytes(password), 'PBKDF2', false, ['deriveBits']);
  return new Uint8Array(await subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, cryptoKey, keylen * 8));
}

/** Whether `signature` is `publicKey`'s Ed25519 signature of `message`; false for a key that is not a valid point. */
export async function verifyEd25519(publicKey: Uint8Array<ArrayBuffer>, message: Uint8Array<ArrayBuffer>, signature: Uint8Array<ArrayBuffer>): Promise<boolean> {
  const subtle = globalThis.crypto.subtle;
  try {
    const cryptoKey = await subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
    return await subtle.verify({ name: 'Ed25519' }, cryptoKey, signature, message);
  } catch {
    return false;
  }
}
