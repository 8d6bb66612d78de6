/**
 * Ticket authentication (WAMP `ticket`): the client proves who it is with a
 * ticket (a token, password…) sent in AUTHENTICATE; the application's ticket
 * authenticator decides.
 * @module
 */
import type { AuthenticatorResult, Awaitable } from './identity.js';
import type { PendingSession } from './pending-session.js';

/**
 * Decides whether `ticket` authenticates the session (whose claimed authid
 * is `session.authid`). Returns an identity, or nothing to refuse. Compare
 * tickets with {@link constantTimeEqual}.
 *
 * @example
 * ```ts
 * realm.setTicketAuthenticator(async (session, ticket) => {
 *   const user = await users.byToken(ticket);
 *   return user && { authid: user.name, authrole: user.role, user };
 * });
 * ```
 */
export type TicketAuthenticator = (session: PendingSession, ticket: string) => Awaitable<AuthenticatorResult>;

/** Runs a ticket exchange; resolves with the authenticator's result. */
export async function authenticateWithTicket(
  session: PendingSession,
  authenticator: TicketAuthenticator,
): Promise<AuthenticatorResult> {
  const { signature: ticket } = await session.challenge('ticket', {});
  return authenticator(session, ticket);
}
