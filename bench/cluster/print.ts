/**
 * The cluster part's tables and target verdicts.
 * @module
 */
import { fmt, percentile, printTable, ratio, verdict, verdictAtMost } from '../report.js';
import { LABELS } from '../servers.js';
import type { ClusterResults } from './part.js';

export function printCluster(results: ClusterResults): void {
  const sw = results.fanout.find((r) => r.system === 'serverwamp');
  printTable(
    'Cluster fan-out: one publish on node A to every subscriber, half on node B (Redis), medians',
    ['target', 'subscribers', 'deliver all ms', 'publish call ms', 'deliveries/s', 'serverwamp ÷ this'],
    results.fanout.map((r) => [
      `${LABELS[r.system]}${r.system === 'socketio' ? ' + redis-adapter' : ' + redisBackplane'}`,
      fmt(r.sessions),
      fmt(r.deliverMs, 1),
      fmt(r.sendMs, 1),
      fmt(r.deliveriesPerSecond),
      ratio(sw?.deliveriesPerSecond, r.deliveriesPerSecond),
    ]),
  );
  for (const r of results.fanout) if (r.failed !== undefined) console.log(`${LABELS[r.system]}: trials stopped early (${r.failed})`);
  const local = (system: string): number => {
    const found = results.latency.find((r) => r.system === system && r.where === 'local');
    return found === undefined ? NaN : percentile(found.latenciesMs, 0.99);
  };
  printTable(
    'Cluster latency: publish call on node A to EVENT at a subscriber on A (local) or on B (cross-node)',
    ['target', 'subscriber', 'sent', 'received', 'p50 ms', 'p99 ms', 'max ms', 'p99 − local p99 ms', 'added per probe p50 / p99 ms', 'duplicated', 'out of order'],
    results.latency.map((r) => [
      LABELS[r.system],
      r.where,
      fmt(r.sent),
      fmt(r.latenciesMs.length),
      fmt(percentile(r.latenciesMs, 0.5), 2),
      fmt(percentile(r.latenciesMs, 0.99), 2),
      fmt(percentile(r.latenciesMs, 1), 2),
      r.where === 'local' ? '–' : fmt(percentile(r.latenciesMs, 0.99) - local(r.system), 2),
      r.where === 'local' ? '–' : `${fmt(percentile(r.addedMs, 0.5), 2)} / ${fmt(percentile(r.addedMs, 0.99), 2)}`,
      fmt(r.duplicates),
      fmt(r.reordered),
    ]),
  );
  console.log('\n"added per probe": for each probe both subscribers received, its cross-node time minus its local time');
  console.log('(what both paths share, such as a late timer on node A, cancels out).');
}

/** The cluster targets: fan-out ≥ 1.2 × socket.io's, cross-node p99 within 2 ms of local. */
export function clusterVerdicts(results: ClusterResults): string[] {
  const dps = (system: string): number => results.fanout.find((r) => r.system === system)?.deliveriesPerSecond ?? NaN;
  const p99 = (where: string): number => {
    const found = results.latency.find((r) => r.system === 'serverwamp' && r.where === where);
    return found === undefined ? NaN : percentile(found.latenciesMs, 0.99);
  };
  const added = results.latency.find((r) => r.system === 'serverwamp' && r.where === 'cross-node')?.addedMs ?? [];
  return [
    verdict('cluster fan-out: serverwamp ÷ socket.io + redis-adapter', dps('serverwamp') / dps('socketio'), 1.2),
    verdictAtMost('cluster latency: serverwamp cross-node p99 − local p99, ms', p99('cross-node') - p99('local'), 2),
    `INFO  cluster latency: serverwamp added per probe, p99: ${fmt(percentile(added, 0.99), 2)} ms (the same probe on B minus on A: stricter)`,
  ];
}
