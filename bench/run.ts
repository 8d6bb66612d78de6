/**
 * `npm run bench`: the RPC, footprint, fan-out and cluster benchmarks in one run,
 * printed as tables with the ratios the performance targets are stated in.
 * See `npm run bench -- --help` for the settings.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { benchCluster, type ClusterResults } from './cluster/part.js';
import { clusterVerdicts, printCluster } from './cluster/print.js';
import { parseConfig } from './config.js';
import { benchFanout, printFanout, type FanoutResult } from './fanout.js';
import { benchFootprint, closeFleet, printFootprint, type FootprintResult } from './footprint.js';
import { median, verdict } from './report.js';
import { benchRPC, printRPC, type RPCSummary } from './rpc.js';
import { benchRuntimes, printRuntimes } from './runtimes.js';
import { buildServerwamp } from './servers.js';

/** Re-runs the benchmark under a raised open-files limit when the soft one is too low for the sessions. */
function ensureFileLimit(needed: number): void {
  let limits: string;
  try {
    limits = readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return; // not Linux: hope for the best
  }
  const parts = limits.split('\n').find((l) => l.startsWith('Max open files'))?.trim().split(/\s+/) ?? [];
  const soft = Number(parts[3]);
  const hard = parts[4] === 'unlimited' ? Infinity : Number(parts[4]);
  if (!(soft < needed) || process.env['BENCH_REEXEC'] === '1') return;
  const limit = Number.isFinite(hard) ? Math.min(hard, 65_536) : 65_536;
  if (limit < needed) console.warn(`open-files limit ${hard} is below the ${needed} needed; runs may fail`);
  const script = `ulimit -n ${limit} && exec "$@"`;
  const args = [process.execPath, ...process.execArgv, ...process.argv.slice(1)];
  const result = spawnSync('/bin/sh', ['-c', script, 'sh', ...args], { stdio: 'inherit', env: { ...process.env, BENCH_REEXEC: '1' } });
  process.exit(result.status ?? 1);
}

function machine(): string {
  let cpu = 'unknown CPU';
  try {
    cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch {
    // not Linux
  }
  return `${availableParallelism()} cores, ${cpu}, Node ${process.version}`;
}

const config = parseConfig(process.argv.slice(2));
ensureFileLimit(Math.ceil(config.sessions / config.clientProcesses) + 1000);
const started = Date.now();
console.log(`serverwamp benchmark on ${machine()}`);
if (config.fromSource) console.log('serverwamp runs from its TypeScript source (tsx)');
else buildServerwamp();

let rpc: RPCSummary[] = [];
let footprint: FootprintResult[] = [];
let fanout: FanoutResult[] = [];
let pending: string[] = [];
let cluster: ClusterResults | undefined;

if (config.parts.includes('rpc')) rpc = await benchRPC(config);
if (config.parts.includes('footprint') || config.parts.includes('fanout')) {
  const { fleets, results } = await benchFootprint(config);
  footprint = results;
  try {
    if (config.parts.includes('fanout')) ({ results: fanout, pending } = await benchFanout(fleets, config));
  } finally {
    await Promise.all(fleets.map(closeFleet));
  }
}

if (config.parts.includes('cluster')) {
  try {
    cluster = await benchCluster(config);
  } catch (error) {
    // The other parts' figures are still printed.
    console.error(`\n*** the cluster part failed: ${(error as Error).message} ***`);
  }
}
const runtimes = config.parts.includes('runtimes') ? await benchRuntimes(config) : [];

if (rpc.length > 0) printRPC(rpc);
if (runtimes.length > 0) printRuntimes(runtimes);
if (config.parts.includes('footprint')) printFootprint(footprint);
if (config.parts.includes('fanout')) printFanout(fanout, pending as never[]);
if (cluster !== undefined) printCluster(cluster);

console.log('\nTargets (medians of interleaved rounds):\n');
const cps = (target: string, codec: string): number =>
  median(rpc.filter((s) => s.target === target && s.codec === codec).map((s) => s.callsPerSecond));
for (const codec of config.codecs) {
  if (rpc.length === 0) break;
  console.log(verdict(`RPC ${codec}: serverwamp ÷ floor`, cps('serverwamp', codec) / cps('floor', codec), 0.9));
  console.log(verdict(`RPC ${codec}: serverwamp ÷ socket.io`, cps('serverwamp', codec) / cps('socketio', codec), 1.2));
}
const dps = (target: string): number => fanout.find((r) => r.target === target)?.deliveriesPerSecond ?? NaN;
if (config.parts.includes('fanout')) {
  if (pending.includes('serverwamp')) console.log('PENDING  fan-out: serverwamp has no broker yet');
  else {
    console.log(verdict('fan-out: serverwamp ÷ hand-written ws broadcast', dps('serverwamp') / dps('floor'), 0.9));
    console.log(verdict('fan-out: serverwamp ÷ socket.io room broadcast', dps('serverwamp') / dps('socketio'), 1.0));
  }
}
const heap = (target: string): number => footprint.find((r) => r.target === target)?.heapKB ?? NaN;
if (config.parts.includes('footprint')) {
  const extra = heap('serverwamp') - heap('floor');
  const ok = Number.isFinite(extra) && extra <= 2;
  console.log(`${ok ? 'PASS' : 'MISS'}  idle session: serverwamp heap − bare ws: ${Number.isFinite(extra) ? extra.toFixed(2) : '–'} KB (target ≤ 2)`);
}
if (cluster !== undefined) for (const line of clusterVerdicts(cluster)) console.log(line);
else if (config.parts.includes('cluster')) console.log('SKIP  cluster: not measured (see above)');
console.log(`\nDone in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
