/**
 * The two nodes of one system, each in its own process, on one Redis.
 * @module
 */
import { Child } from '../ipc.js';
import { LABELS } from '../servers.js';
import type { RedisClientKind } from './redis-client.js';
import type { ClusterSystem } from './target.js';

export interface NodePair {
  readonly system: ClusterSystem;
  /** The publishing node. */
  readonly a: RunningNode;
  readonly b: RunningNode;
}

export interface RunningNode {
  readonly child: Child;
  readonly url: string;
}

async function startNode(system: ClusterSystem, name: string, redisUrl: string, kind: RedisClientKind): Promise<RunningNode> {
  const flags: string[] = [];
  // BENCH_PROFILE=DIR: CPU profiles of the node processes too.
  const profile = process.env['BENCH_PROFILE'];
  if (profile !== undefined && profile !== '') flags.push('--cpu-prof', `--cpu-prof-dir=${profile}`);
  const child = new Child(`${LABELS[system]} node ${name}`, './cluster/node-process.ts', [system, redisUrl, kind], flags);
  try {
    const { url } = await child.request<{ url: string }>('info', {}, 30_000);
    return { child, url };
  } catch (error) {
    await child.stop();
    throw error;
  }
}

export async function startPair(system: ClusterSystem, redisUrl: string, kind: RedisClientKind): Promise<NodePair> {
  const a = await startNode(system, 'A', redisUrl, kind);
  try {
    return { system, a, b: await startNode(system, 'B', redisUrl, kind) };
  } catch (error) {
    await a.child.stop();
    throw error;
  }
}

export async function stopPair(pair: NodePair): Promise<void> {
  await Promise.all(
    [pair.a, pair.b].map(async (node) => {
      await node.child.request('close', {}, 10_000).catch(() => undefined);
      await node.child.stop();
    }),
  );
}

/** Polls `check` every 20 ms until it holds; throws after `ms`. */
export async function until(what: string, ms: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
