/**
 * The `serverwamp:session.call` tracing channel at `session.call`: an
 * {@link InvocationTrace} follows one INVOCATION from the moment it is sent
 * (`start`, whose subscribers may set the trace context it carries, then
 * `end`) to its settlement by the callee's YIELD or ERROR, a timeout, an
 * abort or the session's end (`error` if it failed, `asyncStart`, `asyncEnd`),
 * the way Node's `tracePromise` reports a promise.
 * @module
 */
import { WampError } from '../errors.js';
import type { Dict } from '../protocol/messages.js';
import type { CallResult } from '../model/payloads.js';
import type { Session } from '../model/session.js';
import { isTraced, runInStart, tracingChannel, type TracingChannelPort } from '../tracing/channels.js';
import type { SessionCallTraceContext } from '../tracing/contexts.js';
import { TracingChannel } from '../tracing/names.js';
import { writeTraceHeaders } from '../tracing/trace-context.js';

const channel = tracingChannel(TracingChannel.SESSION_CALL);

/** Whether anyone subscribes to `serverwamp:session.call`: read before building anything for a trace. */
export function invocationsTraced(): boolean {
  return isTraced(channel);
}

/** What `session.call` knows of an INVOCATION before it sends it. */
export interface InvocationTraceInit {
  readonly procedure: string;
  readonly route: string;
  readonly session: Session;
  readonly requestId: number;
  readonly args: readonly unknown[] | undefined;
  readonly kwargs: Readonly<Dict> | undefined;
  /** The call's own trace context (`SessionCallOptions.traceparent`), if any. */
  readonly traceparent?: string | undefined;
  readonly tracestate?: string | undefined;
}

/** One traced INVOCATION. */
export class InvocationTrace {
  readonly context: SessionCallTraceContext;
  readonly #channel: TracingChannelPort;
  #done = false;

  constructor(init: InvocationTraceInit) {
    this.#channel = channel!;
    this.context = {
      procedure: init.procedure,
      route: init.route,
      realm: init.session.realmName,
      sessionId: init.session.id,
      session: init.session,
      requestId: init.requestId,
      args: init.args,
      kwargs: init.kwargs,
      traceparent: init.traceparent,
      tracestate: init.tracestate,
      progress: 0,
    };
  }

  /**
   * Publishes `start`, writes the trace context its subscribers set into
   * `details`, and runs `send` (in the channel's bound stores); then `end`.
   * A send that throws is reported as `error` and rethrown.
   */
  send(details: Dict, send: () => void): void {
    const context = this.context;
    try {
      runInStart(this.#channel, context, () => {
        writeTraceHeaders(details, context.traceparent, context.tracestate);
        send();
      });
    } catch (error) {
      this.#done = true;
      context.error = error;
      this.#channel.error.publish(context);
      throw error;
    } finally {
      this.#channel.end.publish(context);
    }
  }

  progressed(): void {
    this.context.progress++;
  }

  /** The final YIELD. */
  resolved(result: CallResult): void {
    if (this.#done) return;
    this.context.result = { args: result.args, kwargs: result.kwargs };
    this.#settle();
  }

  /** The callee's ERROR, or a local timeout, abort or the session's end. */
  rejected(error: unknown): void {
    if (this.#done) return;
    this.context.error = error;
    if (error instanceof WampError) this.context.errorURI = error.uri;
    this.#channel.error.publish(this.context);
    this.#settle();
  }

  #settle(): void {
    this.#done = true;
    this.#channel.asyncStart.publish(this.context);
    this.#channel.asyncEnd.publish(this.context);
  }
}
