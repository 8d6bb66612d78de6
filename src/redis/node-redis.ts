/**
 * The official `redis` client (node-redis v5) as a {@link RedisLink}. Its
 * pub/sub needs a `duplicate()`d client, connected, and a listener per
 * channel; the same listener is passed again on each subscribe so that a
 * repeated subscribe never adds a second one (no duplicated delivery).
 * @module
 */
import type { RedisLink, RedisSubscriber } from './link.js';
import { watchConnection } from './watch.js';

type Listener = (message: string, channel: string) => void;
type Handler = (...args: never[]) => void;

/** The part of a node-redis v5 client used here (structural: no import of `redis`). */
export interface NodeRedisClient {
  readonly isReady: boolean;
  sendCommand(args: string[]): Promise<unknown>;
  duplicate(): NodeRedisClient;
  connect(): Promise<unknown>;
  subscribe(channel: string, listener: Listener): Promise<void>;
  unsubscribe(channel: string, listener: Listener): Promise<void>;
  sSubscribe(channel: string, listener: Listener): Promise<void>;
  sUnsubscribe(channel: string, listener: Listener): Promise<void>;
  on(event: string, listener: Handler): unknown;
  off(event: string, listener: Handler): unknown;
  destroy(): void;
}

export function isNodeRedis(client: object): client is NodeRedisClient {
  const c = client as Partial<NodeRedisClient>;
  return typeof c.sendCommand === 'function' && typeof c.sSubscribe === 'function' && typeof c.duplicate === 'function';
}

/** Adapts a connected node-redis v5 client. */
export function nodeRedisLink(client: NodeRedisClient): RedisLink {
  return {
    get ready() {
      return client.isReady;
    },
    command: (args) => client.sendCommand([...args]),
    watch: (events) => watchConnection(client, events),
    async subscriber(listener, events): Promise<RedisSubscriber> {
      const sub = client.duplicate();
      const unwatch = watchConnection(sub, events);
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
          return sub.isReady;
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
    },
  };
}
