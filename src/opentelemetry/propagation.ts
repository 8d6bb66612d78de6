/**
 * W3C trace context between WAMP's `_traceparent`/`_tracestate` and
 * OpenTelemetry contexts. The values were checked by serverwamp
 * (src/tracing/trace-context.ts) and are checked again here: a malformed
 * one is ignored, never thrown on.
 * @module
 */
import { createTraceState, ROOT_CONTEXT, trace, TraceFlags, type Context, type Span } from '@opentelemetry/api';
import { checkTracestate, formatTraceparent, parseTraceparent } from '../tracing/trace-context.js';

/** `base` with the remote parent `traceparent` names, or `base` itself if it names none. */
export function remoteParent(traceparent: unknown, tracestate: unknown, base: Context = ROOT_CONTEXT): Context {
  const parsed = parseTraceparent(traceparent);
  if (parsed === undefined) return base;
  const state = checkTracestate(tracestate);
  let traceState;
  try {
    traceState = state === undefined ? undefined : createTraceState(state);
  } catch {
    traceState = undefined;
  }
  return trace.setSpanContext(base, {
    traceId: parsed.traceId,
    spanId: parsed.spanId,
    traceFlags: parsed.flags & TraceFlags.SAMPLED,
    isRemote: true,
    ...(traceState === undefined ? {} : { traceState }),
  });
}

/** The `traceparent` and `tracestate` naming `span` as the parent, or nothing for an invalid span context. */
export function traceHeadersOf(span: Span): { traceparent: string | undefined; tracestate: string | undefined } {
  const spanContext = span.spanContext();
  if (!trace.isSpanContextValid(spanContext)) return { traceparent: undefined, tracestate: undefined };
  const state = spanContext.traceState?.serialize();
  return {
    traceparent: formatTraceparent(spanContext.traceId, spanContext.spanId, spanContext.traceFlags),
    tracestate: state === undefined || state === '' ? undefined : state,
  };
}
