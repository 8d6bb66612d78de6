/**
 * What the Redis backplane counts, for the application to read and export:
 * {@link BackplaneStats}.
 * @module
 */

/** Counters since the backplane started (each only grows). */
export interface BackplaneStats {
  /** Publications sent to another node's inbox (one per receiving node). */
  published: number;
  /** Publications from other nodes handed to this node's subscribers. */
  delivered: number;
  /**
   * Publications for another node that were not sent (Redis unreachable, a
   * failed command) or that no one received (the node had gone): lost.
   */
  dropped: number;
  /** Messages on this node's channels that were not well-formed, ignored. */
  decodeErrors: number;
  /** Times the subscriptions were applied again: after a reconnection, or a missed self-check. */
  reconnects: number;
}

/** `'ok'` while Redis answers and this node's inbox receives; `'degraded'` otherwise (remote delivery is lost). */
export type BackplaneHealth = 'ok' | 'degraded';

export function newStats(): BackplaneStats {
  return { published: 0, delivered: 0, dropped: 0, decodeErrors: 0, reconnects: 0 };
}
