/**
 * The Redis client both systems' nodes use in the cluster part: the
 * official `redis` (node-redis) or `ioredis`, the same for both.
 * @module
 */
import { Redis } from 'ioredis';
import { createClient } from 'redis';

export type RedisClientKind = 'redis' | 'ioredis';

/** A connected client of `kind`, and what closes it. */
export async function connectRedis(kind: RedisClientKind, url: string): Promise<{ client: any; close(): Promise<void> }> {
  // A listener of our own: an 'error' event without one would end a node (node-redis) or print noise (ioredis).
  const ignore = (): void => undefined;
  if (kind === 'ioredis') {
    const client = new Redis(url, { lazyConnect: true });
    client.on('error', ignore);
    await client.connect();
    return { client, close: async () => void (await client.quit()) };
  }
  const client = createClient({ url }).on('error', ignore);
  await client.connect();
  return { client, close: async () => void (await client.quit()) };
}
