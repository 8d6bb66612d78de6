/**
 * The few things the Redis backplane and retained store ask of a Redis
 * client, whatever the library: {@link RedisLink}. Types only; `detect.ts`
 * recognises and adapts the official `redis` (node-redis) and `ioredis`
 * clients, and any other client can be given as a `RedisLink`.
 * @module
 */

/**
 * What a connection reports besides replies: the backplane passes one to a {@link RedisLink}'s
 * `watch` and `subscriber`, and a link for another client library forwards its events to it.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import type { LinkEvents, RedisLink } from 'serverwamp/redis';
 *
 * const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
 * // A RedisLink's `watch`, as ioredisLink does it: errors and (re)connections go to the backplane.
 * const watch: RedisLink['watch'] = (events: LinkEvents) => {
 *   const onError = (error: Error) => events.onError(error);
 *   const onReady = () => events.onReady();
 *   client.on('error', onError).on('ready', onReady);
 *   return () => void client.off('error', onError).off('ready', onReady);
 * };
 * ```
 */
export interface LinkEvents {
  /** An error the client emitted: without a listener, an `'error'` event would crash the process. */
  onError(error: unknown): void;
  /** The connection is (again) up: called after each reconnection. */
  onReady(): void;
}

/**
 * A pub/sub connection of its own (a subscribing Redis connection runs no other command), as a
 * {@link RedisLink}'s `subscriber` opens it for the backplane.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import type { RedisLink, RedisSubscriber } from 'serverwamp/redis';
 *
 * // A RedisLink's `subscriber` on a connection of its own (ioredisLink does this for you):
 * const subscriber: RedisLink['subscriber'] = async (listener, events) => {
 *   const sub = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
 *   sub.on('message', listener).on('smessage', listener);
 *   sub.on('error', (error) => events.onError(error)).on('ready', () => events.onReady());
 *   const connection: RedisSubscriber = {
 *     get ready() { return sub.status === 'ready'; },
 *     subscribe: async (channel, sharded) => void (await (sharded ? sub.ssubscribe(channel) : sub.subscribe(channel))),
 *     unsubscribe: async (channel, sharded) => void (await (sharded ? sub.sunsubscribe(channel) : sub.unsubscribe(channel))),
 *     close: async () => sub.disconnect(),
 *   };
 *   return connection;
 * };
 * ```
 */
export interface RedisSubscriber {
  /** Whether the connection is up now. */
  readonly ready: boolean;
  /** `SUBSCRIBE`, or `SSUBSCRIBE` when `sharded`. Subscribing to a channel twice is harmless. */
  subscribe(channel: string, sharded: boolean): Promise<void>;
  /** `UNSUBSCRIBE`, or `SUNSUBSCRIBE` when `sharded`. */
  unsubscribe(channel: string, sharded: boolean): Promise<void>;
  /** Unsubscribes and closes the subscriber connection. */
  close(): Promise<void>;
}

/**
 * A Redis client as the backplane uses it. Text only: every value the
 * backplane stores or publishes is a string, so any client carries it as is.
 * `redisBackplane` and `redisRetainedStore` take one as their `client` (besides a node-redis or
 * ioredis client), so a client of another library, or a wrapped one, can be plugged in.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { Application } from 'serverwamp';
 * import { nodeRedisLink, redisBackplane, type RedisLink } from 'serverwamp/redis';
 *
 * // A link that counts the backplane's commands, around the node-redis one:
 * const inner = nodeRedisLink(await createClient({ url: 'redis://127.0.0.1:6379' }).connect());
 * const counted: RedisLink = {
 *   get ready() { return inner.ready; },
 *   command: (args) => {
 *     metrics.increment('redis_commands_total', { command: args[0] });
 *     return inner.command(args);
 *   },
 *   subscriber: (listener, events) => inner.subscriber(listener, events),
 *   watch: (events) => inner.watch(events),
 * };
 * const app = new Application({ backplane: redisBackplane({ client: counted }) });
 * ```
 */
export interface RedisLink {
  /** Whether a command sent now goes to a connected server (rather than waiting in an offline queue). */
  readonly ready: boolean;
  /** Runs one command (`['PUBLISH', channel, message]`); resolves to the reply, bulk strings as strings. */
  command(args: readonly string[]): Promise<unknown>;
  /** Opens a second connection for pub/sub; `listener` gets every message of its channels. */
  subscriber(listener: (channel: string, message: string) => void, events: LinkEvents): Promise<RedisSubscriber>;
  /** Listens to this connection's errors and reconnections; returns what stops listening. */
  watch(events: LinkEvents): () => void;
}
