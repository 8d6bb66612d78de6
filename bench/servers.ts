/**
 * Starting and stopping the target server processes.
 * @module
 */
import { Child } from './ipc.js';
import type { TargetName } from './targets/target.js';
import type { Codec } from './wamp-client.js';

export const LABELS: Record<TargetName, string> = {
  serverwamp: 'serverwamp',
  floor: 'floor (hand-written ws)',
  socketio: 'socket.io',
  router: 'fox-wamp router + autobahn callee',
};

export const CLIENT_KIND: Record<TargetName, 'wamp' | 'socketio'> = {
  serverwamp: 'wamp',
  floor: 'wamp',
  socketio: 'socketio',
  router: 'wamp',
};

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
  const child = new Child(name, './target-process.ts', [name], exposeGC ? ['--expose-gc'] : []);
  try {
    const info = await child.request<{ urls: Partial<Record<Codec, string>>; publishes: boolean }>('info', {}, 30_000);
    return { name, child, urls: info.urls, publishes: info.publishes, cpu: () => child.request<number>('cpu') };
  } catch (error) {
    console.warn(`  ${LABELS[name]} could not start, skipped: ${(error as Error).message}`);
    await child.stop();
    return undefined;
  }
}
