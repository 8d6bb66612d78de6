/**
 * The runtimes part of `npm run bench` (`--only=runtimes`): RPC calls/s of
 * serverwamp served natively by Bun and Deno (serverwamp/web) and by a
 * Durable Object on workerd (serverwamp/cloudflare) next to Node
 * (serverwamp/node: bare, beside an Express 5 app, and as the Fastify
 * plugin), all from the TypeScript source, driven by the same load generator
 * in interleaved rounds; and the same as a Hono app on Node, Bun and Deno
 * (bench/hono-server.ts: serverwamp/node's `attach` on `@hono/node-server`,
 * serverwamp/hono's route on Bun and Deno). A runtime that is not installed
 * is reported and left out.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchConfig } from './config.js';
import { Child } from './ipc.js';
import type { RPCLoad, RPCRunResult } from './loadgen.js';
import { fmt, median, printTable, ratio } from './report.js';
import type { Codec } from './wamp-client.js';
import { runtimeArgs, runtimeBinary } from '../test/helpers/web-runtimes.js';
import { startWorkerd, workerdBinary } from '../test/helpers/workerd.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCRIPT = 'bench/runtime-server.ts';
const HONO_SCRIPT = 'bench/hono-server.ts';

interface RuntimeServer {
  readonly name: string;
  readonly url: string;
  readonly child: ChildProcess;
}

function start(command: string, args: string[]): Promise<RuntimeServer> {
  const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${command} did not start`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!out.includes('\n')) return;
      clearTimeout(timer);
      const { runtime, url } = JSON.parse(out.split('\n')[0]!) as { runtime: string; url: string };
      resolve({ name: runtime, url, child });
    });
    child.once('exit', (code) => reject(new Error(`${command} exited (${code})`)));
  });
}

/** workerd with bench/workerd-server.ts: one Durable Object serves every connection; killed with the others. */
async function startWorkerdServer(): Promise<RuntimeServer> {
  const entry = fileURLToPath(new URL('./workerd-server.ts', import.meta.url));
  const { origin, child, startupMs } = await startWorkerd({ after() {} }, { entry, durableObjects: { ROOMS: 'BenchRoom' } });
  console.log(`  workerd: listening ${startupMs} ms after spawn (bundled once before)`);
  return { name: 'workerd (Durable Object)', url: `${origin.replace(/^http/, 'ws')}/ws`, child };
}

export interface RuntimeSummary {
  readonly runtime: string;
  readonly codec: Codec;
  readonly callsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export async function benchRuntimes(config: BenchConfig): Promise<RuntimeSummary[]> {
  console.log(`\nRuntimes: serverwamp on Node (bare, beside Express 5, as the Fastify plugin), Bun, Deno and workerd, and as a Hono app on Node, Bun and Deno; ${config.connections} connections × ${config.inflight} calls in flight, ${config.durationMs} ms per run, ${config.rounds} round(s)`);
  const servers: RuntimeServer[] = [];
  for (const script of [SCRIPT, HONO_SCRIPT]) {
    servers.push(await start(process.execPath, ['--import', 'tsx', script]));
    if (script === SCRIPT) {
      servers.push(await start(process.execPath, ['--import', 'tsx', SCRIPT, 'express']));
      servers.push(await start(process.execPath, ['--import', 'tsx', SCRIPT, 'fastify']));
    }
    for (const runtime of ['bun', 'deno'] as const) {
      const binary = runtimeBinary(runtime);
      if (binary === undefined) console.log(`  ${runtime}: not installed (npm install), left out`);
      else servers.push(await start(binary, runtimeArgs(runtime, script)));
    }
  }
  if (workerdBinary() === undefined) console.log('  workerd: not installed (npm install), left out');
  else servers.push(await startWorkerdServer());
  const loadgen = new Child('load generator', './client-process.ts');
  const runs = new Map<string, RPCRunResult[]>();
  try {
    for (let round = 0; round < config.rounds; round++) {
      for (const codec of config.codecs) {
        const order = [...servers.slice(round % servers.length), ...servers.slice(0, round % servers.length)];
        for (const server of order) {
          const load: RPCLoad = { kind: 'wamp', url: server.url, codec, connections: config.connections, inflight: config.inflight, warmupMs: config.warmupMs, durationMs: config.durationMs };
          const result = await loadgen.request<RPCRunResult>('rpc', { load }, config.durationMs + config.warmupMs + 60_000);
          const key = `${server.name}\u0000${codec}`;
          runs.set(key, [...(runs.get(key) ?? []), result]);
          process.stdout.write('.');
        }
      }
    }
  } finally {
    process.stdout.write('\n');
    await loadgen.stop();
    for (const server of servers) server.child.kill('SIGKILL');
  }
  return [...runs].map(([key, results]) => {
    const [runtime, codec] = key.split('\u0000') as [string, Codec];
    return {
      runtime,
      codec,
      callsPerSecond: median(results.map((r) => r.callsPerSecond)),
      p50Ms: median(results.map((r) => r.p50Ms)),
      p99Ms: median(results.map((r) => r.p99Ms)),
    };
  });
}

export function printRuntimes(results: readonly RuntimeSummary[]): void {
  const node = (codec: Codec): number | undefined => results.find((r) => r.codec === codec && r.runtime.startsWith('Node') && !r.runtime.includes('Fastify'))?.callsPerSecond;
  printTable(
    'RPC by runtime (serverwamp/node on Node, also beside Express and through serverwamp/fastify; serverwamp/web on Bun and Deno; serverwamp/cloudflare on workerd; Hono: attach on @hono/node-server, serverwamp/hono on Bun and Deno)',
    ['runtime', 'codec', 'calls/s', '÷ Node', 'p50 ms', 'p99 ms'],
    results.map((r) => [r.runtime, r.codec, fmt(r.callsPerSecond), ratio(r.callsPerSecond, node(r.codec)), fmt(r.p50Ms, 2), fmt(r.p99Ms, 2)]),
  );
}

// `tsx bench/runtimes.ts` runs this part alone, quickly.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { parseConfig } = await import('./config.js');
  printRuntimes(await benchRuntimes(parseConfig(process.argv.slice(2))));
}
