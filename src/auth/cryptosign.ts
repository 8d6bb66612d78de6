/**
 * WAMP-Cryptosign: the client names its Ed25519 public key in HELLO and
 * proves it holds the private key by signing a random 32-byte challenge.
 * Verified with Web Crypto's Ed25519. TLS channel binding is not offered
 * (neither autobahn-js nor wampy supports it).
 * @module
 */
import type { AuthenticatorResult, Awaitable } from './identity.js';
import type { PendingSession } from './pending-session.js';
import { fromHex, randomBytes, toHex, verifyEd25519 } from './web-crypto.js';

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

const HEX_32_BYTES = /^[0-9a-fA-F]{64}$/;
const HEX_96_BYTES = /^[0-9a-fA-F]{192}$/;

/**
 * Verifies a cryptosign AUTHENTICATE signature: `signature` is the hex of
 * the 64-byte Ed25519 signature followed by the 32 signed bytes, which must
 * be `challenge`. All arguments are hex. Asynchronous because Web Crypto is.
 *
 * @example
 * ```ts
 * await verifyCryptosignSignature(pubkey, challenge, signature); // true or false
 * ```
 */
export async function verifyCryptosignSignature(pubkey: string, challenge: string, signature: string): Promise<boolean> {
  if (!HEX_32_BYTES.test(pubkey) || !HEX_32_BYTES.test(challenge) || !HEX_96_BYTES.test(signature)) return false;
  // The challenge is public: comparing it need not be constant-time.
  if (signature.slice(128).toLowerCase() !== challenge.toLowerCase()) return false;
  const signed = fromHex(signature);
  return verifyEd25519(fromHex(pubkey), signed.slice(64), signed.slice(0, 64));
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
  const challenge = toHex(randomBytes(32));
  const { signature } = await session.challenge('cryptosign', { challenge, channel_binding: null });
  return (await verifyCryptosignSignature(pubkey, challenge, signature)) ? pubkey.toLowerCase() : undefined;
}
