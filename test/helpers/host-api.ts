/**
 * What the HTTP side of a hosting test offers, the same on every host
 * (node:http, Express, Koa): a JSON route behind a middleware, a login that
 * issues a session cookie, and a WAMP authenticator that accepts exactly the
 * sessions the host issued.
 */
import { randomBytes } from 'node:crypto';
import { Application, Realm, RPCRouteSet, type PendingSession } from '../../src/index.js';

/** Sessions issued by the host's login route: cookie value → user. */
export type SessionStore = Map<string, string>;

export const SESSION_COOKIE = 'sid';

/** A new session for `user`: the cookie value to set. */
export function issueSession(sessions: SessionStore, user: string): string {
  const sid = randomBytes(16).toString('hex');
  sessions.set(sid, user);
  return sid;
}

/** The `Set-Cookie` attributes every host uses: the browser sends it on the WebSocket upgrade too. */
export const SESSION_COOKIE_ATTRIBUTES = { httpOnly: true, sameSite: 'strict', path: '/' } as const;

export interface HostedAppOptions {
  /** How long `slow` takes (default 400 ms). */
  slowMs?: number;
  /** Runs when a `slow` call has started. */
  onSlow?: () => void;
}

/**
 * An application whose `members` realm admits only sessions the host issued
 * (by the cookie of the upgrade), with `slow` and `whoami` procedures for the
 * shutdown and auth tests.
 */
export function hostedApp(sessions: SessionStore, options: HostedAppOptions = {}): Application {
  const { slowMs = 400, onSlow } = options;
  const app = new Application();
  const routes = new RPCRouteSet()
    .route('whoami', (request) => ({ authid: request.session.authid, authrole: request.session.authrole }))
    .route('slow', async () => {
      onSlow?.();
      await new Promise((resolve) => setTimeout(resolve, slowMs));
      return 'finished';
    });
  app.addRPCRoutes(routes);
  const members = new Realm('members');
  members.addTransportAuthenticator((session: PendingSession) => {
    const user = sessions.get(session.transportInfo.httpCookies[SESSION_COOKIE] ?? '');
    return user === undefined ? undefined : { authid: user, authrole: 'member', authmethod: 'cookie' };
  });
  members.addRPCRoutes(routes);
  app.addRealm(members);
  return app;
}
