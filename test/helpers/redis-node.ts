/**
 * One node of a test cluster, in a process of its own (run by
 * `startNode`): an Application on a free loopback port with the Redis
 * backplane and retained store, on node-redis or ioredis, driven over IPC.
 */
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { Application, Realm, TopicRouteSet } from '../../src/index.js';
import { listen } from '../../src/node/index.js';
import { redisBackplane, redisRetainedStore } from '../../src/redis/index.js';

const url = process.env['REDIS_URL']!;
const kind = process.env['REDIS_CLIENT'] ?? 'redis';
const sharded = process.env['REDIS_SHARDED'] === 'true';

const client =
  kind === 'ioredis'
    ? new Redis(url, { retryStrategy: () => 100, maxRetriesPerRequest: 1 })
    : await createClient({ url, socket: { reconnectStrategy: () => 100 } }).connect();
const backplane = redisBackplane({ client, sharded, heartbeatInterval: 200 });
const retainedStore = redisRetainedStore({ client });
const app = new Application({ backplane, retainedStore });

function topics(): TopicRouteSet {
  const forward = { publish: (request: { forward(): number }) => void request.forward() };
  return new TopicRouteSet().route('news', forward).prefixRoute('news.', forward).wildcardRoute('news..flash', forward);
}
// A session's authrole is the part of its claimed authid before the dot.
const authenticate = (session: { authid: string | undefined }) =>
  session.authid === undefined ? undefined : { authid: session.authid, authrole: session.authid.split('.')[0]! };
app.addTransportAuthenticator(authenticate);
app.addTopicRoutes(topics());
const other = new Realm('other');
other.addTransportAuthenticator(authenticate);
other.addTopicRoutes(topics());
app.addRealm(other);

const listening = await listen(app, { port: 0, host: '127.0.0.1', pingInterval: 0 });
await backplane.ready();

interface Request {
  id: number;
  op: 'publish' | 'state' | 'close';
  topic?: string;
  realm?: string;
  options?: Record<string, unknown>;
}

process.on('message', async (request: Request) => {
  let result: unknown;
  try {
    switch (request.op) {
      case 'publish': {
        const target = request.realm === undefined ? app : app.getRealm(request.realm)!;
        result = target.publish(request.topic!, request.options ?? {});
        break;
      }
      case 'state':
        result = {
          stats: backplane.stats,
          health: backplane.health,
          nodes: backplane.nodes,
          nodesFor: request.topic === undefined ? [] : backplane.nodesFor(request.topic, request.realm),
          refused: retainedStore.refused,
        };
        break;
      case 'close':
        await app.close();
        await listening.close();
        await (client as { quit(): Promise<unknown> }).quit();
        result = true;
        break;
    }
    process.send!({ id: request.id, result });
  } catch (error) {
    process.send!({ id: request.id, error: String(error) });
  }
  if (request.op === 'close') process.disconnect();
});

process.send!({ ready: true, url: listening.url, nodeId: app.nodeId });
