/**
 * A benchmark server process: starts one target (named on the command line)
 * and answers the harness: CPU time used, memory after GC, subscriber count,
 * and publish (for fan-out). Run with `--expose-gc` for memory figures.
 * @module
 */
import { nowNs, serve } from './ipc.js';
import type { Target, TargetName } from './targets/target.js';

const loaders: Record<TargetName, () => Promise<{ start(): Promise<Target> }>> = {
  serverwamp: () => import('./targets/serverwamp.js'),
  floor: () => import('./targets/floor.js'),
  socketio: () => import('./targets/socketio.js'),
  router: () => import('./targets/router.js'),
  'serverwamp-metrics': () => import('./targets/serverwamp-metrics.js'),
};

const name = process.argv[2] as TargetName;
const gc = (globalThis as { gc?: () => void }).gc;

function collect(): void {
  if (gc === undefined) return;
  for (let i = 0; i < 4; i++) gc();
}

const target = await (await loaders[name]()).start();

serve({
  info: () => ({ urls: target.urls, publishes: target.publish !== undefined }),
  cpu: async () => {
    const usage = process.cpuUsage();
    return usage.user + usage.system + (target.helperCpu === undefined ? 0 : await target.helperCpu());
  },
  memory: async () => {
    // Let pending I/O and timers settle before collecting.
    await new Promise((resolve) => setTimeout(resolve, 200));
    collect();
    const { heapUsed, rss, external, arrayBuffers } = process.memoryUsage();
    return { heapUsed, rss, external, arrayBuffers };
  },
  subscribers: () => target.subscribers(),
  publish: () => {
    const start = nowNs();
    target.publish!();
    return { start, syncNs: nowNs() - start };
  },
});
