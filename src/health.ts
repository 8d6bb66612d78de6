/**
 * {@link Health}: the answer of `app.health()`, for readiness and liveness
 * probes, and how it is decided.
 * @module
 */

/**
 * - `ok`: serving;
 * - `degraded`: serving, but the backplane cannot reach the other nodes
 *   (publications from here reach this node's subscribers only);
 * - `draining`: `app.close()` has started: no new connections or sessions;
 * - `closed`: shut down.
 *
 * @example
 * ```ts
 * import type { HealthStatus } from 'serverwamp';
 *
 * const status: HealthStatus = app.health().status;
 * if (status === 'degraded') console.warn('backplane down: publications reach this node only');
 * ```
 */
export type HealthStatus = 'ok' | 'degraded' | 'draining' | 'closed';

/**
 * The health of an application, as `app.health()` reports it.
 *
 * @example
 * ```ts
 * import type { Health } from 'serverwamp';
 *
 * router.get('/readyz', (_request, response) => {
 *   const health: Health = app.health(); // { status: 'ok', ready: true, sessions: 12, connections: 14 }
 *   response.status(health.ready ? 200 : 503).json(health);
 * });
 * ```
 */
export interface Health {
  /** `ok`, `degraded` (the backplane cannot reach the other nodes), `draining` or `closed`. */
  readonly status: HealthStatus;
  /**
   * Whether a load balancer should send new clients here: true while `ok`
   * or `degraded` (local sessions still work; taking every node out while
   * Redis is down would take the whole service down), false while draining
   * or closed.
   */
  readonly ready: boolean;
  /** Sessions established on this node. */
  readonly sessions: number;
  /** Transport connections open on this node (with or without a session). */
  readonly connections: number;
  /** The backplane's own report, when there is a backplane that reports one. */
  readonly backplane?: 'ok' | 'degraded';
}

/** What the health is decided from. */
export interface HealthInputs {
  readonly closed: boolean;
  readonly draining: boolean;
  readonly sessions: number;
  readonly connections: number;
  readonly backplane: 'ok' | 'degraded' | undefined;
}

export function healthOf(inputs: HealthInputs): Health {
  const status: HealthStatus = inputs.closed ? 'closed' : inputs.draining ? 'draining' : inputs.backplane === 'degraded' ? 'degraded' : 'ok';
  return {
    status,
    ready: status === 'ok' || status === 'degraded',
    sessions: inputs.sessions,
    connections: inputs.connections,
    ...(inputs.backplane === undefined ? {} : { backplane: inputs.backplane }),
  };
}
