/**
 * The official `redis` client (node-redis v5) as a {@link RedisLink}. Its
 * pub/sub needs a `duplicate()`d client, connected, and a listener per
 * channel; the same listener is passed again on each subscribe so that a
 * repeated subscribe never adds a second one (no duplicated delivery).
 * @module
 */
import { ServerwampError } from '../errors.js';
import type { LinkEvents, RedisLink, RedisSubscriber } from './link.js';
import { watchConnection } from './watch.js';

type Listener = (message: string, channel: string) => void;
type Handler = (...args: never[]) => void;

/**
 * What a node-redis pub/sub connection offers, a single client's or a cluster's (which routes
 * each shard channel to its shard): the members {@link NodeRedisClient} and
 * `NodeRedisCluster` share. Like them, structural and checked at run time; node-redis's own
 * method types do not fit it.
 */
export interface NodeRedisPubSub {
  /** node-redis's `connect`. */
  connect(): Promise<unknown>;
  /** node-redis's `subscribe`. */
  subscribe(channel: string, listener: Listener): Promise<void>;
  /** node-redis's `unsubscribe`. */
  unsubscribe(channel: string, listener: Listener): Promise<void>;
  /** node-redis's `sSubscribe` (sharded pub/sub). */
  sSubscribe(channel: string, listener: Listener): Promise<void>;
  /** node-redis's `sUnsubscribe` (sharded pub/sub). */
  sUnsubscribe(channel: string, listener: Listener): Promise<void>;
  /** node-redis's `on`: connection events. */
  on(event: string, listener: Handler): unknown;
  /** node-redis's `off`. */
  off(event: string, listener: Handler): unknown;
  /** node-redis's `destroy`: used for the subscriber serverwamp duplicated. */
  destroy(): void;
}

/**
 * The part of a node-redis v5 client used here (structural: no import of `redis`).
 * {@link nodeRedisLink} takes the client as an `object` and checks for `sendCommand`, `sSubscribe`
 * and `duplicate` at run time; node-redis's own method types do not fit this interface, so a
 * client is not annotated with it.
 */
export interface NodeRedisClient extends NodeRedisPubSub {
  /** Whether the connection is open and ready for commands. */
  readonly isReady: boolean;
  /** node-redis's `sendCommand`: sends one command. */
  sendCommand(args: string[]): Promise<unknown>;
  /** node-redis's `duplicate`: a new client with the same options (the subscriber). */
  duplicate(): NodeRedisClient;
}

export function isNodeRedis(client: object): client is NodeRedisClient {
  const c = client as Partial<NodeRedisClient>;
  return typeof c.sendCommand === 'function' && typeof c.sSubscribe === 'function' && typeof c.duplicate === 'function';
}

/**
 * Adapts a connected node-redis v5 client. Typed loosely (`object`), as the clients' own method types do not
 * fit a structural interface; anything else throws `ServerwampError`
 * `ERR_INVALID_OPTION`.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { nodeRedisLink } from 'serverwamp/redis';
 *
 * const client = createClient({ url: 'redis://127.0.0.1:6379' });
 * await client.connect();
 * const link = nodeRedisLink(client); // what redisBackplane({ client }) does for you
 * ```
 */
export function nodeRedisLink(client: object): RedisLink {
  if (!isNodeRedis(client)) throw new ServerwampError('ERR_INVALID_OPTION', 'nodeRedisLink: the client must be a connected node-redis v5 client (`createClient()`)');
  return {
    get ready() {
      return client.isReady;
    },
    command: (args) => client.sendCommand([...args]),
    watch: (events) => watchConnection(client, events),
    subscriber: (listener, events) => nodeRedisSubscriber(client.duplicate(), (sub) => sub.isReady, listener, events),
  };
}

/**
 * Connects `sub` (a duplicate, not yet connected) as the backplane's pub/sub
 * connection; `isReady` reads whether it is up.
 */
export async function nodeRedisSubscriber<C extends NodeRedisPubSub>(
  sub: C,
  isReady: (sub: C) => boolean,
  listener: (channel: string, message: string) => void,
  events: LinkEvents,
  watch: (sub: C, events: LinkEvents) => () => void = watchConnection,
): Promise<RedisSubscriber> {
  const unwatch = watch(sub, events);
  const listeners = new Map<string, Listener>();
  const listenerOf = (channel: string): Listener => {
    let found = listeners.get(channel);
    if (found === undefined) listeners.set(channel, (found = (message) => listener(channel, message)));
    return found;
  };
  try {
    await sub.connect();
  } catch (error) {
    // The client keeps trying to connect on its own; 'ready' tells when it is up.
    events.onError(error);
  }
  return {
    get ready() {
      return isReady(sub);
    },
    subscribe: (channel, sharded) => (sharded ? sub.sSubscribe(channel, listenerOf(channel)) : sub.subscribe(channel, listenerOf(channel))),
    async unsubscribe(channel, sharded) {
      const found = listeners.get(channel);
      if (found === undefined) return;
      listeners.delete(channel);
      await (sharded ? sub.sUnsubscribe(channel, found) : sub.unsubscribe(channel, found));
    },
    async close() {
      unwatch();
      // A listener stays for the errors of the closing itself.
      sub.on('error', () => undefined);
      sub.destroy();
    },
  };
}
