/**
 * `ioredis` as a {@link RedisLink}, a `Redis` or a `Cluster` (which routes
 * each command by its key). Its pub/sub runs on a `duplicate()`d
 * connection (it connects itself) and reports messages as events, one per
 * message whatever the number of SUBSCRIBEs, so subscribing again after a
 * reconnection never duplicates delivery.
 * @module
 */
import { ServerwampError } from '../errors.js';
import type { RedisLink, RedisSubscriber } from './link.js';
import { watchConnection } from './watch.js';

type Handler = (...args: never[]) => void;

/**
 * The part of an ioredis client used here (structural: no import of `ioredis`). {@link ioredisLink}
 * takes the client as an `object` and checks for these members at run time (`status`, `call`,
 * `duplicate`, `ssubscribe`); ioredis's own method types do not fit this interface, so a `Redis`
 * is not annotated with it.
 */
export interface IoredisClient {
  /** ioredis's connection status (`ready` once connected). */
  readonly status: string;
  /** True on an ioredis `Cluster`. */
  readonly isCluster?: boolean;
  /** ioredis's `call`: sends one command. */
  call(command: string, ...args: string[]): Promise<unknown>;
  /** A `Cluster`'s takes the startup nodes first, then options. */
  duplicate(...overrides: unknown[]): IoredisClient;
  /** ioredis's `subscribe`. */
  subscribe(channel: string): Promise<unknown>;
  /** ioredis's `unsubscribe`. */
  unsubscribe(channel: string): Promise<unknown>;
  /** ioredis's `ssubscribe` (sharded pub/sub). */
  ssubscribe(channel: string): Promise<unknown>;
  /** ioredis's `sunsubscribe` (sharded pub/sub). */
  sunsubscribe(channel: string): Promise<unknown>;
  /** ioredis's `on`: connection events and messages. */
  on(event: string, listener: Handler): unknown;
  /** ioredis's `off`. */
  off(event: string, listener: Handler): unknown;
  /** ioredis's `disconnect`: used for the subscriber serverwamp duplicated. */
  disconnect(): void;
}

export function isIoredis(client: object): client is IoredisClient {
  const c = client as Partial<IoredisClient>;
  return typeof c.call === 'function' && typeof c.duplicate === 'function' && typeof c.status === 'string' && typeof c.ssubscribe === 'function';
}

/**
 * Adapts an ioredis client. Typed loosely (`object`), as the clients' own method types do not
 * fit a structural interface; anything else throws `ServerwampError`
 * `ERR_INVALID_OPTION`.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { ioredisLink } from 'serverwamp/redis';
 *
 * const link = ioredisLink(new Redis('redis://127.0.0.1:6379')); // what redisBackplane({ client }) does for you
 * ```
 */
export function ioredisLink(client: object): RedisLink {
  if (!isIoredis(client)) throw new ServerwampError('ERR_INVALID_OPTION', 'ioredisLink: the client must be an ioredis client or cluster (`new Redis()`, `new Cluster()`)');
  return {
    get ready() {
      return client.status === 'ready';
    },
    command: ([name, ...args]) => client.call(name!, ...args),
    watch: (events) => watchConnection(client, events),
    async subscriber(listener, events): Promise<RedisSubscriber> {
      // A Cluster sends every SSUBSCRIBE to one connection unless it keeps one per shard: the channel's shard would answer MOVED.
      const sub = client.isCluster === true ? client.duplicate([], { shardedSubscribers: true }) : client.duplicate();
      const unwatch = watchConnection(sub, events);
      const onMessage = (channel: string, message: string): void => listener(channel, message);
      sub.on('message', onMessage as Handler);
      sub.on('smessage', onMessage as Handler);
      return {
        get ready() {
          return sub.status === 'ready';
        },
        subscribe: async (channel, sharded) => void (await (sharded ? sub.ssubscribe(channel) : sub.subscribe(channel))),
        unsubscribe: async (channel, sharded) => void (await (sharded ? sub.sunsubscribe(channel) : sub.unsubscribe(channel))),
        async close() {
          unwatch();
          sub.off('message', onMessage as Handler);
          sub.off('smessage', onMessage as Handler);
          sub.on('error', () => undefined);
          sub.disconnect();
        },
      };
    },
  };
}
