/**
 * OpenTelemetry spans from serverwamp's tracing channels: a SERVER span per
 * client CALL (its parent the caller's `_traceparent`, else none), a CLIENT
 * span per `session.call` and a PRODUCER span per publication (their parent
 * the active context, so a call made or an event published inside a
 * procedure belongs to the procedure's trace), the latter two propagated to
 * the client in INVOCATION and EVENT details. A call to a session on another
 * node adds a CLIENT span on the asking node, whose context travels with the
 * request and parents the holding node's span.
 * @module
 */
import { diag, context as otelContext, SpanKind, trace, type Context, type Span, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { ServerwampError, describe } from '../errors.js';
import { version } from '../version.js';
import { tracingChannel, type ContextStore, type TracingChannelPort } from '../tracing/channels.js';
import type { CallTraceContext, PublishTraceContext, RemoteCallTraceContext, SessionCallTraceContext } from '../tracing/contexts.js';
import { TracingChannel } from '../tracing/names.js';
import { callSpan, markError, publishSpan, remoteCallSpan, sessionCallSpan, type ServerIdentity, type SpanStart } from './attributes.js';
import { remoteParent, traceHeadersOf } from './propagation.js';

/**
 * Options of {@link instrumentOpenTelemetry}.
 *
 * @example
 * ```ts
 * import { instrumentOpenTelemetry } from 'serverwamp/opentelemetry';
 *
 * instrumentOpenTelemetry({ tracerProvider, serverAddress: 'api.example.com', serverPort: 443 });
 * ```
 */
export interface OpenTelemetryOptions extends ServerIdentity {
  /** Where spans go; the globally registered provider by default. */
  readonly tracerProvider?: TracerProvider;
}

/**
 * What {@link instrumentOpenTelemetry} returns: whether spans are made, and how to stop.
 *
 * @example
 * ```ts
 * import { instrumentOpenTelemetry } from 'serverwamp/opentelemetry';
 *
 * const instrumentation = instrumentOpenTelemetry({ tracerProvider });
 * if (!instrumentation.active) console.warn('no diagnostics_channel on this runtime: no spans');
 * process.once('SIGTERM', async () => {
 *   await app.close();
 *   instrumentation.disable();
 * });
 * ```
 */
export interface OpenTelemetryInstrumentation {
  /** False on a runtime without `diagnostics_channel`: no span will be made. */
  readonly active: boolean;
  /** Stops making spans; spans of operations still in flight are dropped unended (never exported). */
  disable(): void;
}

type TracedContext = CallTraceContext | SessionCallTraceContext | PublishTraceContext | RemoteCallTraceContext;

interface Handlers {
  start(message: unknown): void;
  end(message: unknown): void;
  asyncStart(message: unknown): void;
  asyncEnd(message: unknown): void;
  error(message: unknown): void;
}

/**
 * `handler`, never throwing: Node turns an exception in a channel subscriber
 * or a store transform into an uncaught exception, which would end the
 * process. A failure goes to OpenTelemetry's diagnostic logger instead.
 */
function safely<T>(handler: (message: T) => void): (message: T) => void {
  return (message) => {
    try {
      handler(message);
    } catch (error) {
      diag.error('serverwamp: a span could not be recorded', error);
    }
  };
}

function settled(context: TracedContext): boolean {
  return context.error !== undefined || context.errorURI !== undefined || ('result' in context && context.result !== undefined) || 'queued' in context;
}

function checkOptions(options: OpenTelemetryOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new ServerwampError('ERR_INVALID_OPTION', `instrumentOpenTelemetry(options): options must be an object, got ${describe(options)}`);
  }
  const provider = options.tracerProvider as unknown;
  if (provider !== undefined && typeof (provider as TracerProvider | null)?.getTracer !== 'function') {
    throw new ServerwampError('ERR_INVALID_OPTION', 'instrumentOpenTelemetry: tracerProvider must be an OpenTelemetry TracerProvider (with getTracer)');
  }
  if (options.serverAddress !== undefined && typeof options.serverAddress !== 'string') {
    throw new ServerwampError('ERR_INVALID_OPTION', `instrumentOpenTelemetry: serverAddress must be a string, got ${describe(options.serverAddress)}`);
  }
  const port = options.serverPort;
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    throw new ServerwampError('ERR_INVALID_OPTION', `instrumentOpenTelemetry: serverPort must be a port number, got ${describe(port)}`);
  }
}

/**
 * One channel's spans: made in the `start` store transform (so the code the
 * channel runs, a procedure or a send, runs in the span's context), or at
 * `start` where the runtime binds no stores; ended when the operation settles.
 */
class ChannelSpans {
  readonly #channel: TracingChannelPort;
  readonly #spans = new WeakMap<object, { span: Span; context: Context }>();
  readonly #open: (traced: TracedContext) => { span: Span; context: Context };
  readonly #handlers: Handlers;
  readonly #store: ContextStore = { run: (value, fn) => otelContext.with(value as Context, fn) };
  #bound = false;

  constructor(channel: TracingChannelPort, open: (traced: TracedContext) => { span: Span; context: Context }) {
    this.#channel = channel;
    this.#open = open;
    const finish = (message: unknown): void => this.#finish(message as TracedContext);
    this.#handlers = {
      start: safely((message) => void this.#spanOf(message as TracedContext)),
      end: safely((message) => {
        if (settled(message as TracedContext)) finish(message);
      }),
      asyncStart: () => {},
      asyncEnd: safely(finish),
      error: safely((message) => {
        const traced = message as TracedContext;
        const entry = this.#spans.get(traced);
        if (entry !== undefined) markError(entry.span, traced.error, traced.errorURI);
      }),
    };
  }

  enable(): void {
    const start = this.#channel.start;
    if (typeof start.bindStore === 'function') {
      start.bindStore(this.#store, (traced: TracedContext) => {
        try {
          return this.#spanOf(traced).context;
        } catch (error) {
          diag.error('serverwamp: a span could not be started', error);
          return otelContext.active();
        }
      });
      this.#bound = true;
    }
    for (const [event, handler] of Object.entries(this.#handlers) as [keyof Handlers, (message: unknown) => void][]) {
      this.#channel[event].subscribe(handler);
    }
  }

  disable(): void {
    if (this.#bound) this.#channel.start.unbindStore?.(this.#store);
    this.#bound = false;
    for (const [event, handler] of Object.entries(this.#handlers) as [keyof Handlers, (message: unknown) => void][]) {
      this.#channel[event].unsubscribe(handler);
    }
  }

  #spanOf(traced: TracedContext): { span: Span; context: Context } {
    let entry = this.#spans.get(traced);
    if (entry === undefined) {
      entry = this.#open(traced);
      this.#spans.set(traced, entry);
    }
    return entry;
  }

  #finish(traced: TracedContext): void {
    const entry = this.#spans.get(traced);
    if (entry === undefined) return;
    this.#spans.delete(traced);
    if ('queued' in traced && traced.queued !== undefined) entry.span.setAttribute('messaging.wamp.events_queued', traced.queued);
    entry.span.end();
  }
}

function opener(tracer: Tracer, kind: SpanKind, describeSpan: (traced: never) => SpanStart, parentOf: (traced: never) => Context) {
  return (traced: TracedContext): { span: Span; context: Context } => {
    const { name, attributes } = describeSpan(traced as never);
    const parent = parentOf(traced as never);
    const span = tracer.startSpan(name, { kind, attributes }, parent);
    return { span, context: trace.setSpan(parent, span) };
  };
}

/** Propagates the span just made to the client, through the context's writable trace fields. */
function propagating(open: (traced: TracedContext) => { span: Span; context: Context }) {
  return (traced: TracedContext): { span: Span; context: Context } => {
    const entry = open(traced);
    const headers = traceHeadersOf(entry.span);
    const writable = traced as SessionCallTraceContext | PublishTraceContext | RemoteCallTraceContext;
    if (headers.traceparent !== undefined) {
      writable.traceparent = headers.traceparent;
      writable.tracestate = headers.tracestate;
    }
    return entry;
  };
}

/** The active context if it holds a span, else the publisher's `_traceparent` (a client's PUBLISH). */
function publishParent(traced: PublishTraceContext): Context {
  const active = otelContext.active();
  if (trace.getSpan(active) !== undefined) return active;
  return remoteParent(traced.traceparent, traced.tracestate, active);
}

/**
 * The trace context a call was given, when valid (the `traceparent` option,
 * or the asking node's for a call another node asked for), else the active
 * context: what the application says explicitly wins over what happens to be
 * active where the request arrived.
 */
function givenParent(traced: SessionCallTraceContext | RemoteCallTraceContext): Context {
  return remoteParent(traced.traceparent, traced.tracestate, otelContext.active());
}

/**
 * Makes OpenTelemetry spans for serverwamp's calls, server→client calls and
 * publications, and propagates W3C trace context in WAMP's custom keys
 * (`_traceparent`, `_tracestate`). Needs `@opentelemetry/api` and a
 * registered (or given) tracer provider; see docs/tracing.md.
 *
 * @example
 * ```ts
 * import { instrumentOpenTelemetry } from 'serverwamp/opentelemetry';
 * const instrumentation = instrumentOpenTelemetry({ serverAddress: 'api.example.com', serverPort: 443 });
 * // … later: instrumentation.disable();
 * ```
 */
export function instrumentOpenTelemetry(options: OpenTelemetryOptions = {}): OpenTelemetryInstrumentation {
  checkOptions(options);
  const channels = {
    call: tracingChannel(TracingChannel.CALL),
    sessionCall: tracingChannel(TracingChannel.SESSION_CALL),
    publish: tracingChannel(TracingChannel.PUBLISH),
    remoteCall: tracingChannel(TracingChannel.REMOTE_CALL),
  };
  if (channels.call === undefined || channels.sessionCall === undefined || channels.publish === undefined || channels.remoteCall === undefined) {
    return { active: false, disable() {} };
  }
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer('serverwamp', version);
  const server: ServerIdentity = { serverAddress: options.serverAddress, serverPort: options.serverPort };
  const all = [
    new ChannelSpans(
      channels.call,
      opener(tracer, SpanKind.SERVER, (traced: CallTraceContext) => callSpan(traced, server), (traced: CallTraceContext) => remoteParent(traced.traceparent, traced.tracestate)),
    ),
    new ChannelSpans(channels.sessionCall, propagating(opener(tracer, SpanKind.CLIENT, sessionCallSpan, givenParent))),
    new ChannelSpans(channels.publish, propagating(opener(tracer, SpanKind.PRODUCER, (traced: PublishTraceContext) => publishSpan(traced, server), publishParent))),
    new ChannelSpans(channels.remoteCall, propagating(opener(tracer, SpanKind.CLIENT, remoteCallSpan, givenParent))),
  ];
  for (const spans of all) spans.enable();
  let enabled = true;
  return {
    active: true,
    disable() {
      if (!enabled) return;
      enabled = false;
      for (const spans of all) spans.disable();
    },
  };
}
