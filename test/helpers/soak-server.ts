/**
 * The application the soak runs against, in a process of its own (started
 * with --expose-gc by test/helpers/soak.ts) so that its heap is measured
 * without the clients': procedures that answer, report progress, wait to be
 * canceled and call the caller back; topics with exact, prefix and wildcard
 * routes; a session state handler. Driven over IPC: `state` answers with
 * its tables (`inspectApplication`), timers, heap after GC and counters.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Application, RPCProgressReport, RPCRouteSet, TopicRouteSet, type Logger } from '../../src/index.js';
import { listen } from '../../src/node/index.js';
import { inspectApplication } from '../../src/testing.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('the soak server needs --expose-gc');

const counters = { sessionsOpened: 0, sessionsClosed: 0, calls: 0, serverCalls: 0, serverPublications: 0, warnings: 0, errors: 0 };
const firstLogs: string[] = [];
// Warnings and errors are counted (the soak drops sockets mid-call on purpose); the first few are kept to explain a failure.
const note = (kind: 'warnings' | 'errors') => (_fields: unknown, message?: string) => {
  counters[kind]++;
  if (firstLogs.length < 10) firstLogs.push(`${kind}: ${message ?? String(_fields)}`);
};
const logger: Logger = { debug: () => {}, info: () => {}, warn: note('warnings'), error: note('errors'), child: () => logger };

const app = new Application({ logger });
app.addSessionStateHandler(
  async function* () {
    counters.sessionsOpened++;
    yield;
    counters.sessionsClosed++;
  },
  { authenticatedOnly: false },
);

const procedures = new RPCRouteSet()
  .route('soak.echo', ({ args }) => {
    counters.calls++;
    return args[0];
  })
  .route('soak.progress', async function* ({ args }) {
    counters.calls++;
    for (let i = 0; i < 3; i++) yield new RPCProgressReport({ args: [i] });
    return args[0];
  })
  .route('soak.slow', async ({ signal }) => {
    counters.calls++;
    await sleep(10_000, undefined, { signal });
    return 'late';
  })
  .route('soak.callback', async ({ args, session, signal }) => {
    counters.calls++;
    counters.serverCalls++;
    const { args: answer } = await session.call('client.double', { args: [args[0]], timeout: 5000, signal });
    return answer[0];
  })
  .route('soak.announce', ({ args }) => {
    counters.calls++;
    counters.serverPublications++;
    return app.publish(`soak.p.${String(args[0])}`, { args: ['from the server'] });
  });
app.addRPCRoutes(procedures);

const forward = { publish: (request: { forward(): number }) => void request.forward() };
app.addTopicRoutes(new TopicRouteSet().route('soak.exact', forward).prefixRoute('soak.p.', forward).wildcardRoute('soak..w', forward));

const listening = await listen(app, { port: 0, host: '127.0.0.1', pingInterval: 0 });

function state(): unknown {
  // Several passes: weak references and finalizers free more on the next one.
  for (let i = 0; i < 4; i++) gc!();
  return {
    tables: inspectApplication(app),
    timers: process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length,
    heapUsed: process.memoryUsage().heapUsed,
    rss: process.memoryUsage().rss,
    counters,
    firstLogs,
  };
}

process.on('message', (message: { op: string }) => {
  if (message.op === 'state') process.send!({ state: state() });
  if (message.op === 'close') {
    void app
      .close({ timeout: 1000 })
      .then(() => listening.close())
      .then(() => process.exit(0));
  }
});
process.send!({ url: listening.url });
