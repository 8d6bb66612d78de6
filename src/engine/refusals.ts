/**
 * {@link Refusals}: what the application's limits refused, counted by kind.
 * Every refusal goes through {@link Refusals.refused}, one call site per
 * kind, so that a metrics exporter hooks one place.
 * @module
 */

/**
 * The kinds of refusal, the keys of `app.refusals`: one per limit, and
 * `draining` for connections refused during shutdown.
 *
 * @example
 * ```ts
 * import type { RefusalKind } from 'serverwamp';
 *
 * // The limits that have refused something since the application started:
 * const counts = app.refusals;
 * const hit = (Object.keys(counts) as RefusalKind[]).filter((kind) => counts[kind] > 0); // e.g. ['callRate']
 * ```
 */
export type RefusalKind =
  /** A request over `limits.messageRate` (ERROR `serverwamp.error.rate_limited`, or dropped if it expects no answer). */
  | 'messageRate'
  /** A CALL over `limits.callRate` (ERROR `serverwamp.error.rate_limited`). */
  | 'callRate'
  /** A session ABORTed for `limits.abortAfterRefusals` rate-limit refusals within `limits.refusalWindow`. */
  | 'rateLimitAbort'
  /** A HELLO over `limits.maxSessions` (ABORT `serverwamp.error.too_many_sessions`). */
  | 'maxSessions'
  /** A HELLO over `limits.maxSessionsPerRealm` (ABORT `serverwamp.error.too_many_sessions`). */
  | 'maxSessionsPerRealm'
  /** A connection over `limits.maxConnectionsPerAddress` (HTTP 429, RawSocket handshake error 4, or close 1013). */
  | 'maxConnectionsPerAddress'
  /** A connection refused because the application is shutting down (HTTP 503, or RawSocket socket closed). */
  | 'draining';

/**
 * Refusals so far, by kind.
 *
 * @example
 * ```ts
 * import type { RefusalCounts } from 'serverwamp';
 *
 * const counts: RefusalCounts = app.refusals; // a copy: { messageRate: 0, callRate: 3, maxSessions: 0, … }
 * if (counts.maxSessions + counts.maxSessionsPerRealm > 0) console.warn('sessions refused: raise limits.maxSessions or add nodes');
 * ```
 */
export type RefusalCounts = Record<RefusalKind, number>;

const KINDS: readonly RefusalKind[] = [
  'messageRate',
  'callRate',
  'rateLimitAbort',
  'maxSessions',
  'maxSessionsPerRealm',
  'maxConnectionsPerAddress',
  'draining',
];

export class Refusals {
  readonly #counts: RefusalCounts = Object.fromEntries(KINDS.map((kind) => [kind, 0])) as RefusalCounts;
  /** @internal Called after each refusal is counted (for a metrics exporter). */
  onRefused: ((kind: RefusalKind) => void) | undefined;

  refused(kind: RefusalKind): void {
    this.#counts[kind]++;
    this.onRefused?.(kind);
  }

  /** A copy of the counts. */
  counts(): RefusalCounts {
    return { ...this.#counts };
  }
}
