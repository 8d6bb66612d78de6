/**
 * The application the shared transport suite serves. Runtime-neutral (only
 * src/ imports), so that a server script under Bun or Deno builds the same
 * one as the in-process tests.
 */
import { Application, Realm, RPCProgressReport, RPCRouteSet, TopicRouteSet, WampError, constantTimeEqual } from '../../src/index.js';

/** The `secure` realm's credentials: a ticket, accepted only with this session cookie. */
export const SUITE_TICKET = { authid: 'alice', ticket: 'alice-ticket-7f3a', cookie: 'sid=c0ffee' } as const;

/** Waits `ms`, or rejects as soon as the call is canceled. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}

/** `onClosed`: runs once the `shutdown` procedure's `app.close()` has finished (a server script exits there). */
export function suiteApp(onClosed: () => void = () => {}): Application {
  const app = new Application();
  const routes = new RPCRouteSet();
  routes.route('echo', (request) => ({ args: request.args, kwargs: request.kwargs }));
  routes.route('nothing', () => undefined);
  routes.route('scalar', () => 42);
  routes.route('refuse', () => {
    throw new WampError('app.error.refused', { args: ['not today'], kwargs: { code: 7 } });
  });
  routes.route('countdown', async function* () {
    for (let left = 3; left > 0; left--) yield new RPCProgressReport({ kwargs: { left } });
    return 'liftoff';
  });
  routes.route('slow', async (request) => {
    await pause(30_000, request.signal);
    return 'finished';
  });
  routes.route('whereami', (request) => {
    const info = request.session.connection.transportInfo;
    return { transport: info.transport, peerAddress: info.peerAddress, protocol: info.protocol };
  });
  routes.route('http', (request) => {
    const info = request.session.connection.transportInfo;
    return {
      path: info.httpPath,
      query: Object.fromEntries(info.httpQuery),
      cookie: info.httpCookies['sid'] ?? null,
      header: info.httpHeaders['x-suite'] ?? null,
      peerPort: typeof info.peerPort,
    };
  });
  routes.route('announce', (request) => {
    request.session.realm.publish('news', { args: request.args });
    return 'announced';
  });
  routes.route('flood', (request) => {
    // 400 events of 64 KiB (25 MiB): far past eventBufferLimit (1 MiB) for a subscriber that does not read.
    const chunk = 'e'.repeat(64 * 1024);
    for (let i = 0; i < 400; i++) request.session.realm.publish('news', { args: [i, chunk] });
    return app.droppedEvents;
  });
  routes.route('dropped', () => app.droppedEvents);
  routes.route('shutdown', () => {
    // After the RESULT has left: the close tells every session GOODBYE.
    setTimeout(() => void app.close({ goodbyeWait: 5000 }).then(onClosed), 10);
    return 'closing';
  });
  app.addRPCRoutes(routes);
  app.addTopicRoutes(new TopicRouteSet().route('news', {}).route('chat', { publish: (request) => request.forward() }));

  const secure = new Realm('secure');
  secure.setTicketAuthenticator((session, ticket) => {
    const cookies = session.connection.transportInfo.httpCookies;
    if (session.authid !== SUITE_TICKET.authid || !constantTimeEqual(ticket, SUITE_TICKET.ticket)) return undefined;
    if (cookies['sid'] !== SUITE_TICKET.cookie.slice('sid='.length)) return undefined;
    return { authrole: 'member' };
  });
  secure.addRPCRoutes(new RPCRouteSet().route('secret', (request) => `hello ${request.session.authid}`));
  app.addRealm(secure);
  return app;
}
