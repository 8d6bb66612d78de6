/**
 * The RPC benchmark: every target and codec driven by the same load
 * generator process, in interleaved rounds (the order rotates each round),
 * after one unmeasured warm-up pass.
 * @module
 */
import type { BenchConfig } from './config.js';
import { Child } from './ipc.js';
import type { RPCLoad, RPCRunResult } from './loadgen.js';
import { fmt, median, printTable, ratio } from './report.js';
import { CLIENT_KIND, LABELS, startTarget, type RunningTarget } from './servers.js';
import type { TargetName } from './targets/target.js';
import type { Codec } from './wamp-client.js';

export interface RPCRun extends RPCRunResult {
  /** Server CPU microseconds per call (all of the target's processes). */
  readonly cpuPerCallUs: number;
}

export interface RPCSummary {
  readonly target: TargetName;
  readonly codec: Codec;
  readonly callsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly cpuPerCallUs: number;
  readonly clientCpuPerCallUs: number;
  readonly errors: number;
}

async function runOnce(loadgen: Child, target: RunningTarget, codec: Codec, config: BenchConfig, durationMs: number): Promise<RPCRun> {
  const load: RPCLoad = {
    kind: CLIENT_KIND[target.name],
    url: target.urls[codec]!,
    codec,
    connections: config.connections,
    inflight: config.inflight,
    warmupMs: config.warmupMs,
    durationMs,
  };
  let cpuStart: Promise<number> | undefined;
  loadgen.on('measuring', () => (cpuStart = target.cpu()));
  const result = await loadgen.request<RPCRunResult>('rpc', { load }, durationMs + config.warmupMs + 60_000);
  const cpuEnd = await target.cpu();
  const cpuPerCallUs = (cpuEnd - (await cpuStart!)) / Math.max(1, result.calls);
  return { ...result, cpuPerCallUs };
}

export async function benchRPC(config: BenchConfig): Promise<RPCSummary[]> {
  console.log(`\nRPC: ${config.connections} connections × ${config.inflight} calls in flight, ${config.durationMs} ms per run, ${config.rounds} round(s)`);
  const targets: RunningTarget[] = [];
  // serverwamp runs a second time with metrics on, for the overhead ratio (BENCH_METRICS=0 skips it).
  const names = config.targets.includes('serverwamp') && process.env['BENCH_METRICS'] !== '0' ? [...config.targets, 'serverwamp-metrics' as const] : config.targets;
  for (const name of names) {
    const target = await startTarget(name);
    if (target !== undefined) targets.push(target);
  }
  const loadgen = new Child('load generator', './client-process.ts');
  const pairs = config.codecs.flatMap((codec) => targets.filter((t) => t.urls[codec] !== undefined).map((target) => ({ target, codec })));
  const runs = new Map<string, RPCRun[]>();
  try {
    process.stdout.write('  warm-up');
    for (const { target, codec } of pairs) {
      await runOnce(loadgen, target, codec, config, config.warmupMs * 2);
      process.stdout.write('.');
    }
    process.stdout.write('\n');
    for (let round = 0; round < config.rounds; round++) {
      process.stdout.write(`  round ${round + 1}/${config.rounds}`);
      // Rotate the order so that no target always runs first or last.
      const order = pairs.map((_, i) => pairs[(i + round) % pairs.length]!);
      for (const { target, codec } of order) {
        const run = await runOnce(loadgen, target, codec, config, config.durationMs);
        const key = `${target.name}/${codec}`;
        runs.set(key, [...(runs.get(key) ?? []), run]);
        process.stdout.write('.');
      }
      process.stdout.write('\n');
    }
  } finally {
    await loadgen.stop();
    await Promise.all(targets.map((t) => t.child.stop()));
  }
  return pairs.map(({ target, codec }) => {
    const list = runs.get(`${target.name}/${codec}`) ?? [];
    return {
      target: target.name,
      codec,
      callsPerSecond: median(list.map((r) => r.callsPerSecond)),
      p50Ms: median(list.map((r) => r.p50Ms)),
      p99Ms: median(list.map((r) => r.p99Ms)),
      cpuPerCallUs: median(list.map((r) => r.cpuPerCallUs)),
      clientCpuPerCallUs: median(list.map((r) => r.clientCpuPerCallUs)),
      errors: list.reduce((sum, r) => sum + r.errors, 0),
    };
  });
}

export function printRPC(summaries: readonly RPCSummary[]): void {
  const find = (target: TargetName, codec: Codec): RPCSummary | undefined =>
    summaries.find((s) => s.target === target && s.codec === codec);
  const rows = summaries.map((s) => [
    `${LABELS[s.target]}, ${s.codec}`,
    fmt(s.callsPerSecond),
    fmt(s.p50Ms, 2),
    fmt(s.p99Ms, 2),
    fmt(s.cpuPerCallUs, 1),
    fmt(s.clientCpuPerCallUs, 1),
    ratio(find('serverwamp', s.codec)?.callsPerSecond, s.callsPerSecond),
    String(s.errors),
  ]);
  printTable(
    'RPC (math.add), medians of rounds',
    ['target', 'calls/s', 'p50 ms', 'p99 ms', 'server CPU µs/call', 'client CPU µs/call', 'serverwamp ÷ this', 'errors'],
    rows,
  );
  for (const codec of new Set(summaries.map((s) => s.codec))) {
    const off = find('serverwamp', codec);
    const on = find('serverwamp-metrics', codec);
    if (off === undefined || on === undefined) continue;
    const overhead = (1 - on.callsPerSecond / off.callsPerSecond) * 100;
    console.log(
      `  metrics on ÷ off, ${codec}: calls/s ${(on.callsPerSecond / off.callsPerSecond).toFixed(3)}×, ` +
        `server CPU µs/call ${(on.cpuPerCallUs / off.cpuPerCallUs).toFixed(3)}× (throughput overhead ${overhead.toFixed(1)} %, target ≤ 3 %)`,
    );
  }
}
