/**
 * The options of an {@link Application}, and their validation into the
 * settings the session engine runs with.
 * @module
 */
import type { Backplane } from './events/backplane.js';
import { backplaneSpec, retainedStoreSpec, sessionDirectorySpec } from './scale-out-options.js';
import type { EngineOptions } from './engine/options.js';
import type { RetainedStore } from './events/retained-store.js';
import { eventSettings, eventOptionShape, type EventOptions } from './events/event-options.js';
import { isLoggerLike, type LoggerLike } from './logger.js';
import {
  anyValue,
  boolean,
  checkOptions,
  nested,
  nonNegativeFinite,
  nonNegativeInteger,
  oneOf,
  string,
  stringList,
  timerDelay,
  type OptionSpec,
} from './options.js';
import { metricsOptionSpec, metricsSettings, type MetricsOptions } from './metrics/metrics-options.js';
import { MetricsRecorder } from './metrics/recorder.js';
import { IdCounter } from './protocol/ids.js';
import type { URIValidation } from './protocol/uri.js';
import type { CancelReplyPolicy } from './rpc/session-calls.js';
import type { JSONSerializerOptions } from './serializers/index.js';
import type { SessionDirectory } from './session-directory.js';
import { limitOptionShape, limitSettings, type LimitOptions } from './limit-options.js';

/**
 * Options of an {@link Application}.
 *
 * @example
 * ```ts
 * import { Application } from 'serverwamp';
 *
 * const app = new Application({
 *   context: { startedAt: Date.now() },      // request.context in every procedure
 *   callTimeout: 30_000,                     // ms, when neither the caller nor the route sets one
 *   metrics: true,                           // app.metrics.prometheus()
 *   limits: { maxSessions: 10_000, callRate: { rate: 50 } },
 * });
 * ```
 */
export interface ApplicationOptions<Context = unknown> {
  /** Values every procedure receives as `request.context`: a database handle, a subscriber set… */
  context?: Context;
  /**
   * A pino-shaped logger (`pino()`, `fastify.log`) or a console-shaped one
   * (`console`, from `info` up). Default: warnings and errors to the console
   * ({@link defaultLogger}); `silentLogger` for none.
   */
  logger?: LoggerLike;
  /** Serve clients asking for an unconfigured realm from the default realm (default true). Otherwise ABORT `wamp.error.no_such_realm`. */
  allowDefaultRealm?: boolean;
  /** URI checking for client URIs: `loose` (default) or `strict` (lower-case letters, digits, `_`). */
  uriValidation?: URIValidation;
  /** Require request ids to follow the spec: one sequence per session, from 1, up by one. Default false, as wampy keeps counting across reconnects. */
  strictRequestIds?: boolean;
  /**
   * When a client cancels a call in a mode other than `kill`: `auto` (default)
   * sends `wamp.error.canceled` to every client except autobahn-js, which
   * rejects such calls itself and closes the connection on a late ERROR;
   * `always` sends it to every client.
   */
  cancelReply?: CancelReplyPolicy;
  /** Calls a session may have in flight; more are refused with `serverwamp.error.too_many_calls` (default 1000). */
  maxConcurrentCalls?: number;
  /** A timeout in milliseconds for calls whose caller and procedure set none (default 0: none). */
  callTimeout?: number;
  /**
   * Whether clients may REGISTER procedures, for the application to call
   * with `session.call` (default true). A client's procedures are its
   * session's alone: other clients cannot call them. With false, REGISTER
   * gets `wamp.error.not_authorized`.
   */
  clientRegistrations?: boolean;
  /** Procedures a session may register; more get `serverwamp.error.too_many_registrations` (default 1000). */
  maxRegistrations?: number;
  /** Calls to one session (`session.call`) that may await their answer at once; more are rejected with `serverwamp.error.too_many_invocations` (default 1000). */
  maxPendingInvocations?: number;
  /** Milliseconds to wait for the client's GOODBYE reply before closing the transport (default 5000). */
  goodbyeTimeout?: number;
  /** Milliseconds a connection may stay open before its client sends HELLO (default 10000; 0: no limit). */
  helloTimeout?: number;
  /**
   * Milliseconds a session of a realm that requires authentication may take
   * from HELLO to WELCOME; then it gets ABORT `wamp.error.authentication_failed`
   * (default 10000; 0 for no limit).
   */
  authenticationTimeout?: number;
  /** The WebSocket subprotocols to speak, in the server's order (default: all six). */
  protocols?: readonly string[];
  /** JSON binary-convention switches. */
  json?: JSONSerializerOptions;
  /** The `agent` sent in WELCOME. */
  agent?: string;
  /** Subscription and publication bounds, and the slow-consumer policy. */
  events?: EventOptions;
  /**
   * Joins this application to others (other processes, machines) so that a
   * publication on one reaches subscribers on all; see docs/scaling.md.
   * With a backplane, a publication's `filter` function throws
   * `ERR_INVALID_OPTION`: it could not be applied on other nodes.
   */
  backplane?: Backplane;
  /** Where every realm keeps its retained events (default: in memory, per realm). */
  retainedStore?: RetainedStore;
  /** The registry behind `app.getSession` and `app.sessions` (default: in memory). */
  sessionDirectory?: SessionDirectory;
  /**
   * Counts sessions, calls, events, bytes, authentication failures and
   * protocol violations, readable as `app.metrics` (a `ServerMetrics`) and
   * as Prometheus text. Off by default (no work at all on the hot paths);
   * `true` for the defaults. See docs/metrics.md.
   */
  metrics?: boolean | MetricsOptions;
  /** Rate limits, session caps and the per-address connection cap (all off by default); see docs/limits.md. */
  limits?: LimitOptions;
}

/** What each {@link ApplicationOptions} key accepts. */
// Typed by the interface's keys, so that a new option without a check does not compile.
const applicationOptionShape: Record<keyof ApplicationOptions, OptionSpec> = {
  context: anyValue,
  logger: { expected: 'a logger (debug, info, warn and error methods, like pino or console)', accepts: isLoggerLike },
  allowDefaultRealm: boolean,
  uriValidation: oneOf('loose', 'strict'),
  strictRequestIds: boolean,
  cancelReply: oneOf('auto', 'always'),
  maxConcurrentCalls: nonNegativeInteger,
  callTimeout: nonNegativeFinite,
  clientRegistrations: boolean,
  maxRegistrations: nonNegativeInteger,
  maxPendingInvocations: nonNegativeInteger,
  goodbyeTimeout: timerDelay,
  helloTimeout: timerDelay,
  authenticationTimeout: timerDelay,
  protocols: stringList,
  json: nested({ decodeBinary: boolean, encodeBinary: boolean }),
  agent: string,
  events: nested(eventOptionShape),
  backplane: backplaneSpec,
  retainedStore: retainedStoreSpec,
  sessionDirectory: sessionDirectorySpec,
  metrics: metricsOptionSpec,
  limits: nested(limitOptionShape),
};

/**
 * Validates `options` (throws `ERR_INVALID_OPTION`) and fills in the
 * defaults; `eventDropped` counts slow-consumer drops. `metrics` is made
 * only when the option asks for it: the engine does no metrics work otherwise.
 */
export function engineOptions<Context>(
  options: ApplicationOptions<Context>,
  agent: string,
  eventDropped: () => void,
): EngineOptions & { readonly metrics: MetricsRecorder | undefined } {
  checkOptions(options, applicationOptionShape);
  const metrics = options.metrics ?? false;
  return {
    metrics: metrics === false ? undefined : new MetricsRecorder(metricsSettings(metrics === true ? {} : metrics)),
    uriValidation: options.uriValidation ?? 'loose',
    strictRequestIds: options.strictRequestIds ?? false,
    cancelReply: options.cancelReply ?? 'auto',
    maxConcurrentCalls: options.maxConcurrentCalls ?? 1000,
    defaultCallTimeout: options.callTimeout ?? 0,
    clientRegistrations: options.clientRegistrations ?? true,
    maxRegistrations: options.maxRegistrations ?? 1000,
    maxPendingInvocations: options.maxPendingInvocations ?? 1000,
    goodbyeTimeout: options.goodbyeTimeout ?? 5000,
    helloTimeout: options.helloTimeout ?? 10_000,
    authenticationTimeout: options.authenticationTimeout ?? 10_000,
    agent: options.agent ?? agent,
    registrationIds: new IdCounter(),
    rateLimits: limitSettings(options.limits).rateLimits,
    ...eventSettings(options.events ?? {}, eventDropped),
  };
}
