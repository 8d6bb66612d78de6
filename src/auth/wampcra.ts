/**
 * WAMP-CRA (challenge-response authentication): the client proves it knows
 * a shared secret by signing a one-time challenge with HMAC-SHA256, without
 * sending the secret. Salted secrets are derived with PBKDF2-HMAC-SHA256.
 * @module
 */
import { encodeBase64 } from '../serializers/base64.js';
import { constantTimeEqual } from './constant-time.js';
import { DEFAULT_ITERATIONS, DEFAULT_KEYLEN, type CRADecoy } from './cra-decoy.js';
import type { AuthenticatorResult, Awaitable } from './identity.js';
import type { PendingSession } from './pending-session.js';
import { hmacSha256, pbkdf2Sha256, randomBytes, toBase64Url, utf8 } from './web-crypto.js';

/**
 * What a client must prove to authenticate with WAMP-CRA, as the Python original's
 * `CRAAuthRequirement`. Give `secret` (the shared secret or password), or,
 * for salted secrets, `derivedKey` so that the password need not be stored.
 *
 * @example
 * ```ts
 * import type { CRAAuthRequirement } from 'serverwamp';
 *
 * realm.setCRAHandlers(
 *   async (session): Promise<CRAAuthRequirement | undefined> => {
 *     const user = await users.find(session.authid);
 *     // The key derived from the password with deriveCRAKey, stored with its salt: no password kept.
 *     return user && { derivedKey: user.craKey, salt: user.salt, role: user.role };
 *   },
 *   (session) => session.authid,
 * );
 * ```
 */
export interface CRAAuthRequirement {
  /** The shared secret. With `salt`, the password the key is derived from, as clients do. */
  secret?: string;
  /** With `salt`: the key already derived from the password, as {@link deriveCRAKey} returns it (base64). */
  derivedKey?: string;
  /** The role the session gets; it is part of the signed challenge. */
  role: string;
  /** The authprovider reported in the challenge and WELCOME (default `dynamic`). */
  provider?: string;
  /** The PBKDF2 salt, for salted secrets (used as its UTF-8 text, as every client does). */
  salt?: string;
  /** PBKDF2 iterations for salted secrets (default 1000, as clients assume). */
  iterations?: number;
  /** The derived key length in bytes for salted secrets (default 32, as clients assume). */
  keylen?: number;
}

/**
 * Returns the requirement for the session's claimed `session.authid`, or
 * nothing if there is no such user (the client is then challenged all the
 * same, and fails).
 *
 * @example
 * ```ts
 * import type { CRARequirementProvider } from 'serverwamp';
 *
 * const requirement: CRARequirementProvider = async (session) => {
 *   const user = await users.find(session.authid); // the authid the client claimed in HELLO
 *   return user === undefined ? undefined : { derivedKey: user.craKey, salt: user.salt, role: user.role };
 * };
 * realm.setCRAHandlers(requirement, (session) => ({ authid: session.authid }));
 * ```
 */
export type CRARequirementProvider = (session: PendingSession) => Awaitable<CRAAuthRequirement | undefined | null>;

/**
 * Returns the session's identity; called only after the client proved the secret.
 *
 * @example
 * ```ts
 * import type { CRAIdentityProvider } from 'serverwamp';
 *
 * // Called only once the client proved the secret: load what the session should carry.
 * const identity: CRAIdentityProvider = async (session) => {
 *   const user = await users.profile(session.authid);
 *   return { authid: user.name, authrole: user.role, authextra: { email: user.email }, user }; // session.identity
 * };
 * realm.setCRAHandlers(async (session) => users.find(session.authid).then((u) => u && { derivedKey: u.craKey, salt: u.salt, role: u.role }), identity);
 * ```
 */
export type CRAIdentityProvider = (session: PendingSession) => Awaitable<AuthenticatorResult>;

/**
 * Derives the WAMP-CRA key of a salted secret: base64 of
 * PBKDF2-HMAC-SHA256(secret, salt, iterations, keylen). The base64 *text*
 * is the HMAC key, as autobahn and wampy use it.
 *
 * @example
 * ```ts
 * // Store this (with the salt) instead of the password:
 * const derivedKey = await deriveCRAKey('secret123', 'salt123');
 * ```
 */
export async function deriveCRAKey(
  secret: string,
  salt: string,
  iterations: number = DEFAULT_ITERATIONS,
  keylen: number = DEFAULT_KEYLEN,
): Promise<string> {
  return encodeBase64(await pbkdf2Sha256(utf8(secret), utf8(salt), iterations, keylen));
}

/**
 * The WAMP-CRA signature of a challenge string: base64 of
 * HMAC-SHA256(key, challenge), with the key's UTF-8 bytes as the HMAC key.
 * Asynchronous because Web Crypto is.
 *
 * @example
 * ```ts
 * await craSignature('secret123', challengeString); // what the client must send
 * ```
 */
export async function craSignature(key: string, challenge: string): Promise<string> {
  return encodeBase64(await hmacSha256(utf8(key), utf8(challenge)));
}

/** The signed challenge: a JSON text with the fields the spec requires. */
function craChallengeString(fields: {
  authid: string;
  authrole: string;
  authprovider: string;
  nonce: string;
  timestamp: string;
  session: number;
}): string {
  return JSON.stringify({
    authid: fields.authid,
    authrole: fields.authrole,
    authmethod: 'wampcra',
    authprovider: fields.authprovider,
    nonce: fields.nonce,
    timestamp: fields.timestamp,
    session: fields.session,
  });
}

function positiveInteger(value: number | undefined, fallback: number): number | undefined {
  if (value === undefined) return fallback;
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/**
 * The HMAC key for a requirement, or `undefined` if the requirement is
 * malformed. A salted requirement always costs one PBKDF2 derivation, even
 * when its key is stored already derived: the decoy of an unknown authid
 * derives one, and the two must take the same time.
 */
async function hmacKey(requirement: CRAAuthRequirement): Promise<string | undefined> {
  const { secret, derivedKey, salt } = requirement;
  if ((secret === undefined) === (derivedKey === undefined)) return undefined;
  if (salt === undefined) return derivedKey === undefined ? secret : undefined;
  const iterations = positiveInteger(requirement.iterations, DEFAULT_ITERATIONS);
  const keylen = positiveInteger(requirement.keylen, DEFAULT_KEYLEN);
  if (iterations === undefined || keylen === undefined) return undefined;
  const derived = await deriveCRAKey(secret ?? encodeBase64(randomBytes(32)), salt, iterations, keylen);
  return derivedKey ?? derived;
}

/** The requirement an unknown authid is challenged with: shaped like a real user's, with a secret nobody knows. */
async function decoyRequirement(authid: string, decoy: CRADecoy): Promise<CRAAuthRequirement> {
  const secret = encodeBase64(randomBytes(32));
  if (decoy.params === undefined) return { secret, role: decoy.role, provider: decoy.provider };
  return { secret, role: decoy.role, provider: decoy.provider, salt: await decoy.salt(authid), ...decoy.params };
}

/** What a WAMP-CRA exchange proved. */
export interface CRAOutcome {
  readonly requirement: CRAAuthRequirement;
  readonly authid: string;
}

/**
 * Runs a WAMP-CRA exchange. Resolves with the requirement the client proved,
 * or `undefined` if it did not (unknown authid, wrong signature, malformed
 * requirement). An unknown authid is challenged with the realm's decoy (see
 * {@link CRADecoy}), so its challenge and timing look like a real user's and
 * its reply like that of a wrong secret.
 */
export async function authenticateWithCRA(
  session: PendingSession,
  requirementProvider: CRARequirementProvider,
  decoy: CRADecoy,
): Promise<CRAOutcome | undefined> {
  const authid = session.authid;
  if (authid === undefined || authid === '') return undefined; // the challenge must name who signs it
  const found = await requirementProvider(session);
  // Built for known authids too: its salt costs an HMAC, which would otherwise set unknown ones apart.
  const decoyFor = await decoyRequirement(authid, decoy);
  const requirement: CRAAuthRequirement = found ?? decoyFor;
  const key = await hmacKey(requirement);
  if (key === undefined) {
    session.logger.error({ authid }, 'the WAMP-CRA requirement needs exactly one of secret or derivedKey (derivedKey with a salt)');
    return undefined;
  }
  const challenge = craChallengeString({
    authid,
    authrole: requirement.role,
    authprovider: requirement.provider ?? 'dynamic',
    nonce: toBase64Url(randomBytes(18)),
    timestamp: new Date().toISOString(),
    session: session.id,
  });
  const extra: Record<string, unknown> = { challenge };
  if (requirement.salt !== undefined) {
    extra['salt'] = requirement.salt;
    extra['iterations'] = requirement.iterations ?? DEFAULT_ITERATIONS;
    extra['keylen'] = requirement.keylen ?? DEFAULT_KEYLEN;
  }
  const { signature } = await session.challenge('wampcra', extra);
  const proved = constantTimeEqual(signature, await craSignature(key, challenge));
  return proved && found !== undefined && found !== null ? { requirement, authid } : undefined;
}
