/**
 * Starting and stopping the target server processes.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Child } from './ipc.js';
import type { TargetName } from './targets/target.js';
import type { Codec } from './wamp-client.js';

export const LABELS: Record<TargetName, string> = {
  serverwamp: 'serverwamp',
  floor: 'floor (hand-written ws)',
  socketio: 'socket.io',
  router: 'fox-wamp router + autobahn callee',
  'serverwamp-metrics': 'serverwamp, metrics on',
};

export const CLIENT_KIND: Record<TargetName, 'wamp' | 'socketio'> = {
  serverwamp: 'wamp',
  floor: 'wamp',
  socketio: 'socketio',
  router: 'wamp',
  'serverwamp-metrics': 'wamp',
};

/**
 * Compiles serverwamp with `tsc` (as `npm run build` does, into a scratch
 * directory) and points the serverwamp target at it: the benchmark measures
 * the JavaScript users run, not tsx's on-the-fly transform.
 */
export function buildServerwamp(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const outDir = `${root}.bench-results/build`;
  const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', outDir, '--declaration', 'false', '--declarationMap', 'false'], {
    cwd: root,
    stdio: 'inherit',
  });
  process.env['BENCH_SERVERWAMP'] = pathToFileURL(`${outDir}/index.js`).href;
}

/** A target server running in its own process. */
export interface RunningTarget {
  readonly name: TargetName;
  readonly child: Child;
  readonly urls: Partial<Record<Codec, string>>;
  readonly publishes: boolean;
  /** CPU microseconds used so far by the target's processes. */
  cpu(): Promise<number>;
}

/** Starts `name` in a child process; `exposeGC` for memory figures. Resolves undefined (with a note) if it cannot start. */
export async function startTarget(name: TargetName, exposeGC = false): Promise<RunningTarget | undefined> {
  const flags = exposeGC ? ['--expose-gc'] : [];
  // BENCH_PROFILE=DIR writes a CPU profile of every target process into DIR (open it in Chrome DevTools).
  const profile = process.env['BENCH_PROFILE'];
  if (profile !== undefined && profile !== '') flags.push('--cpu-prof', `--cpu-prof-dir=${profile}`);
  const child = new Child(name, './target-process.ts', [name], flags);
  try {
    const info = await child.request<{ urls: Partial<Record<Codec, string>>; publishes: boolean }>('info', {}, 30_000);
    return { name, child, urls: info.urls, publishes: info.publishes, cpu: () => child.request<number>('cpu') };
  } catch (error) {
    console.warn(`  ${LABELS[name]} could not start, skipped: ${(error as Error).message}`);
    await child.stop();
    return undefined;
  }
}
