/**
 * The WAMP-CRA decoy: what an authid the requirement provider does not know
 * is challenged with. Its CHALLENGE must look like a real user's, so that
 * probing authids reveals nothing: same fields, a salt that is stable per
 * authid (a random one per attempt would give the unknown away on the second
 * try), the realm's usual parameters and a plausible role.
 * @module
 */
import { ServerwampError } from '../errors.js';
import { anyValue, checkOptions, nested, type OptionShape } from '../options.js';
import { encodeBase64 } from '../serializers/base64.js';
import { hmacSha256, hmacSha256Key, randomBytes, utf8, type WebCryptoKey } from './web-crypto.js';

/**
 * How a realm's WAMP-CRA challenges look for authids that do not exist.
 * Set it to match what most of the realm's real users get; a user whose
 * challenge differs from it (another role, unsalted among salted) stands out.
 *
 * @example
 * ```ts
 * import type { CRAUnknownUsers } from 'serverwamp';
 *
 * // Every real user of this realm is a salted 'customer' with 100,000 PBKDF2 iterations: so is the decoy.
 * const unknownUsers: CRAUnknownUsers = { role: 'customer', provider: 'accounts', salted: true, iterations: 100_000 };
 * realm.setCRAHandlers(
 *   async (session) => users.find(session.authid).then((u) => u && { derivedKey: u.craKey, salt: u.salt, role: 'customer', iterations: 100_000 }),
 *   (session) => session.authid,
 *   { unknownUsers },
 * );
 * ```
 */
export interface CRAUnknownUsers {
  /** The role named in the challenge (default `user`). */
  role?: string;
  /** The authprovider named in the challenge (default `dynamic`). */
  provider?: string;
  /** Whether the realm's users have salted secrets, so the decoy carries `salt`, `iterations` and `keylen` (default true). */
  salted?: boolean;
  /** PBKDF2 iterations of the decoy (default 1000, as clients assume). */
  iterations?: number;
  /** Derived key length of the decoy, in bytes (default 32, as clients assume). */
  keylen?: number;
}

/**
 * Options of {@link Realm.setCRAHandlers}.
 *
 * @example
 * ```ts
 * import type { CRAOptions } from 'serverwamp';
 *
 * const options: CRAOptions = {
 *   unknownUsers: { role: 'user', salted: true },
 *   decoySecret: process.env['CRA_DECOY_SECRET']!, // the same on every node, at least 16 bytes
 * };
 * realm.setCRAHandlers(
 *   async (session) => users.find(session.authid).then((u) => u && { derivedKey: u.craKey, salt: u.salt, role: u.role }),
 *   (session) => session.authid,
 *   options,
 * );
 * ```
 */
export interface CRAOptions {
  /** What the challenge of an authid the requirement provider does not know looks like. */
  unknownUsers?: CRAUnknownUsers;
  /**
   * The key the decoy salts are derived from (HMAC-SHA256 of the authid), at
   * least 16 bytes. Default: random per realm, so the decoy salt of an authid
   * changes on restart. Give every process that serves the realm the same
   * value, so that a restart or another process does not give unknowns away.
   */
  decoySecret?: string | Uint8Array;
}

/** The decoy fully resolved. */
export interface CRADecoy {
  readonly role: string;
  readonly provider: string;
  /** Present when the decoy is salted. */
  readonly params: { readonly iterations: number; readonly keylen: number } | undefined;
  /** The salt shown for `authid`: base64 of 16 bytes, the shape of a random 16-byte salt in base64. */
  salt(authid: string): Promise<string>;
}

export const DEFAULT_ITERATIONS = 1000;
export const DEFAULT_KEYLEN = 32;
const MIN_SECRET_BYTES = 16;
/** PBKDF2 costs iterations × CPU: a client-supplied authid cannot choose it, but a misconfiguration could block every login. */
const MAX_ITERATIONS = 10_000_000;
const MAX_KEYLEN = 1024;

function invalid(message: string): never {
  throw new ServerwampError('ERR_INVALID_OPTION', message);
}

function boundedInteger(value: unknown, fallback: number, max: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || (value as number) < 1 || (value as number) > max) {
    invalid(`unknownUsers.${name} must be an integer from 1 to ${max}`);
  }
  return value as number;
}

function optionalString(value: unknown, fallback: string, name: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value === '') invalid(`unknownUsers.${name} must be a non-empty string`);
  return value;
}

function secretBytes(secret: unknown): Uint8Array<ArrayBuffer> {
  if (secret === undefined) return randomBytes(32);
  // A copy: the caller's array may change later, and may be a view of a larger buffer.
  const bytes = typeof secret === 'string' ? utf8(secret) : secret instanceof Uint8Array ? new Uint8Array(secret) : invalid('decoySecret must be a string or a Uint8Array');
  if (bytes.length < MIN_SECRET_BYTES) invalid(`decoySecret must be at least ${MIN_SECRET_BYTES} bytes`);
  return bytes;
}

// Only the keys are checked here: the values' ranges are checked below, with their own messages.
const craOptionShape: OptionShape = {
  unknownUsers: nested({ salted: anyValue, role: anyValue, provider: anyValue, iterations: anyValue, keylen: anyValue }),
  decoySecret: anyValue,
};

/** Validates {@link CRAOptions} (throws `ERR_INVALID_OPTION`) and resolves the decoy. */
export function createCRADecoy(options: CRAOptions = {}): CRADecoy {
  checkOptions(options, craOptionShape, 'setCRAHandlers');
  const unknown: CRAUnknownUsers = options.unknownUsers === undefined ? {} : options.unknownUsers;
  if (typeof unknown !== 'object' || unknown === null) invalid('unknownUsers must be an object');
  if (unknown.salted !== undefined && typeof unknown.salted !== 'boolean') invalid('unknownUsers.salted must be a boolean');
  const role = optionalString(unknown.role, 'user', 'role');
  const provider = optionalString(unknown.provider, 'dynamic', 'provider');
  const iterations = boundedInteger(unknown.iterations, DEFAULT_ITERATIONS, MAX_ITERATIONS, 'iterations');
  const keylen = boundedInteger(unknown.keylen, DEFAULT_KEYLEN, MAX_KEYLEN, 'keylen');
  const secret = secretBytes(options.decoySecret);
  let key: Promise<WebCryptoKey> | undefined;
  return {
    role,
    provider,
    params: unknown.salted === false ? undefined : { iterations, keylen },
    salt: async (authid) => encodeBase64((await hmacSha256(await (key ??= hmacSha256Key(secret)), utf8(authid))).subarray(0, 16)),
  };
}
