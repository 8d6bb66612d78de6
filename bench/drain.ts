/**
 * How long `app.close()` takes with N calls in flight over WebSocket
 * (autobahn-js clients, 10 calls each): the calls are released the moment
 * the drain starts, so the figure is the drain's own cost (RESULTs, GOODBYE
 * round trips, closing). Also: the same N calls still running at a 200 ms
 * deadline. Run: `npx tsx bench/drain.ts [N]`.
 */
import WebSocket from 'ws';
import autobahn from 'autobahn';
import { Application, RPCRouteSet, silentLogger } from '../src/index.js';
import { listen } from '../src/node/index.js';

(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
// autobahn-js warns on every closed connection: thousands of lines that would bury the figures.
console.warn = () => undefined;
const ab = autobahn as unknown as { Connection: new (options: object) => { onopen: (s: never) => void; onclose: () => boolean; open(): void } };

const N = Number(process.argv[2] ?? 100);
const PER_CLIENT = 10;

async function run(release: boolean): Promise<{ ms: number; rssMiB: number }> {
  const app = new Application({ logger: silentLogger });
  const gates: Array<() => void> = [];
  let entered = 0;
  const routes = new RPCRouteSet();
  routes.route('bench.hold', (request) => {
    entered++;
    return new Promise<string>((resolve) => {
      gates.push(() => resolve('done'));
      request.signal.addEventListener('abort', () => resolve('late'));
    });
  });
  app.addRPCRoutes(routes);
  const listening = await listen(app, { port: 0, host: '127.0.0.1', pingInterval: 0 });
  const settled: Promise<unknown>[] = [];
  for (let c = 0; c < Math.ceil(N / PER_CLIENT); c++) {
    const session = await new Promise<{ call(p: string): Promise<unknown> }>((resolve) => {
      const connection = new ab.Connection({ url: listening.url, realm: 'realm1', max_retries: 0 });
      connection.onopen = (s) => resolve(s);
      connection.onclose = () => true;
      connection.open();
    });
    for (let i = 0; i < PER_CLIENT && c * PER_CLIENT + i < N; i++) settled.push(session.call('bench.hold').catch(() => undefined));
  }
  while (entered < N) await new Promise((resolve) => setTimeout(resolve, 5));
  const started = performance.now();
  const closing = app.close({ timeout: 200 });
  if (release) for (const gate of gates) gate();
  await closing;
  const ms = performance.now() - started;
  await Promise.all(settled);
  await listening.close();
  return { ms, rssMiB: process.memoryUsage().rss / 2 ** 20 };
}

for (const release of [true, false]) {
  const times: number[] = [];
  let rss = 0;
  for (let i = 0; i < 5; i++) {
    const { ms, rssMiB } = await run(release);
    times.push(ms);
    rss = rssMiB;
  }
  times.sort((a, b) => a - b);
  console.log(
    `${N} calls in flight, ${release ? 'finishing at once' : 'still running at the 200 ms deadline'}: ` +
      `drain median ${times[2]!.toFixed(1)} ms (min ${times[0]!.toFixed(1)}, max ${times[4]!.toFixed(1)}), RSS ${rss.toFixed(0)} MiB`,
  );
}
