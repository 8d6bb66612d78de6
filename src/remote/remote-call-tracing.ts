/**
 * The `serverwamp:remote.call` tracing channel: a {@link RemoteCallTrace}
 * follows `app.session(id).call` for a session another node holds, from the
 * request (`start`, whose subscribers may set the trace context sent along,
 * then `end`) to its reply (`error` if it failed, `asyncStart`, `asyncEnd`),
 * the way Node's `tracePromise` reports a promise. The holding node
 * continues the trace on `serverwamp:session.call`.
 * @module
 */
import { WampError } from '../errors.js';
import type { CallResult, SessionCallOptions } from '../model/payloads.js';
import { isTraced, runInStart, tracingChannel } from '../tracing/channels.js';
import type { RemoteCallTraceContext } from '../tracing/contexts.js';
import { TracingChannel } from '../tracing/names.js';

const channel = tracingChannel(TracingChannel.REMOTE_CALL);

/**
 * Runs `request` with the trace context to send: traced when anyone
 * subscribes (the subscribers' context, set at `start`), else the call's own
 * `traceparent`/`tracestate` options.
 */
export function traceRemoteCall(
  init: { readonly procedure: string; readonly sessionId: number; readonly nodeId: string; readonly options: SessionCallOptions },
  request: (traceparent: string | undefined, tracestate: string | undefined, onProgress: SessionCallOptions['onProgress']) => Promise<CallResult>,
): Promise<CallResult> {
  const { options } = init;
  if (!isTraced(channel)) return request(options.traceparent, options.tracestate, options.onProgress);
  const context: RemoteCallTraceContext = {
    procedure: init.procedure,
    sessionId: init.sessionId,
    nodeId: init.nodeId,
    args: options.args,
    kwargs: options.kwargs,
    traceparent: options.traceparent,
    tracestate: options.tracestate,
    progress: 0,
  };
  const { onProgress } = options;
  const counted =
    onProgress === undefined
      ? undefined
      : (result: CallResult): void => {
          context.progress++;
          onProgress(result);
        };
  let pending: Promise<CallResult>;
  try {
    // The request is sent inside `start`, so that it runs in the subscribers' bound stores (their active span).
    pending = runInStart(channel, context, () => request(context.traceparent, context.tracestate, counted));
  } catch (error) {
    context.error = error;
    channel.error.publish(context);
    throw error;
  } finally {
    channel.end.publish(context);
  }
  return pending.then(
    (result) => {
      context.result = { args: result.args, kwargs: result.kwargs };
      channel.asyncStart.publish(context);
      channel.asyncEnd.publish(context);
      return result;
    },
    (error: unknown) => {
      context.error = error;
      if (error instanceof WampError) context.errorURI = error.uri;
      channel.error.publish(context);
      channel.asyncStart.publish(context);
      channel.asyncEnd.publish(context);
      throw error;
    },
  );
}
