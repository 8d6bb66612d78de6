/**
 * A real redis-server for a test: on a free loopback port, no persistence,
 * killed afterwards. Missing binary: the test is skipped loudly, or fails
 * under CI=true (CI installs it).
 */
import type { TestContext } from 'node:test';
import { REDIS_BINARY, redisInstalled, spawnRedis, type RedisProcess } from './redis-process.js';
import { requireComponent } from './system.js';

export type RedisServer = RedisProcess;

/** Whether the binary is here; if not, skips `t` loudly, or throws in CI (see `requireComponent`). */
export function redisAvailable(t: Pick<TestContext, 'name' | 'skip'>): boolean {
  return requireComponent(t, redisInstalled(), REDIS_BINARY, 'apt-get install redis-server; .ci/run installs it');
}

/** Starts redis-server on a free loopback port; killed after `t`. */
export async function startRedis(t: Pick<TestContext, 'after'>): Promise<RedisServer> {
  const server = await spawnRedis();
  t.after(server.stop);
  return server;
}
