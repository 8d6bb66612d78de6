/**
 * Recognises the Redis client an application passes: a {@link RedisLink}, a
 * node-redis client or an ioredis client.
 * @module
 */
import { ServerwampError } from '../errors.js';
import { ioredisLink, isIoredis } from './ioredis.js';
import type { RedisLink } from './link.js';
import { isNodeRedis, nodeRedisLink } from './node-redis.js';
import { isNodeRedisCluster, nodeRedisClusterLink } from './node-redis-cluster.js';

function isLink(client: object): client is RedisLink {
  const link = client as Partial<RedisLink>;
  return typeof link.command === 'function' && typeof link.subscriber === 'function' && typeof link.watch === 'function';
}

/**
 * Adapts `client`: a {@link RedisLink} as it is, a node-redis client or
 * cluster (v5: `createClient()` or `createCluster()`, connected) or an
 * ioredis client or cluster (`new Redis()`, `new Cluster()`). Throws
 * `ERR_INVALID_OPTION` for anything else.
 */
export function toRedisLink(client: unknown, what: string): RedisLink {
  if (typeof client === 'object' && client !== null) {
    if (isLink(client)) return client;
    // Before the single client: a cluster has the same methods, with another `sendCommand`.
    if (isNodeRedisCluster(client)) return nodeRedisClusterLink(client);
    if (isNodeRedis(client)) return nodeRedisLink(client);
    if (isIoredis(client)) return ioredisLink(client);
  }
  throw new ServerwampError('ERR_INVALID_OPTION', `${what} must be a node-redis client, an ioredis client or a RedisLink`);
}

/** `error` as a short message for logs: never the whole object a client library attached. */
export function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
