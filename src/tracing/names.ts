/**
 * The names of serverwamp's tracing channels: public API, documented in
 * docs/tracing.md. Each is a `diagnostics_channel.tracingChannel` name, so
 * the events are `tracing:<name>:start`, `:end`, `:asyncStart`, `:asyncEnd`
 * and `:error`.
 * @module
 */

/** serverwamp's tracing channel names. */
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

/** The WAMP custom option/detail keys carrying W3C trace context. */
export const TraceKey = {
  /** The CALL option or EVENT/INVOCATION detail carrying W3C `traceparent`. */
  TRACEPARENT: '_traceparent',
  /** The CALL option or EVENT/INVOCATION detail carrying W3C `tracestate`. */
  TRACESTATE: '_tracestate',
} as const;
