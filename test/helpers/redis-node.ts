/**
 * One node of a test cluster, in a process of its own (run by
 * `startNode`): an Application on a free loopback port with the Redis
 * backplane and retained store, on node-redis or ioredis, driven over IPC.
 */
import { Cluster, Redis } from 'ioredis';
import { createClient, createCluster } from 'redis';
import { Application, Realm, RPCRouteSet, TopicRouteSet, type LogFn, type Logger } from '../../src/index.js';
import { listen } from '../../src/node/index.js';
import { redisBackplane, redisRetainedStore } from '../../src/redis/index.js';
import type { RemoteOp } from './redis-cluster.js';

const url = process.env['REDIS_URL']!;
const kind = process.env['REDIS_CLIENT'] ?? 'redis';
const sharded = process.env['REDIS_SHARDED'] === 'true';
// A Redis Cluster: `url` is one of its masters, the client finds the others.
const cluster = process.env['REDIS_CLUSTER'] === 'true';

async function connect(): Promise<unknown> {
  if (cluster) {
    if (kind === 'ioredis') {
      const { hostname, port } = new URL(url);
      const client = new Cluster([{ host: hostname, port: Number(port) }], { redisOptions: { maxRetriesPerRequest: 1 } });
      await new Promise((resolve, reject) => client.once('ready', resolve).once('error', reject));
      return client;
    }
    return createCluster({ rootNodes: [{ url }], defaults: { socket: { reconnectStrategy: () => 100 } } }).connect();
  }
  return kind === 'ioredis'
    ? new Redis(url, { retryStrategy: () => 100, maxRetriesPerRequest: 1 })
    : createClient({ url, socket: { reconnectStrategy: () => 100 } }).connect();
}
const client = await connect();
const nodeTimeout = Number(process.env['REDIS_NODE_TIMEOUT']) || undefined;
const prefix = process.env['REDIS_PREFIX'] || undefined;
const backplane = redisBackplane({ client, sharded, heartbeatInterval: 200, ...(nodeTimeout === undefined ? {} : { nodeTimeout }), ...(prefix === undefined ? {} : { prefix }) });
const retainedStore = redisRetainedStore({ client, ...(prefix === undefined ? {} : { prefix }) });

/** What the application logged at info and above, for the test to read; warnings and errors still reach the console. */
const logs: { level: string; msg: string }[] = [];
function recordingLogger(): Logger {
  const at = (level: string, write?: (...data: unknown[]) => void): LogFn =>
    ((details: object | string, msg?: string) => {
      const text = typeof details === 'string' ? details : (msg ?? '');
      if (logs.length < 1000) logs.push({ level, msg: text });
      write?.(`[${level}] ${text}`, typeof details === 'string' ? '' : JSON.stringify(details));
    }) as LogFn;
  return { debug: () => undefined, info: at('info'), warn: at('warn', console.warn), error: at('error', console.error), child: () => recordingLogger() };
}

// A test that needs a node's inbox on a given shard of a Redis Cluster chooses its id: the
// application draws it from crypto.randomUUID, once, while it is constructed.
const chosenId = process.env['REDIS_NODE_ID'] || undefined;
const randomUUID = globalThis.crypto.randomUUID;
if (chosenId !== undefined) globalThis.crypto.randomUUID = () => chosenId as ReturnType<typeof randomUUID>;
const app = new Application({ backplane, retainedStore, logger: recordingLogger() });
globalThis.crypto.randomUUID = randomUUID;
if (chosenId !== undefined && app.nodeId !== chosenId) throw new Error(`the node id is ${app.nodeId}, not the chosen ${chosenId}`);

function topics(): TopicRouteSet {
  const forward = { publish: (request: { forward(): number }) => void request.forward() };
  return new TopicRouteSet().route('news', forward).prefixRoute('news.', forward).wildcardRoute('news..flash', forward);
}
// A session's authrole is the part of its claimed authid before the dot.
const authenticate = (session: { authid: string | undefined }) =>
  session.authid === undefined ? undefined : { authid: session.authid, authrole: session.authid.split('.')[0]! };
app.addTransportAuthenticator(authenticate);
app.addTopicRoutes(topics());
// A procedure of the node itself: a call that never leaves it.
app.addRPCRoutes(new RPCRouteSet().route('node.id', () => app.nodeId));
const other = new Realm('other');
other.addTransportAuthenticator(authenticate);
other.addTopicRoutes(topics());
app.addRealm(other);
if (process.env['REDIS_META'] === 'true') app.enableSessionMetaAPI();

const listening = await listen(app, { port: 0, host: '127.0.0.1', pingInterval: 0 });
await backplane.ready();

interface Request {
  id: number;
  op: 'publish' | 'state' | 'close' | 'remote';
  /** For 'remote': what to do with `app.session(sessionId)`. */
  remote?: RemoteOp;
  topic?: string;
  realm?: string;
  options?: Record<string, unknown>;
}


/** Runs `op`; a WampError comes back as `{ error: uri }`, with the progress seen and the time it took. */
async function remote(op: RemoteOp): Promise<unknown> {
  const started = performance.now();
  const progress: unknown[] = [];
  try {
    const handle = await app.session(op.sessionId);
    if (op.action === 'locate' || handle === undefined) return { nodeId: handle?.nodeId ?? null, ms: performance.now() - started };
    let value: unknown;
    if (op.action === 'sendEvent') value = await handle.sendEvent(op.topic!, { args: op.args ?? [] });
    else if (op.action === 'close') value = await handle.close('app.close.remote', 'closed from another node');
    else if (op.action === 'abort') value = await handle.abort();
    else {
      value = await handle.call(op.topic!, {
        args: op.args ?? [],
        ...(op.timeout === undefined ? {} : { timeout: op.timeout }),
        ...(op.progress === true ? { onProgress: (p: { args: readonly unknown[] }) => progress.push(p.args[0]) } : {}),
        ...(op.cancelAfter === undefined ? {} : { signal: AbortSignal.timeout(op.cancelAfter) }),
      });
    }
    return { value: value ?? null, progress, nodeId: handle.nodeId, ms: performance.now() - started };
  } catch (error) {
    return { error: (error as { uri?: string }).uri ?? String(error), progress, ms: performance.now() - started };
  }
}

process.on('message', async (request: Request) => {
  let result: unknown;
  try {
    switch (request.op) {
      case 'publish': {
        // '' is the default realm (it serves realm1), which getRealm does not name.
        const target = request.realm === undefined ? app : request.realm === '' ? app.defaultRealm : app.getRealm(request.realm)!;
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
          app: app.health().status,
          logs,
        };
        break;
      case 'remote':
        result = await remote(request.remote!);
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
