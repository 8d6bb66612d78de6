/**
 * The few things the Redis backplane and retained store ask of a Redis
 * client, whatever the library: {@link RedisLink}. Types only; `detect.ts`
 * recognises and adapts the official `redis` (node-redis) and `ioredis`
 * clients, and any other client can be given as a `RedisLink`.
 * @module
 */

/** What a connection reports besides replies. */
export interface LinkEvents {
  /** An error the client emitted: without a listener, an `'error'` event would crash the process. */
  onError(error: unknown): void;
  /** The connection is (again) up: called after each reconnection. */
  onReady(): void;
}

/** A pub/sub connection of its own (a subscribing Redis connection runs no other command). */
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
