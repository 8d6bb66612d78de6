/**
 * Listening to a Redis connection's `'error'` and `'ready'` events, the same
 * way for node-redis and ioredis (both are event emitters here).
 * @module
 */
import type { LinkEvents } from './link.js';

type Handler = (...args: never[]) => void;

/** What both clients offer for their connection events. */
export interface ConnectionEmitter {
  on(event: string, listener: Handler): unknown;
  off(event: string, listener: Handler): unknown;
}

/** Forwards `client`'s errors and reconnections to `events`; returns what stops it. */
export function watchConnection(client: ConnectionEmitter, events: LinkEvents): () => void {
  const onError = (error: unknown): void => events.onError(error);
  const onReady = (): void => events.onReady();
  client.on('error', onError as Handler);
  client.on('ready', onReady);
  return () => {
    client.off('error', onError as Handler);
    client.off('ready', onReady);
  };
}
