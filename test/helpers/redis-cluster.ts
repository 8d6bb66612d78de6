/**
 * Starts the nodes of a test cluster as child processes (test/helpers/redis-node.ts)
 * and drives them over IPC; each is killed after the test.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('./redis-node.ts', import.meta.url));

export interface NodeState {
  stats: { published: number; delivered: number; dropped: number; decodeErrors: number; reconnects: number };
  health: 'ok' | 'degraded';
  nodes: string[];
  nodesFor: string[];
  refused: number;
}

export interface ClusterNode {
  readonly url: string;
  readonly nodeId: string;
  /** `app.publish`, or `realm.publish` of `realm`; resolves to the publication id. */
  publish(topic: string, options?: Record<string, unknown>, realm?: string): Promise<number>;
  /** The backplane's counters, health, peers, and the nodes `topic` would be sent to. */
  state(topic?: string, realm?: string): Promise<NodeState>;
  /** SIGKILL: the node dies without a word. */
  kill(): Promise<void>;
}

export interface NodeOptions {
  client?: 'redis' | 'ioredis';
  sharded?: boolean;
}

export async function startNode(t: Pick<TestContext, 'after'>, redisUrl: string, options: NodeOptions = {}): Promise<ClusterNode> {
  const child: ChildProcess = fork(ENTRY, [], {
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, REDIS_URL: redisUrl, REDIS_CLIENT: options.client ?? 'redis', REDIS_SHARDED: String(options.sharded === true) },
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
    kill,
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
