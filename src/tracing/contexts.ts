/**
 * The context objects serverwamp publishes on its tracing channels (public
 * API, docs/tracing.md). Payloads are passed by reference, never copied:
 * a subscriber must not change them. Fields marked "set by serverwamp"
 * appear as the operation ends, as Node's own `traceSync`/`tracePromise` set
 * `result` and `error`.
 * @module
 */
import type { Dict } from '../protocol/messages.js';
import type { Session } from '../model/session.js';

/** How an operation ended, for the fields every context shares. */
interface Outcome {
  /** Set by serverwamp on failure: what was thrown or rejected, or a `WampError` for the reply sent. */
  error?: unknown;
  /** Set by serverwamp on failure: the WAMP error URI the caller saw (e.g. `wamp.error.canceled`). */
  errorURI?: string;
}

/**
 * A positional and keyword payload.
 *
 * @example
 * ```ts
 * import diagnostics_channel from 'node:diagnostics_channel';
 * import { TracingChannel, type SessionCallTraceContext, type TracedPayload } from 'serverwamp';
 *
 * // What each client answered to session.call (payloads by reference: read, never change).
 * diagnostics_channel.tracingChannel(TracingChannel.SESSION_CALL).asyncEnd.subscribe((message) => {
 *   const { procedure, result } = message as SessionCallTraceContext;
 *   const answer: TracedPayload | undefined = result; // undefined when the call failed
 *   if (answer !== undefined) log.debug({ procedure, args: answer.args }, 'client answered');
 * });
 * ```
 */
export interface TracedPayload {
  /** The positional arguments, by reference. */
  readonly args: readonly unknown[] | undefined;
  /** The keyword arguments, by reference. */
  readonly kwargs: Readonly<Dict> | undefined;
}

/**
 * `serverwamp:call`: a client's CALL that the application handles.
 *
 * @example
 * ```ts
 * import diagnostics_channel from 'node:diagnostics_channel';
 * import { TracingChannel, type CallTraceContext } from 'serverwamp';
 *
 * // Every failed client CALL, whether the procedure threw at once or its promise rejected later:
 * diagnostics_channel.tracingChannel(TracingChannel.CALL).error.subscribe((message) => {
 *   const { route, errorURI, sessionId } = message as CallTraceContext;
 *   metrics.increment('calls.failed', { route, errorURI, sessionId });
 * });
 * ```
 */
export interface CallTraceContext extends Outcome {
  /** The procedure URI the client called. */
  readonly procedure: string;
  /** The route pattern that matched (bounded cardinality); `undefined` with a custom RPC handler. */
  readonly route: string | undefined;
  /** The realm URI the calling session joined. */
  readonly realm: string;
  /** The caller's session id. */
  readonly sessionId: number;
  /** The caller's session. */
  readonly session: Session;
  /** The CALL's request id. */
  readonly requestId: number;
  /** The CALL's positional arguments, by reference. */
  readonly args: readonly unknown[];
  /** The CALL's keyword arguments, by reference. */
  readonly kwargs: Readonly<Dict>;
  /** The CALL.Options dict. */
  readonly options: Readonly<Dict>;
  /** The caller's `_traceparent`, when it sent a valid one. */
  readonly traceparent: string | undefined;
  /** The caller's `_tracestate`, when it sent a valid one with a valid traceparent. */
  readonly tracestate: string | undefined;
  /** Progressive results sent so far. */
  progress: number;
  /** Set by serverwamp on success: the final RESULT's payload. */
  result?: TracedPayload;
}

/**
 * `serverwamp:session.call`: the application calling a procedure its client registered.
 *
 * @example
 * ```ts
 * import diagnostics_channel from 'node:diagnostics_channel';
 * import { context, propagation } from '@opentelemetry/api';
 * import { TracingChannel, type SessionCallTraceContext } from 'serverwamp';
 *
 * // Continue the active trace in the client: serverwamp sends it as INVOCATION.Details._traceparent.
 * diagnostics_channel.tracingChannel(TracingChannel.SESSION_CALL).start.subscribe((message) => {
 *   const call = message as SessionCallTraceContext;
 *   const carrier: Record<string, string> = {};
 *   propagation.inject(context.active(), carrier);
 *   call.traceparent ??= carrier['traceparent'];
 * });
 * ```
 */
export interface SessionCallTraceContext extends Outcome {
  /** The procedure URI called. */
  readonly procedure: string;
  /** The URI (or pattern) the client registered. */
  readonly route: string;
  /** The realm of the called session. */
  readonly realm: string;
  /** The called session's id. */
  readonly sessionId: number;
  /** The called session. */
  readonly session: Session;
  /** The INVOCATION's request id. */
  readonly requestId: number;
  /** The INVOCATION's positional arguments, by reference. */
  readonly args: readonly unknown[] | undefined;
  /** The INVOCATION's keyword arguments, by reference. */
  readonly kwargs: Readonly<Dict> | undefined;
  /**
   * The call's `traceparent` option at `start` (for a call another node
   * asked for, that node's trace context); a `start` subscriber may set its
   * own to propagate its trace. serverwamp sends it as INVOCATION.Details
   * `_traceparent` when it is a valid traceparent.
   */
  traceparent: string | undefined;
  /** Set by a `start` subscriber: sent as `_tracestate` alongside a valid traceparent. */
  tracestate: string | undefined;
  /** Progressive results received so far. */
  progress: number;
  /** Set by serverwamp on success: the final YIELD's payload. */
  result?: TracedPayload;
}

/**
 * `serverwamp:remote.call`: `app.session(id).call` on the node that asks, for
 * a session another node holds. The holding node then reports the
 * INVOCATION itself on `serverwamp:session.call`, continuing this trace.
 *
 * @example
 * ```ts
 * import diagnostics_channel from 'node:diagnostics_channel';
 * import { TracingChannel, type RemoteCallTraceContext } from 'serverwamp';
 *
 * // app.session(id).call for a session another node holds, when it fails:
 * diagnostics_channel.tracingChannel(TracingChannel.REMOTE_CALL).error.subscribe((message) => {
 *   const { procedure, sessionId, nodeId, errorURI } = message as RemoteCallTraceContext;
 *   console.warn(`${procedure} on session ${sessionId} (node ${nodeId}) failed: ${errorURI}`);
 * });
 * ```
 */
export interface RemoteCallTraceContext extends Outcome {
  /** The procedure URI called. */
  readonly procedure: string;
  /** The called session's id. */
  readonly sessionId: number;
  /** The node that holds the session, and performs the call. */
  readonly nodeId: string;
  /** Positional arguments, as given to `call`. */
  readonly args: readonly unknown[] | undefined;
  /** Keyword arguments, as given to `call`. */
  readonly kwargs: Readonly<Dict> | undefined;
  /**
   * The trace context sent to the holding node: the call's own
   * `traceparent` option at `start`; a `start` subscriber may set its own.
   */
  traceparent: string | undefined;
  /** Likewise for `tracestate`. */
  tracestate: string | undefined;
  /** Progressive results received so far. */
  progress: number;
  /** Set by serverwamp on success: the final result's payload. */
  result?: TracedPayload;
}

/**
 * `serverwamp:publish`: one publication, delivered synchronously.
 *
 * @example
 * ```ts
 * import diagnostics_channel from 'node:diagnostics_channel';
 * import { TracingChannel, type PublishTraceContext } from 'serverwamp';
 *
 * diagnostics_channel.tracingChannel(TracingChannel.PUBLISH).end.subscribe((message) => {
 *   const { topic, realm, retain, queued } = message as PublishTraceContext;
 *   if (queued === 0 && !retain) log.debug({ topic, realm }, 'published to nobody on this node');
 * });
 * ```
 */
export interface PublishTraceContext extends Outcome {
  /** The topic published to. */
  readonly topic: string;
  /** The route pattern of a client's publication, when a route handled it. */
  readonly route: string | undefined;
  /** The realm URI (`''` for the default realm); `undefined` for `app.publish`, which reaches every realm. */
  readonly realm: string | undefined;
  /** The publishing session, for a client's PUBLISH; `undefined` for a server-side publication. */
  readonly sessionId: number | undefined;
  /** The publication's id. */
  readonly publicationId: number;
  /** The event's positional arguments, by reference. */
  readonly args: readonly unknown[] | undefined;
  /** The event's keyword arguments, by reference. */
  readonly kwargs: Readonly<Dict> | undefined;
  /** Whether the publication is retained. */
  readonly retain: boolean;
  /**
   * The publisher's `_traceparent` at `start`; a `start` subscriber may set
   * its own: serverwamp sends it as EVENT.Details `_traceparent` when valid.
   */
  traceparent: string | undefined;
  /** Likewise for `_tracestate`. */
  tracestate: string | undefined;
  /** Set by serverwamp: how many EVENTs were queued on this node. */
  queued?: number;
}
