/**
 * What a cross-node publish adds over a local one: a subscriber on node A
 * and one on node B (each in a client process of its own), node A
 * publishing probes at a steady, modest rate; publish call to arrival, on
 * the monotonic clock every process shares. Systems take turns in rounds.
 * @module
 */
import { Child } from '../ipc.js';
import { LABELS } from '../servers.js';
import type { ProbeSeries } from './probe-client.js';
import type { NodePair } from './nodes.js';
import { until } from './nodes.js';

export interface LatencySettings {
  /** Probes per system, over all rounds. */
  readonly probes: number;
  readonly intervalMs: number;
  readonly rounds: number;
}

export interface LatencyResult {
  readonly system: NodePair['system'];
  readonly where: 'local' | 'cross-node';
  readonly sent: number;
  /** Publish-to-EVENT times of the probes received, ms. */
  readonly latenciesMs: number[];
  /** For cross-node: per probe received by both, its cross-node time minus its local time, ms. */
  readonly addedMs: number[];
  readonly duplicates: number;
  readonly reordered: number;
}

interface Probed {
  readonly pair: NodePair;
  readonly local: Child;
  readonly remote: Child;
  sent: number;
  readonly series: { local: ProbeSeries[]; remote: ProbeSeries[] };
}

const WARMUP = 100;
const SETTLE_MS = 300;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function open(pair: NodePair): Promise<Probed> {
  const kind = pair.system === 'socketio' ? 'socketio' : 'wamp';
  const local = new Child(`${LABELS[pair.system]} probe on A`, './client-process.ts');
  const remote = new Child(`${LABELS[pair.system]} probe on B`, './client-process.ts');
  try {
    await local.request('probe', { spec: { kind, url: pair.a.url } }, 30_000);
    await remote.request('probe', { spec: { kind, url: pair.b.url } }, 30_000);
    await until(`${LABELS[pair.system]} node A reaching node B`, 10_000, () => pair.a.child.request<boolean>('reachesPeer', { event: 'probe' }));
  } catch (error) {
    await Promise.all([local.stop(), remote.stop()]);
    throw error;
  }
  return { pair, local, remote, sent: 0, series: { local: [], remote: [] } };
}

/** One series: `count` probes, then a pause for the last ones to arrive. */
async function series(probed: Probed, count: number, intervalMs: number, keep: boolean): Promise<void> {
  const sent = await probed.pair.a.child.request<number>('probes', { count, intervalMs, maxMs: count * intervalMs * 3 + 5000 }, count * intervalMs * 3 + 15_000);
  await sleep(SETTLE_MS);
  const [local, remote] = await Promise.all([probed.local.request<ProbeSeries>('probeSeries'), probed.remote.request<ProbeSeries>('probeSeries')]);
  if (!keep) return;
  probed.sent += sent;
  probed.series.local.push(local);
  probed.series.remote.push(remote);
}

const received = (series: ProbeSeries): number[] => series.bySeq.filter((ms) => !Number.isNaN(ms));

/** The same probe seen by both subscribers: what the cross-node path added, free of what both paths share. */
function added(probed: Probed): number[] {
  return probed.series.remote.flatMap((remote, i) => {
    const local = probed.series.local[i]!.bySeq;
    return remote.bySeq.flatMap((ms, seq) => (Number.isNaN(ms) || Number.isNaN(local[seq] ?? NaN) ? [] : [ms - local[seq]!]));
  });
}

function result(probed: Probed, where: LatencyResult['where']): LatencyResult {
  const list = where === 'local' ? probed.series.local : probed.series.remote;
  return {
    system: probed.pair.system,
    where,
    sent: probed.sent,
    latenciesMs: list.flatMap(received),
    addedMs: where === 'local' ? [] : added(probed),
    duplicates: list.reduce((n, s) => n + s.duplicates, 0),
    reordered: list.reduce((n, s) => n + s.reordered, 0),
  };
}

export async function benchLatency(pairs: readonly NodePair[], settings: LatencySettings): Promise<LatencyResult[]> {
  const started = Date.now();
  console.log(`\nCluster latency: node A publishes ${settings.probes} probes per system, one every ${settings.intervalMs} ms; a subscriber on A and one on B`);
  const probed: Probed[] = [];
  try {
    for (const pair of pairs) probed.push(await open(pair));
    for (const p of probed) await series(p, WARMUP, settings.intervalMs, false);
    const perRound = Math.ceil(settings.probes / settings.rounds);
    for (let round = 0; round < settings.rounds; round++) {
      process.stdout.write(`  round ${round + 1}/${settings.rounds}`);
      for (let i = 0; i < probed.length; i++) {
        await series(probed[(i + round) % probed.length]!, perRound, settings.intervalMs, true);
        process.stdout.write('.');
      }
      process.stdout.write('\n');
    }
    console.log(`  latency: ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return probed.flatMap((p) => [result(p, 'local'), result(p, 'cross-node')]);
  } finally {
    await Promise.all(probed.flatMap((p) => [p.local.stop(), p.remote.stop()]));
  }
}
