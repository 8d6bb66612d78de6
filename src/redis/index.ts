/**
 * `serverwamp/redis`: several instances of one application joined through
 * Redis (7+, or Valkey). Publications reach the subscribers of every node
 * ({@link redisBackplane}) and retained events are shared
 * ({@link redisRetainedStore}). The Redis client is the application's: the
 * official `redis` (node-redis v5) or `ioredis`, a single client or a Redis
 * Cluster client (with `sharded: true`), neither a dependency of
 * serverwamp. Guarantees and failure modes: docs/scaling.md.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { Application } from 'serverwamp';
 * import { redisBackplane, redisRetainedStore } from 'serverwamp/redis';
 *
 * const client = await createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' }).connect();
 * const app = new Application({ backplane: redisBackplane({ client }), retainedStore: redisRetainedStore({ client }) });
 * ```
 * @module
 */
export { redisBackplane, type RedisBackplane, type RedisBackplaneOptions } from './backplane.js';
export { redisRetainedStore, type RedisRetainedStore, type RedisRetainedStoreOptions } from './retained-store.js';
export type { BackplaneHealth, BackplaneStats } from './stats.js';
export type { LinkEvents, RedisLink, RedisSubscriber } from './link.js';
export { nodeRedisLink } from './node-redis.js';
export { nodeRedisClusterLink } from './node-redis-cluster.js';
export { ioredisLink } from './ioredis.js';
