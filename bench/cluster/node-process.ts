/**
 * A process holding one node of the cluster part (argv: system, Redis URL, Redis client):
 * answers the harness with its URL, subscriber count, whether it reaches
 * the other node, and publishes the fan-out event or a paced series of
 * latency probes on request.
 * @module
 */
import { nowNs, serve } from '../ipc.js';
import type { RedisClientKind } from './redis-client.js';
import type { ClusterNode, ClusterSystem } from './target.js';

const loaders: Record<ClusterSystem, () => Promise<{ start(redisUrl: string, kind: RedisClientKind): Promise<ClusterNode> }>> = {
  serverwamp: () => import('./serverwamp-node.js'),
  socketio: () => import('./socketio-node.js'),
};

const system = process.argv[2] as ClusterSystem;
const node = await (await loaders[system]()).start(process.argv[3]!, process.argv[4] as RedisClientKind);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Publishes `count` probes, one every `intervalMs` on a fixed schedule (a
 * late one does not push the rest back), stopping at `maxMs` whatever the count.
 */
async function probes(count: number, intervalMs: number, maxMs: number): Promise<number> {
  const start = performance.now();
  let sent = 0;
  while (sent < count && performance.now() - start < maxMs) {
    node.publishProbe(sent, nowNs());
    sent++;
    await sleep(Math.max(0, start + sent * intervalMs - performance.now()));
  }
  return sent;
}

serve({
  info: () => ({ url: node.url }),
  subscribers: () => node.subscribers(),
  reachesPeer: (args) => node.reachesPeer(args['event'] as 'fanout' | 'probe'),
  publish: () => {
    const start = nowNs();
    node.publish();
    return { start, syncNs: nowNs() - start };
  },
  probes: (args) => probes(args['count'] as number, args['intervalMs'] as number, args['maxMs'] as number),
  cpu: () => {
    const usage = process.cpuUsage();
    return usage.user + usage.system;
  },
  close: () => node.close(),
});
