/**
 * What the Redis backplane counts, for the application to read and export:
 * {@link BackplaneStats}.
 * @module
 */

/**
 * Counters since the backplane started (each only grows): `backplane.stats`, to read and export
 * (docs/scaling.md).
 *
 * @example
 * ```ts
 * import type { BackplaneStats } from 'serverwamp/redis';
 *
 * let last: BackplaneStats = backplane.stats;
 * setInterval(() => {
 *   const now = backplane.stats;
 *   if (now.dropped > last.dropped) console.warn(`${now.dropped - last.dropped} publications for other nodes lost`);
 *   last = now;
 * }, 60_000);
 * ```
 */
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

/**
 * `'ok'` while Redis answers and this node's inbox receives; `'degraded'` otherwise (remote delivery is lost):
 * `backplane.health`.
 *
 * @example
 * ```ts
 * import type { BackplaneHealth } from 'serverwamp/redis';
 *
 * router.get('/ready', (_request, response) => {
 *   const health: BackplaneHealth = backplane.health;
 *   response.status(health === 'ok' ? 200 : 503).json({ backplane: health, nodes: backplane.nodes.length });
 * });
 * ```
 */
export type BackplaneHealth = 'ok' | 'degraded';

export function newStats(): BackplaneStats {
  return { published: 0, delivered: 0, dropped: 0, decodeErrors: 0, reconnects: 0 };
}
