/**
 * The server the fuzzer attacks, in a child process of its own: a frame that
 * freezes or kills it cannot take the test runner with it, and the parent can
 * tell a dead server from a slow one. Started with --expose-gc so that the
 * heap it reports is what is still reachable. Prints its ports as one JSON line.
 */
import { Application, RPCRouteSet, Realm, TopicRouteSet, deriveCRAKey, silentLogger } from '../../src/index.js';
import { listen, listenRawSocket } from '../../src/node/index.js';

const gc = (globalThis as { gc?: () => void }).gc;

/** What the parent checks after the attack: prototypes untouched, heap back to its baseline. */
function health(): Record<string, unknown> {
  gc?.();
  return {
    objectPrototype: Object.getOwnPropertyNames(Object.prototype).sort(),
    arrayPrototype: Object.getOwnPropertyNames(Array.prototype).length,
    functionPrototype: Object.getOwnPropertyNames(Function.prototype).length,
    polluted: ({} as Record<string, unknown>)['polluted'] !== undefined || ({} as Record<string, unknown>)['x'] !== undefined,
    heapUsed: process.memoryUsage().heapUsed,
    rss: process.memoryUsage().rss,
    gc: gc !== undefined,
  };
}

async function main(): Promise<void> {
  const app = new Application({ logger: silentLogger, helloTimeout: 5000, authenticationTimeout: 5000, callTimeout: 2000 });
  const routes = new RPCRouteSet();
  routes.route('math.add', { params: ['a', 'b'] }, ({ a, b }) => Number(a) + Number(b));
  routes.route('fuzz.probe', () => 'ok');
  routes.route('fuzz.echo', (request) => request.args);
  routes.route('fuzz.health', () => health());
  app.addRPCRoutes(routes);
  const topics = new TopicRouteSet();
  topics.prefixRoute('topic.', { subscribe: () => true, publish: (request) => void request.forward() });
  app.addTopicRoutes(topics);

  const salt = 'fuzz-salt-0123456';
  const derivedKey = await deriveCRAKey('alice-pw', salt);
  app.setCRAHandlers(
    (session) => (session.authid === 'alice' ? { derivedKey, salt, role: 'user' } : undefined),
    (session) => ({ name: session.authid }),
  );
  // Anonymous sessions join 'realm1' (an added realm without authenticators); 'realm1' is what the
  // bystander and most fuzz HELLOs use, and the default realm (any other name) requires WAMP-CRA.
  const open = new Realm('realm1');
  open.addRPCRoutes(routes);
  open.addTopicRoutes(topics);
  app.addRealm(open);

  const ws = await listen(app, { port: 0, host: '127.0.0.1', pingInterval: 0 });
  const raw = await listenRawSocket(app, { port: 0, host: '127.0.0.1' });
  process.stdout.write(`${JSON.stringify({ url: ws.url, rawPort: raw.port })}\n`);
}

void main();
