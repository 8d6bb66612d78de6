/**
 * Transport authenticators: decide from what the connection already carries
 * (cookies, headers, peer address, TLS client certificate, the claimed
 * authid) without a CHALLENGE.
 * @module
 */
import type { AuthenticatorResult, Awaitable } from './identity.js';
import type { PendingSession } from './pending-session.js';

/**
 * Returns an identity if the connection's transport details authenticate the
 * session, or nothing to leave the decision to the next authenticator.
 *
 * Cookies are sent by browsers on cross-site WebSocket upgrades too: when you
 * trust cookies, set the endpoint's `allowedOrigins`.
 *
 * @example
 * ```ts
 * realm.addTransportAuthenticator(async (session) => {
 *   const user = await sessions.byCookie(session.transportInfo.httpCookies['sid']);
 *   return user && { authid: user.name, authrole: 'customer', authmethod: 'cookie', user };
 * });
 * ```
 */
export type TransportAuthenticator = (session: PendingSession) => Awaitable<AuthenticatorResult>;
