/**
 * The cluster part of `npm run bench`: serverwamp with its Redis backplane
 * and socket.io with `@socket.io/redis-adapter`, two nodes each (separate
 * processes) on one redis-server that the part starts on a free loopback
 * port without persistence, and stops afterwards.
 * @module
 */
import { redisInstalled, spawnRedis, REDIS_BINARY } from '../../test/helpers/redis-process.js';
import type { BenchConfig } from '../config.js';
import { LABELS } from '../servers.js';
import { benchClusterFanout, type ClusterFanoutResult } from './fanout.js';
import { benchLatency, type LatencyResult } from './latency.js';
import { startPair, stopPair, type NodePair } from './nodes.js';
import type { ClusterSystem } from './target.js';

export interface ClusterResults {
  readonly fanout: ClusterFanoutResult[];
  readonly latency: LatencyResult[];
}

const SYSTEMS: readonly ClusterSystem[] = ['serverwamp', 'socketio'];
/** Fan-out publishes per system per round: fewer than the single-node part's, to keep the part near 90 s. */
const CLUSTER_TRIALS = 3;

/** Runs the part; undefined (said loudly) when redis-server is not installed. */
export async function benchCluster(config: BenchConfig): Promise<ClusterResults | undefined> {
  if (!redisInstalled()) {
    console.warn(`\n*** SKIPPING the cluster part: ${REDIS_BINARY} is not installed (apt-get install redis-server) ***\n`);
    return undefined;
  }
  const started = Date.now();
  const redis = await spawnRedis();
  console.log(`\nCluster: two nodes per system, each in its own process, on one redis-server (${redis.url}, no persistence); Redis client: ${config.redisClient}`);
  const pairs: NodePair[] = [];
  try {
    for (const system of SYSTEMS.filter((s) => config.targets.includes(s))) {
      try {
        pairs.push(await startPair(system, redis.url, config.redisClient));
      } catch (error) {
        console.warn(`  ${LABELS[system]} nodes could not start, skipped: ${(error as Error).message}`);
      }
    }
    const latency = await benchLatency(pairs, { probes: config.clusterProbes, intervalMs: config.probeIntervalMs, rounds: config.rounds });
    const fanout = await benchClusterFanout(pairs, { sessions: config.sessions, rounds: config.rounds, trials: Math.min(config.fanoutTrials, CLUSTER_TRIALS) });
    console.log(`  cluster part: ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return { fanout, latency };
  } finally {
    await Promise.all(pairs.map(stopPair));
    await redis.stop();
  }
}
