/**
 * The types that connect authentication's parts: what a custom
 * authentication handler is, apart from the flow that runs it
 * (`authenticator.ts`) and the configuration that holds it
 * (`realm-authentication.ts`).
 * @module
 */
import type { Awaitable } from './identity.js';
import type { PendingSession } from './pending-session.js';

/**
 * Replaces the built-in authentication of a realm. It decides by calling
 * `session.markAuthenticated(identity)` or `session.abort(reason, message)`,
 * after as many `session.challenge(method, extra)` rounds as it likes. A
 * handler that returns (or throws) without deciding refuses the session with
 * `wamp.error.authentication_failed`.
 *
 * @example
 * ```ts
 * app.setAuthenticationHandler((session) => {
 *   if (session.transportInfo.httpCookies['myName'] === 'Jeff') session.markAuthenticated({ name: 'Jeff' });
 *   else session.abort('wamp.error.authentication_failed', 'Who are you?');
 * });
 * ```
 */
export type AuthenticationHandler = (session: PendingSession) => Awaitable<void>;
