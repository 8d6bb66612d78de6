/**
 * The footprint benchmark: heap and RSS per idle session. Each target runs in
 * its own process with `--expose-gc`; its sessions are opened by separate
 * client processes. Memory is read after GC before (with the code paths
 * already warmed by a few sessions) and after opening the sessions.
 * The sessions stay open for the fan-out benchmark.
 * @module
 */
import type { BenchConfig } from './config.js';
import { Child } from './ipc.js';
import { fmt, printTable } from './report.js';
import { CLIENT_KIND, LABELS, startTarget, type RunningTarget } from './servers.js';
import type { TargetName } from './targets/target.js';

interface Memory {
  heapUsed: number;
  rss: number;
  external: number;
  arrayBuffers: number;
}

/** A target holding many sessions from several client processes. */
export interface Fleet {
  readonly target: RunningTarget;
  readonly clients: readonly { child: Child; size: number }[];
  readonly sessions: number;
}

export interface FootprintResult {
  readonly target: TargetName;
  readonly sessions: number;
  readonly heapKB: number;
  readonly rssKB: number;
  readonly externalKB: number;
}

const WARM_SESSIONS = 200;
let nextAddress = 10;

async function openFleet(name: TargetName, config: BenchConfig): Promise<{ fleet: Fleet; result: FootprintResult } | undefined> {
  const target = await startTarget(name, true);
  if (target === undefined) return undefined;
  const spec = { kind: CLIENT_KIND[name], url: target.urls.json!, codec: 'json' as const };
  const clients = Array.from({ length: config.clientProcesses }, (_, i) => ({
    child: new Child(`${name} clients ${i + 1}`, './client-process.ts'),
    size: Math.floor(config.sessions / config.clientProcesses) + (i < config.sessions % config.clientProcesses ? 1 : 0),
    localAddress: `127.0.0.${nextAddress++}`,
  }));
  // Warm the server's code paths, then measure the baseline without those sessions.
  await clients[0]!.child.request('open', { spec: { ...spec, count: WARM_SESSIONS } });
  await clients[0]!.child.request('close');
  const before = await target.child.request<Memory>('memory');
  await Promise.all(clients.map((c) => c.child.request('open', { spec: { ...spec, count: c.size, localAddress: c.localAddress } }, 300_000)));
  const after = await target.child.request<Memory>('memory');
  const kb = (key: keyof Memory): number => (after[key] - before[key]) / config.sessions / 1024;
  return {
    fleet: { target, clients, sessions: config.sessions },
    result: { target: name, sessions: config.sessions, heapKB: kb('heapUsed'), rssKB: kb('rss'), externalKB: kb('external') },
  };
}

/** Stops a fleet's clients and server. */
export async function closeFleet(fleet: Fleet): Promise<void> {
  await fleet.target.child.stop(); // the server closes first, so TIME_WAIT stays on its side
  await Promise.all(fleet.clients.map((c) => c.child.stop()));
}

/** Opens the sessions for every footprint/fan-out target in turn and measures them. */
export async function benchFootprint(config: BenchConfig): Promise<{ fleets: Fleet[]; results: FootprintResult[] }> {
  console.log(`\nFootprint: ${config.sessions} idle sessions (JSON) per target`);
  const fleets: Fleet[] = [];
  const results: FootprintResult[] = [];
  for (const name of config.targets.filter((t) => t !== 'router')) {
    process.stdout.write(`  ${LABELS[name]}… `);
    const opened = await openFleet(name, config);
    if (opened === undefined) continue;
    fleets.push(opened.fleet);
    results.push(opened.result);
    console.log(`${fmt(opened.result.heapKB, 2)} KB heap per session`);
  }
  return { fleets, results };
}

export function printFootprint(results: readonly FootprintResult[]): void {
  const floor = results.find((r) => r.target === 'floor');
  const rows = results.map((r) => [
    LABELS[r.target],
    fmt(r.sessions),
    fmt(r.heapKB, 2),
    fmt(r.rssKB, 2),
    fmt(r.externalKB, 2),
    floor === undefined ? '–' : `${r.heapKB - floor.heapKB >= 0 ? '+' : ''}${fmt(r.heapKB - floor.heapKB, 2)}`,
  ]);
  printTable(
    'Footprint per idle session (after GC)',
    ['target', 'sessions', 'heap KB', 'RSS KB', 'external KB', 'heap vs bare ws KB'],
    rows,
  );
}
