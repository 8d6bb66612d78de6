/**
 * The `serverwamp:publish` tracing channel around one publication's
 * delivery, reported like Node's `traceSync` (`start`, `error` if it threw,
 * `end`). A `start` subscriber may set the trace context the EVENTs carry:
 * the publication then goes out with that `_traceparent`/`_tracestate` in
 * its details (to this node's subscribers and through the backplane).
 * @module
 */
import type { Dict } from '../protocol/messages.js';
import { isTraced, runInStart, tracingChannel } from '../tracing/channels.js';
import type { PublishTraceContext } from '../tracing/contexts.js';
import { TracingChannel, TraceKey } from '../tracing/names.js';
import { writeTraceHeaders } from '../tracing/trace-context.js';
import type { Publication } from './delivery.js';

const channel = tracingChannel(TracingChannel.PUBLISH);

/** Where a publication comes from, for its trace. */
export interface PublishOrigin {
  /** The realm URI; `undefined` for `app.publish`, which reaches every realm. */
  readonly realm: string | undefined;
  readonly sessionId?: number;
  readonly route?: string;
}

/** Whether anyone subscribes to `serverwamp:publish`: read before building anything for a trace. */
export function publicationsTraced(): boolean {
  return isTraced(channel);
}

/** `publication` with the trace context a subscriber set, when it differs from what it carried. */
function withTraceContext(publication: Publication, context: PublishTraceContext, before: unknown): Publication {
  if (context.traceparent === before) return publication;
  const details: Dict = { ...publication.details };
  delete details[TraceKey.TRACEPARENT];
  delete details[TraceKey.TRACESTATE];
  writeTraceHeaders(details, context.traceparent, context.tracestate);
  return { ...publication, details };
}

/** Runs `deliver` (which returns the EVENTs queued) as one traced publication; call only when {@link publicationsTraced}. */
export function tracePublish(publication: Publication, origin: PublishOrigin, deliver: (publication: Publication) => number): number {
  const traced = channel!;
  const carried = publication.details?.[TraceKey.TRACEPARENT] as string | undefined;
  const context: PublishTraceContext = {
    topic: publication.topic,
    route: origin.route,
    realm: origin.realm,
    sessionId: origin.sessionId,
    publicationId: publication.publicationId,
    args: publication.payload.args,
    kwargs: publication.payload.kwargs,
    retain: publication.retain === true,
    traceparent: carried,
    tracestate: publication.details?.[TraceKey.TRACESTATE] as string | undefined,
  };
  try {
    return runInStart(traced, context, () => (context.queued = deliver(withTraceContext(publication, context, carried))));
  } catch (error) {
    context.error = error;
    traced.error.publish(context);
    throw error;
  } finally {
    traced.end.publish(context);
  }
}
