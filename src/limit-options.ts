/**
 * The `limits` option of an {@link Application}: rate limits, session caps
 * and the per-address connection cap, checked into the settings the engine
 * and the adapters run with. Every limit is off unless set.
 * @module
 */
import type { RateLimitSettings } from './engine/rate-limit.js';
import type { RateSpec } from './engine/token-bucket.js';
import { ServerwampError } from './errors.js';
import { func, nested, nonNegativeInteger, timerDelay, type OptionSpec } from './options.js';

/**
 * A token-bucket rate: `rate` per second on average, up to `burst` at once.
 *
 * @example
 * ```ts
 * const limits = { callRate: { rate: 0.5, burst: 3 } }; // one call every two seconds, three at once after a pause
 * ```
 */
export interface RateOption {
  /** Per second; fractions allowed (0.5: one every two seconds). Required. */
  rate: number;
  /** How many may come at once after a quiet spell (default: `rate`, at least 1). */
  burst?: number;
}

/**
 * Limits on what clients may use. All are off by default; docs/limits.md
 * suggests production values. Each refusal is counted in
 * `app.refusals`.
 *
 * @example
 * ```ts
 * import { Application } from 'serverwamp';
 *
 * const app = new Application({
 *   limits: {
 *     maxSessions: 50_000,
 *     maxConnectionsPerAddress: 20,
 *     messageRate: { rate: 200, burst: 400 },   // per session, per second
 *     callRate: { rate: 50 },
 *     abortAfterRefusals: 100,                  // within refusalWindow
 *   },
 * });
 * ```
 */
export interface LimitOptions {
  /** Sessions open at once, over all realms; a HELLO over it gets ABORT `serverwamp.error.too_many_sessions`. */
  maxSessions?: number;
  /** Sessions open at once in each realm; a HELLO over it gets ABORT `serverwamp.error.too_many_sessions`. */
  maxSessionsPerRealm?: number;
  /**
   * Connections open at once from one peer address (IPv4-mapped IPv6
   * addresses count as their IPv4 address). Over it, WebSocket upgrades get
   * HTTP 429 and RawSocket handshakes error 4; connections from an unknown
   * address (`''`) are not limited. Behind a proxy every client has the
   * proxy's address: set it there, or high enough.
   */
  maxConnectionsPerAddress?: number;
  /**
   * Requests per session connection (CALL, PUBLISH, SUBSCRIBE, UNSUBSCRIBE,
   * REGISTER, UNREGISTER); one over it gets ERROR `serverwamp.error.rate_limited`
   * (an unacknowledged PUBLISH is dropped). Answers, CANCEL and GOODBYE are not metered.
   */
  messageRate?: RateOption;
  /** CALLs per session connection; one over it gets ERROR `serverwamp.error.rate_limited`. */
  callRate?: RateOption;
  /**
   * Rate-limit refusals within `refusalWindow` that mark a persistent
   * offender: its session gets ABORT `serverwamp.error.rate_limited` and its
   * transport is closed (default 100; 0: never).
   */
  abortAfterRefusals?: number;
  /** Milliseconds over which `abortAfterRefusals` are counted (default 10 000). */
  refusalWindow?: number;
  /** The clock of the rate limits, in milliseconds (default `Date.now`); for tests. */
  clock?: () => number;
}

/** What the limits run with: `Infinity` where a cap is off. */
export interface LimitSettings {
  readonly maxSessions: number;
  readonly maxSessionsPerRealm: number;
  readonly maxConnectionsPerAddress: number;
  readonly rateLimits: RateLimitSettings | undefined;
}

const positiveInteger: OptionSpec = { expected: 'a positive integer', accepts: (value) => Number.isSafeInteger(value) && (value as number) > 0 };
const positiveFinite: OptionSpec = { expected: 'a positive number', accepts: (value) => typeof value === 'number' && Number.isFinite(value) && value > 0 };
const atLeastOne: OptionSpec = { expected: 'a number of at least 1', accepts: (value) => typeof value === 'number' && Number.isFinite(value) && value >= 1 };
const rate = nested({ rate: positiveFinite, burst: atLeastOne });

/** What each {@link LimitOptions} key accepts (checked with the application's options). */
export const limitOptionShape: Record<keyof LimitOptions, OptionSpec> = {
  maxSessions: positiveInteger,
  maxSessionsPerRealm: positiveInteger,
  maxConnectionsPerAddress: positiveInteger,
  messageRate: rate,
  callRate: rate,
  abortAfterRefusals: nonNegativeInteger,
  refusalWindow: { ...timerDelay, accepts: (value) => timerDelay.accepts(value) && (value as number) > 0, expected: 'a number of milliseconds from 1 to 2147483647' },
  clock: func,
};

const DEFAULT_ABORT_AFTER = 100;
const DEFAULT_WINDOW = 10_000;

function rateSpec(option: RateOption | undefined, key: string): RateSpec | undefined {
  if (option === undefined) return undefined;
  // The shape check cannot require a key: a rate without one would silently mean "no limit".
  if (option.rate === undefined) throw new ServerwampError('ERR_INVALID_OPTION', `limits.${key}.rate is required (requests per second)`);
  return { rate: option.rate, burst: option.burst ?? Math.max(1, option.rate) };
}

/** Fills in the defaults of `options` (already checked against {@link limitOptionShape}). */
export function limitSettings(options: LimitOptions = {}): LimitSettings {
  const messages = rateSpec(options.messageRate, 'messageRate');
  const calls = rateSpec(options.callRate, 'callRate');
  return {
    maxSessions: options.maxSessions ?? Infinity,
    maxSessionsPerRealm: options.maxSessionsPerRealm ?? Infinity,
    maxConnectionsPerAddress: options.maxConnectionsPerAddress ?? Infinity,
    rateLimits:
      messages === undefined && calls === undefined
        ? undefined
        : {
            messages,
            calls,
            abortAfterRefusals: options.abortAfterRefusals ?? DEFAULT_ABORT_AFTER,
            refusalWindow: options.refusalWindow ?? DEFAULT_WINDOW,
            clock: options.clock ?? Date.now,
          },
  };
}
