/**
 * The demo: the Python serverwamp docs' examples served at ws://localhost:8080/ws, realm `realm1`.
 * Run with `npm start`; PORT and HOST override the address, HOURLY_INTERVAL_MS
 * the period of the `hourly.updates` events (default 60000, as in the Python serverwamp docs).
 * The page at `/` shows the server's clock and counters live (`demo.stats`,
 * every second); the terminal prints a line per session joined or left and
 * per error.
 * With REDIS_URL set, each `npm start` is one node of a cluster (see
 * demo-cluster.ts): chat, document changes, documents and the list of who is
 * online are shared by every node.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { Application, RPCErrorResult, RPCResult, RPCRouteSet, TopicRouteSet, WampError, type Backplane, type RetainedStore, type Session } from '../src/index.js';
import { joinCluster, withoutCredentials } from './demo-cluster.js';
import { memoryDocuments, type DocumentStore } from './demo-documents.js';
import { liveStatsRoutes } from './demo-live.js';
import { printSessionsAndErrors, terminalLogger, throttled, type Print } from './demo-terminal.js';
import { admitByName, presenceAuthorizer } from './demo-names.js';
import { procedures, type DemoContext } from './procedures.js';
import { isMainModule, serveExample } from './serve.js';

declare module '../src/index.js' {
  interface SessionData {
    /** When the session opened (set by the demo's session state handler). */
    connectedAt?: Date;
  }
}

export interface DemoOptions {
  /** Milliseconds between `hourly.updates` events. */
  hourlyIntervalMs?: number;
  /** Seconds between `countdown_to_liftoff` steps. */
  countdownInterval?: number;
  /** The cluster this node joins (REDIS_URL); none: a single process. */
  cluster?: { backplane: Backplane; retainedStore: RetainedStore };
  /** Where documents live (default: in this process). */
  documents?: DocumentStore;
  /** Milliseconds between `demo.stats` events (the page's clock and counters; default 1000). */
  statsIntervalMs?: number;
  /** Where to print a line per session joined or left and per error (`npm start`: the terminal); none by default. */
  print?: Print;
}

// The Python serverwamp docs' add_numbers(number1, number2). The schemas refuse anything but a number with
// wamp.error.invalid_argument naming the argument: 'abc' + 2 is an error, not a quiet 2.
const aNumber = z.number({ error: 'expected a number' });

/** The Python serverwamp docs' return conventions, chained so that `DemoAPI` (demo-api.ts) records each route. */
export const mathRoutes = new RPCRouteSet<DemoContext>()
  // This procedure has a single return argument.
  .route('math.add', { params: { number1: aNumber, number2: aNumber } }, ({ number1, number2 }) => number1 + number2)
  // Positional return arguments.
  .route('sandwich.ingredients', () => ['Peanut Butter', 'Jelly', 'Bread'])
  // Keyword return arguments.
  .route('calendar.zodiac', () => ({ gregorianYear: 2020, 生肖: '鼠' }))
  // Any combination of positional and keyword arguments.
  .route('music.playlist', () =>
    new RPCResult({
      args: ['Rock & Roll', 'Blues', 'Jazz'],
      kwargs: { playlistLength: 6432, playlistSubscribers: 51 },
    }),
  )
  // An error result with keyword arguments.
  .route('math.sqrt', { params: ['number'] }, ({ number }) => {
    if (typeof number !== 'number') {
      return new RPCErrorResult({
        kwargs: {
          errorCode: 'BAD_INPUT',
          errorMessage: 'You should have supplied a number instead of a string.',
        },
      });
    }
    return Math.sqrt(number);
  });

/** `demo.node`: which node answered, and whether it is part of a cluster (the page's header). */
export function nodeRoutes(nodeId: string, cluster: boolean) {
  return new RPCRouteSet().route('demo.node', () => ({ node: nodeId.slice(0, 8), cluster }));
}

export function createDemoApp(options: DemoOptions = {}): Application<DemoContext> {
  const app = new Application<DemoContext>({
    ...(options.cluster === undefined ? {} : { backplane: options.cluster.backplane, retainedStore: options.cluster.retainedStore }),
    ...(options.print === undefined ? {} : { logger: terminalLogger(options.print) }),
    // The page's counters of calls and events come from the application's metrics.
    metrics: true,
    context: {
      timestamps: [],
      filesDirectory: fileURLToPath(new URL('./files/', import.meta.url)),
      countdownInterval: options.countdownInterval ?? Number(process.env['COUNTDOWN_INTERVAL'] ?? 1),
    },
  });
  const hourlyIntervalMs = options.hourlyIntervalMs ?? Number(process.env['HOURLY_INTERVAL_MS'] ?? 60_000);

  app.addRPCRoutes(mathRoutes, procedures);

  // Session state and data: the open part runs before WELCOME, the close part after the session ends.
  app.addSessionStateHandler(
    async function* (session) {
      session.data.connectedAt = new Date();
      yield;
      session.logger.info({ seconds: (Date.now() - session.data.connectedAt.getTime()) / 1000 }, 'session closed');
    },
    { authenticatedOnly: false },
  );
  app.addRPCRoutes(
    new RPCRouteSet().route('session.info', ({ session }) => ({ id: session.id, connectedAt: session.data.connectedAt?.toISOString() })),
  );

  const events = new TopicRouteSet();

  // The Python serverwamp docs' "Sending Events to Clients": track who subscribed, and send them the hour.
  const hourlySubscribers = new Set<Session>();
  let hourlyStop: AbortController | undefined;
  async function runHourlyUpdates(): Promise<void> {
    const stop = (hourlyStop = new AbortController());
    // Runs while anyone is subscribed, so an idle server holds no timer: the last
    // subscriber to leave cuts the wait short.
    try {
      while (hourlySubscribers.size > 0) {
        for (const session of hourlySubscribers) {
          session.sendEvent('hourly.updates', { args: [`The hour is ${new Date().getHours()}`] });
        }
        await sleep(hourlyIntervalMs, undefined, { signal: stop.signal });
      }
    } catch {
      // Aborted: nobody is subscribed any more.
    } finally {
      if (hourlyStop === stop) hourlyStop = undefined;
    }
  }
  events.route('hourly.updates', async function* subscribeToHourlyUpdates({ session, whenSubscribed }) {
    // On subscribe…
    hourlySubscribers.add(session);
    // A new subscriber hears the hour at once, not at the next update.
    whenSubscribed(() => session.sendEvent('hourly.updates', { args: [`The hour is ${new Date().getHours()}`] }));
    if (hourlyStop === undefined) void runHourlyUpdates();
    yield;
    // On unsubscribe or session close…
    hourlySubscribers.delete(session);
    if (hourlySubscribers.size === 0) hourlyStop?.abort();
  });

  // The original serverwamp README's documents API, with change events: subscribe to
  // `docs.changes.<id>` for one document, or with `match: 'prefix'` to `docs.changes` for all.
  const documents = options.documents ?? memoryDocuments();
  events.prefixRoute('docs.changes', {});
  const docsApi = new RPCRouteSet();
  docsApi.route('docs.getDocument', { params: ['documentId'] }, async ({ documentId }) => {
    const record = await documents.get(String(documentId));
    if (record === undefined) return new RPCErrorResult('docs.error.not_found', { kwargs: { status: 'FAILURE' } });
    return { status: 'SUCCESS', document: record };
  });
  docsApi.route('docs.updateDocument', { params: ['documentId', 'body'] }, async ({ documentId, body }, { session }) => {
    const id = String(documentId);
    if (!(await documents.update(id, String(body)))) return new RPCErrorResult('docs.error.not_found', { kwargs: { status: 'FAILURE' } });
    // Published before the RESULT, so the caller sees its own change event first.
    app.publish(`docs.changes.${id}`, { args: [id], kwargs: { change: 'updated', by: session.id, byName: session.authid } });
    return { status: 'SUCCESS' };
  });
  docsApi.route('docs.deleteDocument', { params: ['documentId'] }, async ({ documentId }, { session }) => {
    const id = String(documentId);
    if (!(await documents.delete(id))) return new RPCErrorResult('docs.error.delete_failed', { kwargs: { status: 'FAILURE' } });
    app.publish(`docs.changes.${id}`, { args: [id], kwargs: { change: 'deleted', by: session.id, byName: session.authid } });
    return { status: 'SUCCESS' };
  });
  app.addRPCRoutes(docsApi);

  // A chat room: clients publish, the server forwards to the other subscribers.
  events.route('chat.room', {
    publish(request) {
      if (typeof request.args[0] !== 'string') throw new WampError('chat.error.text_only', { args: ['send text'] });
      request.forward();
    },
  });

  app.addTopicRoutes(events, liveStatsRoutes(app, options.statsIntervalMs ?? 1000));

  // Who is online, on every node: each session is named by the authid it asks for in HELLO, and the
  // page lists them with the session meta API, which answers for the whole cluster.
  app.setAuthenticationHandler(admitByName);
  app.enableSessionMetaAPI();
  app.setAuthorizer(presenceAuthorizer);
  app.addRPCRoutes(nodeRoutes(app.nodeId, options.cluster !== undefined));
  if (options.print !== undefined) printSessionsAndErrors(app, options.print);
  return app;
}

if (isMainModule(import.meta.url)) {
  const redisUrl = process.env['REDIS_URL'];
  const cluster =
    redisUrl === undefined || redisUrl === ''
      ? undefined
      : await joinCluster(redisUrl).catch((error: unknown) => {
          console.error(`Cannot join the cluster: the Redis at ${withoutCredentials(redisUrl)} is not reachable (${error instanceof Error ? error.message : String(error)}).`);
          process.exit(1);
        });
  const print = throttled((line) => console.log(line));
  const app = createDemoApp({ print, ...(cluster === undefined ? {} : { cluster, documents: cluster.documents }) });
  const node = app.nodeId.slice(0, 8);
  if (cluster === undefined) {
    console.log(`Single process (node ${node}); set REDIS_URL to run several as one cluster.`);
  } else {
    await cluster.ready();
    console.log(`Cluster mode: node ${node} joined through the Redis at ${cluster.where}.`);
  }
  await serveExample(app, 'serverwamp demo (realm "realm1")', { withPage: true, afterClose: cluster?.close });
}
