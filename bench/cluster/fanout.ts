/**
 * Fan-out across two nodes: node A publishes once; half the subscribers are
 * on A, half on B (each half in a client process of its own). The time runs
 * from the publish call on A to the last event received by either half.
 * Systems take turns in rounds.
 * @module
 */
import { Child } from '../ipc.js';
import { median } from '../report.js';
import { LABELS } from '../servers.js';
import type { NodePair } from './nodes.js';
import { until } from './nodes.js';

export interface ClusterFanoutSettings {
  readonly sessions: number;
  readonly rounds: number;
  readonly trials: number;
}

export interface ClusterFanoutResult {
  readonly system: NodePair['system'];
  readonly sessions: number;
  readonly deliverMs: number;
  readonly sendMs: number;
  readonly deliveriesPerSecond: number;
  /** Why the trials stopped early, if they did. */
  readonly failed?: string;
}

interface Fleet {
  readonly pair: NodePair;
  readonly halves: readonly { child: Child; size: number }[];
  published: number;
  readonly samples: { deliverMs: number; sendMs: number }[];
  failed?: string;
}

// Loopback source addresses of their own, apart from the single-node fan-out's.
let nextAddress = 10;

async function open(pair: NodePair, sessions: number): Promise<Fleet> {
  const kind = pair.system === 'socketio' ? 'socketio' : 'wamp';
  const halves = [pair.a, pair.b].map((node, i) => ({
    node,
    child: new Child(`${LABELS[pair.system]} clients on ${i === 0 ? 'A' : 'B'}`, './client-process.ts'),
    size: i === 0 ? Math.ceil(sessions / 2) : Math.floor(sessions / 2),
  }));
  const fleet: Fleet = { pair, halves, published: 0, samples: [] };
  try {
    await Promise.all(
      halves.map(async (h) => {
        const spec = { kind, url: h.node.url, codec: 'json', count: h.size, localAddress: `127.0.1.${nextAddress++}` };
        await h.child.request('open', { spec }, 300_000);
        await h.child.request('subscribe', {}, 300_000);
      }),
    );
    await until(`${LABELS[pair.system]} subscribers`, 60_000, async () => {
      const counts = await Promise.all(halves.map((h) => h.node.child.request<number>('subscribers')));
      return counts.every((n, i) => n === halves[i]!.size);
    });
    await until(`${LABELS[pair.system]} node A reaching node B`, 10_000, () => pair.a.child.request<boolean>('reachesPeer', { event: 'fanout' }));
  } catch (error) {
    await closeFleet(fleet);
    throw error;
  }
  return fleet;
}

async function closeFleet(fleet: Fleet): Promise<void> {
  await Promise.all(fleet.halves.map((h) => h.child.stop()));
}

/**
 * One publish. A trial that loses events (a node that dropped the other
 * from its listing: under heavy load a heartbeat can miss its deadline)
 * leaves the counts behind for good, so the system's trials stop there.
 */
async function trial(fleet: Fleet, keep: boolean): Promise<void> {
  if (fleet.failed !== undefined) return;
  try {
    await until(`${LABELS[fleet.pair.system]} node A reaching node B`, 10_000, () => fleet.pair.a.child.request<boolean>('reachesPeer', { event: 'fanout' }));
    await publishOnce(fleet, keep);
  } catch (error) {
    fleet.failed = (error as Error).message;
    console.warn(`\n  ${LABELS[fleet.pair.system]}: cluster fan-out trials stopped: ${fleet.failed}`);
  }
}

async function publishOnce(fleet: Fleet, keep: boolean): Promise<void> {
  const index = ++fleet.published;
  const received = fleet.halves.map((h) => h.child.request<number>('received', { total: index * h.size }, 30_000));
  // Handled even if the publish below fails first: no unhandled rejection when they time out.
  for (const waiting of received) waiting.catch(() => undefined);
  const { start, syncNs } = await fleet.pair.a.child.request<{ start: number; syncNs: number }>('publish');
  const last = Math.max(...(await Promise.all(received)));
  if (keep) fleet.samples.push({ deliverMs: (last - start) / 1e6, sendMs: syncNs / 1e6 });
}

export async function benchClusterFanout(pairs: readonly NodePair[], settings: ClusterFanoutSettings): Promise<ClusterFanoutResult[]> {
  console.log(`\nCluster fan-out: node A publishes once to ${settings.sessions} subscribers, half on node A, half on node B (JSON)`);
  const fleets: Fleet[] = [];
  try {
    for (const pair of pairs) {
      const opening = Date.now();
      process.stdout.write(`  opening ${settings.sessions} sessions on ${LABELS[pair.system]}…`);
      fleets.push(await open(pair, settings.sessions));
      process.stdout.write(` ${((Date.now() - opening) / 1000).toFixed(0)} s\n`);
    }
    for (const fleet of fleets) for (let i = 0; i < 2; i++) await trial(fleet, false);
    for (let round = 0; round < settings.rounds; round++) {
      process.stdout.write(`  round ${round + 1}/${settings.rounds}`);
      for (let i = 0; i < fleets.length; i++) {
        const fleet = fleets[(i + round) % fleets.length]!;
        for (let t = 0; t < settings.trials; t++) {
          await trial(fleet, true);
          process.stdout.write('.');
        }
      }
      process.stdout.write('\n');
    }
  } finally {
    await Promise.all(fleets.map(closeFleet));
  }
  return fleets.map((fleet) => {
    const deliverMs = median(fleet.samples.map((s) => s.deliverMs));
    return {
      system: fleet.pair.system,
      sessions: settings.sessions,
      deliverMs,
      sendMs: median(fleet.samples.map((s) => s.sendMs)),
      deliveriesPerSecond: settings.sessions / (deliverMs / 1000),
      ...(fleet.failed === undefined ? {} : { failed: fleet.failed }),
    };
  });
}
