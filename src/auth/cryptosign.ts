/**
 * WAMP-Cryptosign: the client names its Ed25519 public key in HELLO and
 * proves it holds the private key by signing a random 32-byte challenge.
 * Verified with `node:crypto` alone. TLS channel binding is not offered
 * (neither autobahn-js nor wampy supports it).
 * @module
 */
import { createPublicKey, randomBytes, timingSafeEqual, verify } from 'node:crypto';
import type { AuthenticatorResult, Awaitable } from './identity.js';
import type { PendingSession } from './pending-session.js';

/**
 * Returns the identity of the holder of `pubkey` (64 hex characters), or
 * nothing if the key is not known. Called only after the client proved it
 * holds the matching private key.
 *
 * @example
 * ```ts
 * realm.setCryptosignAuthenticator(async (session, pubkey) => {
 *   const device = await devices.byPublicKey(pubkey);
 *   return device && { authid: device.name, authrole: 'device', device };
 * });
 * ```
 */
export type CryptosignKeyProvider = (session: PendingSession, pubkey: string) => Awaitable<AuthenticatorResult>;

// An Ed25519 SubjectPublicKeyInfo is this fixed DER header followed by the 32 key bytes.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const HEX_32_BYTES = /^[0-9a-fA-F]{64}$/;
const HEX_96_BYTES = /^[0-9a-fA-F]{192}$/;

/**
 * Verifies a cryptosign AUTHENTICATE signature: `signature` is the hex of
 * the 64-byte Ed25519 signature followed by the 32 signed bytes, which must
 * be `challenge`. All arguments are hex.
 *
 * @example
 * ```ts
 * verifyCryptosignSignature(pubkey, challenge, reply.signature); // true or false
 * ```
 */
export function verifyCryptosignSignature(pubkey: string, challenge: string, signature: string): boolean {
  if (!HEX_32_BYTES.test(pubkey) || !HEX_32_BYTES.test(challenge) || !HEX_96_BYTES.test(signature)) return false;
  const signed = Buffer.from(signature, 'hex');
  const expected = Buffer.from(challenge, 'hex');
  if (!timingSafeEqual(signed.subarray(64), expected)) return false;
  try {
    const key = createPublicKey({
      key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(pubkey, 'hex')]),
      format: 'der',
      type: 'spki',
    });
    return verify(null, expected, key, signed.subarray(0, 64));
  } catch {
    return false; // not a valid Ed25519 point
  }
}

/**
 * Runs a cryptosign exchange. Resolves with the client's public key (lower
 * case hex) once it proved it holds the private key, or `undefined`.
 */
export async function authenticateWithCryptosign(session: PendingSession): Promise<string | undefined> {
  const pubkey = session.authextra['pubkey'];
  if (typeof pubkey !== 'string' || !HEX_32_BYTES.test(pubkey)) return undefined;
  const channelBinding = session.authextra['channel_binding'];
  if (channelBinding !== undefined && channelBinding !== null) return undefined; // asked for a binding we cannot give
  const challenge = randomBytes(32).toString('hex');
  const { signature } = await session.challenge('cryptosign', { challenge, channel_binding: null });
  return verifyCryptosignSignature(pubkey, challenge, signature) ? pubkey.toLowerCase() : undefined;
}
