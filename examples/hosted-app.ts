/**
 * The WAMP side of the examples that serve beside an HTTP framework
 * (express.ts, koa.ts, https.ts): the framework's login route issues a
 * session cookie, and the `members` realm admits the WAMP sessions whose
 * upgrade request carries it (a browser sends it, on the same origin).
 */
import { randomBytes } from 'node:crypto';
import { Realm, RPCRouteSet, type Application } from '../src/index.js';
import { exampleApplication } from './example-app.js';

/** Sessions issued by the HTTP side's login route: cookie value → user. */
export class LoginSessions {
  readonly #users = new Map<string, string>();

  /** A new session for `user`: the value of the `sid` cookie to set. */
  issue(user: string): string {
    const sid = randomBytes(16).toString('hex');
    this.#users.set(sid, user);
    return sid;
  }

  userOf(sid: string | undefined): string | undefined {
    return sid === undefined ? undefined : this.#users.get(sid);
  }
}

/** The `sid` cookie's attributes: not readable by scripts, not sent by other sites. */
export const SID_COOKIE = { httpOnly: true, sameSite: 'strict', path: '/' } as const;

export function hostedApplication(sessions: LoginSessions, host: string): Application {
  const app = exampleApplication(host);
  app.addRPCRoutes(
    new RPCRouteSet().route('example.slow', async () => {
      // Stop the server while this runs: the call still finishes before the GOODBYE.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return 'finished';
    }),
  );

  const members = new Realm('members');
  members.addTransportAuthenticator((session) => {
    const user = sessions.userOf(session.transportInfo.httpCookies['sid']);
    return user === undefined ? undefined : { authid: user, authrole: 'member', authmethod: 'cookie' };
  });
  members.addRPCRoutes(new RPCRouteSet().route('example.whoami', (request) => request.session.authid));
  app.addRealm(members);
  return app;
}

/**
 * SIGINT (Ctrl+C) and SIGTERM close the server: `attach` tied the
 * application to it, so calls in flight finish, every WAMP session is told
 * GOODBYE, and then the server closes and the process exits.
 */
export function closeOnSignals(server: { close(callback: (error?: Error) => void): unknown }): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.log(`${signal}: closing; calls in flight finish, then every WAMP session is told GOODBYE`);
      server.close((error) => {
        console.log(error === undefined ? 'closed' : `close failed: ${error.message}`);
        process.exit(error === undefined ? 0 : 1);
      });
    });
  }
}
