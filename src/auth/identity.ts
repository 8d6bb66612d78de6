/**
 * How an authenticator's return value becomes the session's identity: the
 * WELCOME fields (authid, authrole, authmethod, authprovider, authextra) and
 * `session.identity`.
 * @module
 */
import type { Dict } from '../protocol/messages.js';
import { isDict } from '../protocol/parse.js';
import type { SessionIdentity } from '../model/session.js';
import { randomBytes, toBase64Url } from './web-crypto.js';

/**
 * The WELCOME fields an authenticator may set by returning an object that
 * has them (next to anything else it wants on `session.identity`).
 *
 * @example
 * ```ts
 * import type { IdentityFields } from 'serverwamp';
 *
 * realm.setTicketAuthenticator(async (session, ticket) => {
 *   const user = await tokens.get(ticket);
 *   if (user === undefined) return undefined;
 *   const welcome: IdentityFields = { authid: user.name, authrole: user.role, authextra: { email: user.email } };
 *   return { ...welcome, user }; // the WELCOME fields, and the user on session.identity
 * });
 * ```
 */
export interface IdentityFields {
  /** The session's authid in WELCOME. */
  authid?: string;
  /** The session's role in WELCOME (default `user`). */
  authrole?: string;
  /** Honoured for transport authenticators and custom handlers; the challenge methods report their own. */
  authmethod?: string;
  /** Who authenticated the session (default `dynamic`). */
  authprovider?: string;
  /** Extra details for the client, sent in WELCOME. */
  authextra?: Dict;
}

/**
 * A value that may be returned synchronously or as a promise.
 *
 * @example
 * ```ts
 * import type { Awaitable } from 'serverwamp';
 *
 * // Answer from a cache at once, or from the database later: both fit where serverwamp takes an Awaitable.
 * const cache = new Map<string, User>();
 * function findUser(token: string): Awaitable<User | undefined> {
 *   return cache.get(token) ?? tokens.get(token);
 * }
 * realm.setTicketAuthenticator((session, ticket) => findUser(ticket));
 * ```
 */
export type Awaitable<T> = T | PromiseLike<T>;

/**
 * What an authenticator returns: any identity on success, or `undefined`,
 * `null` or `false` on failure. An object identity may carry
 * {@link IdentityFields}; a string identity is taken as the authid.
 *
 * @example
 * ```ts
 * import type { AuthenticatorResult, PendingSession } from 'serverwamp';
 *
 * async function checkTicket(session: PendingSession, ticket: string): Promise<AuthenticatorResult> {
 *   const user = await tokens.get(ticket);
 *   return user === undefined ? false : user.name; // false: refused; a string: the authid
 * }
 * realm.setTicketAuthenticator(checkTicket);
 * ```
 */
export type AuthenticatorResult = unknown;

/** Whether an authenticator's result means "authenticated". */
export function isIdentity(result: unknown): boolean {
  return result !== undefined && result !== null && result !== false;
}

/** A random authid for sessions whose authenticator named none. */
export function randomAuthid(prefix: string): string {
  return `${prefix}-${toBase64Url(randomBytes(6))}`;
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The {@link IdentityFields} an identity carries; fields of the wrong type are ignored. */
function identityFields(identity: unknown): IdentityFields {
  if (typeof identity === 'string') {
    const authid = nonEmptyString(identity);
    return authid === undefined ? {} : { authid };
  }
  if (typeof identity !== 'object' || identity === null) return {};
  const source = identity as Record<string, unknown>;
  const fields: IdentityFields = {};
  const authid = nonEmptyString(source['authid']);
  const authrole = nonEmptyString(source['authrole']);
  const authmethod = nonEmptyString(source['authmethod']);
  const authprovider = nonEmptyString(source['authprovider']);
  const authextra = source['authextra'];
  if (authid !== undefined) fields.authid = authid;
  if (authrole !== undefined) fields.authrole = authrole;
  if (authmethod !== undefined) fields.authmethod = authmethod;
  if (authprovider !== undefined) fields.authprovider = authprovider;
  if (isDict(authextra)) fields.authextra = authextra;
  return fields;
}

/** The identity of the session: the identity's own fields over `defaults`. */
export function toSessionIdentity(
  identity: unknown,
  defaults: Required<Omit<IdentityFields, 'authextra'>> & Pick<IdentityFields, 'authextra'>,
): SessionIdentity {
  const fields = { ...defaults, ...identityFields(identity) };
  return {
    authid: fields.authid,
    authrole: fields.authrole,
    authmethod: fields.authmethod,
    authprovider: fields.authprovider,
    ...(fields.authextra === undefined ? {} : { authextra: fields.authextra }),
    identity,
  };
}

/** The identity of a session when the realm requires no authentication. */
export function anonymousIdentity(): SessionIdentity {
  return { authid: randomAuthid('anonymous'), authrole: 'anonymous', authmethod: 'anonymous', authprovider: 'static' };
}
