/**
 * The long soak, for releases: the sessions of test/soak.test.ts in a loop
 * for as long as asked, printing the server's heap, timers and tables
 * every interval. It ends with the tables once every client has gone and
 * the heap against its value after warm-up; it fails (exit code 1) when a
 * session failed, a table is not empty, or the heap grew more than 10 %.
 *
 *   npm run soak -- --minutes 30 [--interval 60] [--concurrency 40]
 */
import { parseArgs } from 'node:util';
import { newTally, settle, soak, startSoakServer, type SoakState } from '../test/helpers/soak.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    interval: { type: 'string', default: '60' },
    concurrency: { type: 'string', default: '40' },
  },
});
const minutes = Number(values.minutes);
const intervalMs = Number(values.interval) * 1000;
const concurrency = Number(values.concurrency);
if (!(minutes > 0) || !(intervalMs > 0) || !(concurrency >= 1)) {
  console.error('usage: npm run soak -- --minutes <n > 0> [--interval <seconds>] [--concurrency <sessions>]');
  process.exit(2);
}

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(2)} MiB`;
const nonZero = (state: SoakState): string =>
  Object.entries(state.tables)
    .filter(([, count]) => count !== 0)
    .map(([name, count]) => `${name}=${count}`)
    .join(' ') || 'all empty';
const idle = (state: SoakState): boolean => state.tables.sessions === 0 && state.tables.connections === 0 && state.tables.callsInFlight === 0;

const server = await startSoakServer();
const tally = newTally();
const started = Date.now();
const end = started + minutes * 60_000;
try {
  let next = await soak(server.url, { sessions: 1000, concurrency, deadline: end }, tally);
  const baseline = await settle(server, idle);
  console.log(`warm-up: ${tally.sessions} sessions; heap ${mib(baseline.heapUsed)}, rss ${mib(baseline.rss)}, timers ${baseline.timers}`);
  while (Date.now() < end) {
    next = await soak(server.url, { sessions: Number.MAX_SAFE_INTEGER, concurrency, deadline: Math.min(end, Date.now() + intervalMs) }, tally, next);
    const state = await server.state();
    const elapsed = ((Date.now() - started) / 60_000).toFixed(1);
    console.log(
      `${elapsed} min: ${tally.sessions} sessions (${tally.abrupt} dropped), ${tally.calls} calls, ${tally.events} events, ` +
        `${tally.failures} failures; heap ${mib(state.heapUsed)}, rss ${mib(state.rss)}, timers ${state.timers}; tables now: ${nonZero(state)}`,
    );
  }
  const final = await settle(server, idle);
  const growth = (final.heapUsed - baseline.heapUsed) / baseline.heapUsed;
  console.log(`end: heap ${mib(baseline.heapUsed)} → ${mib(final.heapUsed)} (${(growth * 100).toFixed(1)} %); tables: ${nonZero(final)}; timers ${final.timers}`);
  if (tally.failures > 0) console.log(`first failures:\n  ${tally.firstFailures.join('\n  ')}`);
  const ok = tally.failures === 0 && nonZero(final) === 'all empty' && growth <= 0.1;
  process.exitCode = ok ? 0 : 1;
} finally {
  await server.close();
}
