/**
 * The fan-out benchmark: one publish delivered to every subscribed session of
 * each target, in interleaved rounds. The time to deliver all runs from the
 * publish call in the server to the last event received by the clients (one
 * monotonic clock for all processes); `send` is the time the publish call
 * itself took in the server.
 * @module
 */
import type { BenchConfig } from './config.js';
import type { Fleet } from './footprint.js';
import { fmt, median, printTable, ratio } from './report.js';
import { LABELS } from './servers.js';
import type { TargetName } from './targets/target.js';

export interface FanoutResult {
  readonly target: TargetName;
  readonly sessions: number;
  /** Median time from publish to the last delivery, ms. */
  readonly deliverMs: number;
  /** Median time of the publish call in the server, ms. */
  readonly sendMs: number;
  readonly deliveriesPerSecond: number;
}

async function trial(fleet: Fleet, index: number): Promise<{ deliverMs: number; sendMs: number }> {
  const received = fleet.clients.map((c) => c.child.request<number>('received', { total: index * c.size }, 30_000));
  const { start, syncNs } = await fleet.target.child.request<{ start: number; syncNs: number }>('publish');
  const last = Math.max(...(await Promise.all(received)));
  return { deliverMs: (last - start) / 1e6, sendMs: syncNs / 1e6 };
}

export async function benchFanout(fleets: readonly Fleet[], config: BenchConfig): Promise<{ results: FanoutResult[]; pending: TargetName[] }> {
  const able = fleets.filter((f) => f.target.publishes);
  const pending = fleets.filter((f) => !f.target.publishes).map((f) => f.target.name);
  console.log(`\nFan-out: one publish to ${config.sessions} subscribed sessions (JSON), ${config.fanoutTrials} per target per round`);
  for (const fleet of able) await Promise.all(fleet.clients.map((c) => c.child.request('subscribe', {}, 300_000)));
  const counts = new Map<Fleet, number>();
  const samples = new Map<Fleet, { deliverMs: number; sendMs: number }[]>();
  const next = async (fleet: Fleet): Promise<{ deliverMs: number; sendMs: number }> => {
    const index = (counts.get(fleet) ?? 0) + 1;
    counts.set(fleet, index);
    return trial(fleet, index);
  };
  for (const fleet of able) for (let i = 0; i < 2; i++) await next(fleet); // warm-up
  for (let round = 0; round < config.rounds; round++) {
    process.stdout.write(`  round ${round + 1}/${config.rounds}`);
    const order = able.map((_, i) => able[(i + round) % able.length]!);
    for (const fleet of order) {
      for (let i = 0; i < config.fanoutTrials; i++) {
        samples.set(fleet, [...(samples.get(fleet) ?? []), await next(fleet)]);
        process.stdout.write('.');
      }
    }
    process.stdout.write('\n');
  }
  const results = able.map((fleet) => {
    const list = samples.get(fleet) ?? [];
    const deliverMs = median(list.map((s) => s.deliverMs));
    return {
      target: fleet.target.name,
      sessions: fleet.sessions,
      deliverMs,
      sendMs: median(list.map((s) => s.sendMs)),
      deliveriesPerSecond: fleet.sessions / (deliverMs / 1000),
    };
  });
  return { results, pending };
}

export function printFanout(results: readonly FanoutResult[], pending: readonly TargetName[]): void {
  const sw = results.find((r) => r.target === 'serverwamp');
  const rows = results.map((r) => [
    LABELS[r.target],
    fmt(r.sessions),
    fmt(r.deliverMs, 1),
    fmt(r.sendMs, 1),
    fmt(r.deliveriesPerSecond),
    ratio(sw?.deliveriesPerSecond, r.deliveriesPerSecond),
  ]);
  for (const name of pending) rows.push([LABELS[name], '–', 'pending: no broker yet', '', '', '']);
  printTable(
    'Fan-out: one publish to every subscriber, medians',
    ['target', 'subscribers', 'deliver all ms', 'publish call ms', 'deliveries/s', 'serverwamp ÷ this'],
    rows,
  );
}
