/**
 * The authentication flow between HELLO and WELCOME/ABORT: a realm's custom
 * authentication handler if it has one, otherwise the built-in order —
 * transport authenticators, then the one challenge method the client
 * prefers among those the realm supports.
 * @module
 */
import { WampURI } from '../protocol/uris.js';
import { authenticateWithCryptosign } from './cryptosign.js';
import { isIdentity, randomAuthid, toSessionIdentity, type Awaitable } from './identity.js';
import { AUTHENTICATION_FAILED_MESSAGE, type PendingSession } from './pending-session.js';
import type { ChallengeMethod, RealmAuthentication } from './realm-authentication.js';
import { authenticateWithTicket } from './ticket.js';
import { authenticateWithCRA } from './wampcra.js';

/** Calls an application authenticator; one that throws has simply not authenticated the session. */
async function attempt<T>(session: PendingSession, what: string, run: () => Awaitable<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    if (!session.settled) session.logger.error({ err: error }, `the ${what} threw; treating it as a refusal`);
    return undefined;
  }
}

/** Runs one challenge method; resolves true if it established the session. */
async function challengeFlow(session: PendingSession, config: RealmAuthentication, method: ChallengeMethod): Promise<boolean> {
  switch (method) {
    case 'ticket': {
      const identity = await attempt(session, 'ticket authenticator', () => authenticateWithTicket(session, config.ticket!));
      if (!isIdentity(identity)) return false;
      session.markAuthenticated(identity, { authmethod: 'ticket', authid: session.authid ?? randomAuthid('ticket') });
      return true;
    }
    case 'wampcra': {
      const { requirementProvider, identityProvider, decoy } = config.cra!;
      const proved = await attempt(session, 'CRA requirement provider', () => authenticateWithCRA(session, requirementProvider, decoy));
      if (proved === undefined) return false;
      const identity = await attempt(session, 'CRA identity provider', () => identityProvider(session));
      if (!isIdentity(identity)) return false;
      // authid, authrole and authprovider were signed in the challenge: WELCOME reports them as signed.
      const signed = {
        authid: proved.authid,
        authrole: proved.requirement.role,
        authmethod: 'wampcra',
        authprovider: proved.requirement.provider ?? 'dynamic',
      };
      session.welcome({ ...toSessionIdentity(identity, signed), ...signed });
      return true;
    }
    case 'cryptosign': {
      const pubkey = await attempt(session, 'cryptosign exchange', () => authenticateWithCryptosign(session));
      if (pubkey === undefined) return false;
      const identity = await attempt(session, 'cryptosign key provider', () => config.cryptosign!(session, pubkey));
      if (!isIdentity(identity)) return false;
      session.markAuthenticated(identity, { authmethod: 'cryptosign', authid: session.authid ?? pubkey });
      return true;
    }
  }
}

/** The built-in flow; see the module comment. */
async function builtInFlow(session: PendingSession, config: RealmAuthentication): Promise<void> {
  for (const authenticator of config.transportAuthenticators) {
    const identity = await attempt(session, 'transport authenticator', () => authenticator(session));
    if (session.settled) return;
    if (isIdentity(identity)) {
      return session.markAuthenticated(identity, { authmethod: 'transport', authid: randomAuthid('transport') });
    }
  }
  const supported = config.challengeMethods;
  const method = session.authmethods.find((offered): offered is ChallengeMethod => supported.includes(offered as ChallengeMethod));
  if (method === undefined) {
    if (supported.length === 0) return session.abort();
    return session.abort(WampURI.NO_MATCHING_AUTH_METHOD, 'this realm accepts none of the authentication methods offered');
  }
  if (!(await challengeFlow(session, config, method))) session.abort();
}

/**
 * Authenticates a pending session with its realm's configuration. Never
 * rejects: whatever goes wrong ends in ABORT `wamp.error.authentication_failed`
 * with the same message, so a client cannot tell which part failed.
 */
export function runAuthentication(session: PendingSession, config: RealmAuthentication): void {
  const handler = config.handler;
  const flow = handler === undefined ? () => builtInFlow(session, config) : () => handler(session);
  Promise.resolve()
    .then(flow)
    .then(
      () => {
        if (session.settled) return;
        session.logger.warn('the authentication handler returned without deciding; refusing the session');
        session.abort(WampURI.AUTHENTICATION_FAILED, AUTHENTICATION_FAILED_MESSAGE);
      },
      (error: unknown) => {
        if (session.settled) return;
        session.logger.error({ err: error }, 'the authentication handler threw; refusing the session');
        session.abort(WampURI.AUTHENTICATION_FAILED, AUTHENTICATION_FAILED_MESSAGE);
      },
    )
    // Sending the ABORT itself failed: nothing is left to tell the client, but the process must not crash.
    .catch((error: unknown) => session.logger.error({ err: error }, 'could not end the authentication'));
}
