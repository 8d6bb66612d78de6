/**
 * The names of serverwamp's tracing channels: public API, documented in
 * docs/tracing.md. Each is a `diagnostics_channel.tracingChannel` name, so
 * the events are `tracing:<name>:start`, `:end`, `:asyncStart`, `:asyncEnd`
 * and `:error`.
 * @module
 */

/**
 * serverwamp's tracing channel names.
 *
 * @example
 * ```ts
 * import diagnostics_channel from 'node:diagnostics_channel';
 * import { TracingChannel, type PublishTraceContext } from 'serverwamp';
 *
 * // 'serverwamp:publish': its events are tracing:serverwamp:publish:start, :end and :error.
 * diagnostics_channel.tracingChannel(TracingChannel.PUBLISH).end.subscribe((message) => {
 *   const { topic, queued } = message as PublishTraceContext;
 *   metrics.increment('events.queued', { topic, queued });
 * });
 * ```
 */
export const TracingChannel = {
  /** A client's CALL handled by the application (a procedure or a custom RPC handler). */
  CALL: 'serverwamp:call',
  /** The application calling a procedure a client registered (`session.call`). */
  SESSION_CALL: 'serverwamp:session.call',
  /** A publication: `app.publish`, `realm.publish`, or a client's PUBLISH forwarded. */
  PUBLISH: 'serverwamp:publish',
  /** `app.session(id).call` for a session another node of the cluster holds: the request to that node. */
  REMOTE_CALL: 'serverwamp:remote.call',
} as const;

/**
 * The WAMP custom option/detail keys carrying W3C trace context.
 *
 * @example
 * ```ts
 * import { TraceKey } from 'serverwamp';
 *
 * // Pass the caller's W3C trace context on to an HTTP service the procedure calls.
 * routes.route('report.build', async (request) => {
 *   const traceparent = request.options[TraceKey.TRACEPARENT]; // CALL.Options._traceparent
 *   const response = await fetch('https://reports.internal/build', { headers: typeof traceparent === 'string' ? { traceparent } : {} });
 *   return response.status;
 * });
 * ```
 */
export const TraceKey = {
  /** The CALL option or EVENT/INVOCATION detail carrying W3C `traceparent`. */
  TRACEPARENT: '_traceparent',
  /** The CALL option or EVENT/INVOCATION detail carrying W3C `tracestate`. */
  TRACESTATE: '_tracestate',
} as const;
