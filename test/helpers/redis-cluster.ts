/**
 * Starts the nodes of a test cluster as child processes (test/helpers/redis-node.ts)
 * and drives them over IPC; each is killed after the test.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startRedis, type RedisServer } from './redis-server.js';

const ENTRY = fileURLToPath(new URL('./redis-node.ts', import.meta.url));

export interface NodeState {
  stats: { published: number; delivered: number; dropped: number; decodeErrors: number; reconnects: number };
  health: 'ok' | 'degraded';
  nodes: string[];
  nodesFor: string[];
  refused: number;
  /** `app.health().status`. */
  app: 'ok' | 'degraded' | 'draining' | 'closed';
  /** What the application logged at info and above, oldest first. */
  logs: { level: 'info' | 'warn' | 'error'; msg: string }[];
}

export interface ClusterNode {
  readonly url: string;
  readonly nodeId: string;
  /** `app.publish`, or `realm.publish` of `realm`; resolves to the publication id. */
  publish(topic: string, options?: Record<string, unknown>, realm?: string): Promise<number>;
  /** The backplane's counters, health, peers, and the nodes `topic` would be sent to. */
  state(topic?: string, realm?: string): Promise<NodeState>;
  /** An operation on a session of the cluster through this node's `app.session(id)` (see redis-node.ts). */
  remote(op: RemoteOp): Promise<RemoteOutcome>;
  /** SIGKILL: the node dies without a word. */
  kill(): Promise<void>;
  /** SIGSTOP: the node stops answering, its connections stay open. */
  pause(): Promise<void>;
  /** SIGCONT after {@link pause}. */
  resume(): Promise<void>;
}

export interface NodeOptions {
  client?: 'redis' | 'ioredis';
  sharded?: boolean;
  /** Serve the session meta API in the default realm. */
  meta?: boolean;
  /** `redisUrl` is a master of a Redis Cluster: the node connects a cluster client (node-redis `createCluster`, ioredis `Cluster`). */
  cluster?: boolean;
  /** The backplane's `nodeTimeout` in ms (default 3 heartbeats of 200 ms). */
  nodeTimeout?: number;
  /** The backplane's and retained store's prefix (default theirs). */
  prefix?: string;
  /** The node's id (default a random UUID): decides the slot of its inbox in a Redis Cluster. */
  nodeId?: string;
}

/** An operation on a session of the cluster, by id, from a node (`app.session`); redis-node.ts performs it. */
export interface RemoteOp {
  action: 'sendEvent' | 'close' | 'abort' | 'call' | 'locate';
  sessionId: number;
  topic?: string;
  args?: unknown[];
  timeout?: number;
  progress?: boolean;
  /** For 'call': abort its signal after this many ms. */
  cancelAfter?: number;
}

/** What a remote operation came to: a value or a WAMP error URI, the progress seen, the node that held the session, how long it took. */
export interface RemoteOutcome {
  value?: unknown;
  error?: string;
  progress?: unknown[];
  nodeId?: string | null;
  ms: number;
}

export async function startNode(t: Pick<TestContext, 'after'>, redisUrl: string, options: NodeOptions = {}): Promise<ClusterNode> {
  const child: ChildProcess = fork(ENTRY, [], {
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, REDIS_URL: redisUrl, REDIS_CLIENT: options.client ?? 'redis', REDIS_SHARDED: String(options.sharded === true), REDIS_META: String(options.meta === true), REDIS_CLUSTER: String(options.cluster === true), REDIS_NODE_TIMEOUT: String(options.nodeTimeout ?? ''), REDIS_PREFIX: options.prefix ?? '', REDIS_NODE_ID: options.nodeId ?? '' },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await exited;
  };
  t.after(kill);
  const started = await new Promise<{ url: string; nodeId: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('a cluster node did not start within 20 s')), 20_000);
    child.once('exit', (code) => reject(new Error(`a cluster node exited (${code}) before it started`)));
    child.on('message', (message: any) => {
      if (message?.ready !== true) return;
      clearTimeout(timer);
      resolve(message);
    });
  });
  let next = 0;
  const pending = new Map<number, { resolve(value: any): void; reject(error: Error): void }>();
  child.on('message', (message: any) => {
    const waiter = pending.get(message?.id);
    if (waiter === undefined) return;
    pending.delete(message.id);
    if (message.error !== undefined) waiter.reject(new Error(message.error));
    else waiter.resolve(message.result);
  });
  const request = (body: Record<string, unknown>): Promise<any> =>
    new Promise((resolve, reject) => {
      const id = ++next;
      const timer = setTimeout(() => reject(new Error(`node request ${String(body['op'])} unanswered within 10 s`)), 10_000);
      pending.set(id, {
        resolve: (value) => (clearTimeout(timer), resolve(value)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      child.send({ id, ...body });
    });
  return {
    url: started.url,
    nodeId: started.nodeId,
    publish: (topic, publishOptions = {}, realm) => request({ op: 'publish', topic, options: publishOptions, ...(realm === undefined ? {} : { realm }) }),
    state: (topic, realm) => request({ op: 'state', ...(topic === undefined ? {} : { topic }), ...(realm === undefined ? {} : { realm }) }),
    remote: (op) => request({ op: 'remote', remote: op }),
    kill,
    pause: async () => void (child.exitCode === null && child.signalCode === null && child.kill('SIGSTOP')),
    resume: async () => void (child.exitCode === null && child.signalCode === null && child.kill('SIGCONT')),
  };
}

/** Polls `check` until it holds (every 25 ms, at most `ms`): waiting for state to propagate, never asserting a duration. */
export async function until(check: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Collects cleanups to run last-registered first (node:test would run `after` hooks first-in first-out). */
export function cleanupStack(): { suite: Pick<TestContext, 'after'>; stop(): Promise<void> } {
  const cleanups: (() => Promise<void>)[] = [];
  const suite = { after: (fn: () => Promise<void>) => void cleanups.push(fn) } as Pick<TestContext, 'after'>;
  return {
    suite,
    stop: async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    },
  };
}

/** A redis-server with `nodes.length` nodes on it, each listing all the others. */
export interface Nodes {
  readonly redis: RedisServer;
  readonly nodes: readonly ClusterNode[];
  /** Stops the nodes, then the server. */
  stop(): Promise<void>;
}

/** Waits until every node of `nodes` that is alive lists every other one. */
export async function meshed(nodes: readonly ClusterNode[]): Promise<void> {
  await until(async () => {
    for (const node of nodes) {
      const listed = (await node.state()).nodes;
      if (!nodes.every((other) => other === node || listed.includes(other.nodeId))) return false;
    }
    return true;
  }, 'the nodes seeing each other');
}

/**
 * Starts a redis-server and `count` nodes on it, node i on `clients[i]`
 * (by default alternately node-redis and ioredis); `options` apply to every node.
 */
export async function startNodes(count: number, options: Omit<NodeOptions, 'client' | 'cluster'> & { clients?: readonly ('redis' | 'ioredis')[] } = {}): Promise<Nodes> {
  const { suite, stop } = cleanupStack();
  const { clients, ...nodeOptions } = options;
  try {
    const redis = await startRedis(suite);
    const nodes = await Promise.all(
      Array.from({ length: count }, (_, i) => startNode(suite, redis.url, { ...nodeOptions, client: clients?.[i] ?? (i % 2 === 0 ? 'redis' : 'ioredis') })),
    );
    await meshed(nodes);
    return { redis, nodes, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A redis-server with two nodes on it that see each other: A on node-redis, B on ioredis. */
export interface TwoNodes {
  readonly redis: RedisServer;
  readonly a: ClusterNode;
  readonly b: ClusterNode;
  /** Stops the nodes, then the server (node:test would run `after` hooks first-in first-out). */
  stop(): Promise<void>;
}

/** Starts a {@link TwoNodes} cluster; `options` apply to both nodes. */
export async function startTwoNodes(options: Omit<NodeOptions, 'client' | 'cluster'> = {}): Promise<TwoNodes> {
  const { redis, nodes, stop } = await startNodes(2, options);
  return { redis, a: nodes[0]!, b: nodes[1]!, stop };
}
