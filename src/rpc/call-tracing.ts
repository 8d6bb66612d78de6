/**
 * The `serverwamp:call` tracing channel at the dealer's call sites: a
 * {@link CallTrace} follows one traced CALL from the procedure's start to
 * the call's one final reply, which may come from the procedure, a CANCEL,
 * a timeout or the session's end. Event order is Node's `traceSync` when the
 * reply is sent before the procedure returns, else `tracePromise`'s.
 * @module
 */
import { WampError } from '../errors.js';
import type { WampMessage } from '../protocol/build.js';
import { MessageType } from '../protocol/message-type.js';
import type { Dict } from '../protocol/messages.js';
import { WampURI } from '../protocol/uris.js';
import type { Session } from '../model/session.js';
import { isTraced, runInStart, tracingChannel, type TracingChannelPort } from '../tracing/channels.js';
import type { CallTraceContext } from '../tracing/contexts.js';
import { TracingChannel } from '../tracing/names.js';
import { traceHeaders } from '../tracing/trace-context.js';

const channel = tracingChannel(TracingChannel.CALL);

/** What a call site knows of a CALL when it starts tracing it. */
export interface CallTraceInit {
  readonly procedure: string;
  readonly route: string | undefined;
  readonly session: Session;
  readonly requestId: number;
  readonly args: readonly unknown[];
  readonly kwargs: Readonly<Dict>;
  readonly options: Readonly<Dict>;
}

/** One traced CALL. */
export class CallTrace {
  readonly context: CallTraceContext;
  readonly #channel: TracingChannelPort;
  /** True while the procedure's synchronous part runs (between start and end). */
  #sync = true;
  #done = false;
  #cause: unknown;

  constructor(channel: TracingChannelPort, init: CallTraceInit) {
    this.#channel = channel;
    const { traceparent, tracestate } = traceHeaders(init.options);
    this.context = {
      procedure: init.procedure,
      route: init.route,
      realm: init.session.realmName,
      sessionId: init.session.id,
      session: init.session,
      requestId: init.requestId,
      args: init.args,
      kwargs: init.kwargs,
      options: init.options,
      traceparent,
      tracestate,
      progress: 0,
    };
  }

  /** Runs the procedure's synchronous part between `start` (in the channel's bound stores) and `end`. */
  run(fn: () => void): void {
    try {
      runInStart(this.#channel, this.context, fn);
    } finally {
      this.#sync = false;
      this.#channel.end.publish(this.context);
    }
  }

  /** The value the procedure threw or rejected with, reported as `error` if the reply is an error. */
  failedWith(error: unknown): void {
    this.#cause = error;
  }

  progressed(): void {
    this.context.progress++;
  }

  /** The call's final reply (`undefined`: ended without one, as canceled). Only the first counts. */
  settled(message: WampMessage | undefined): void {
    if (this.#done) return;
    this.#done = true;
    const context = this.context;
    if (message !== undefined && message[0] === MessageType.RESULT) {
      context.result = { args: message[3] as unknown[] | undefined, kwargs: message[4] as Dict | undefined };
    } else {
      const uri = message === undefined ? WampURI.CANCELED : (message[4] as string);
      context.errorURI = uri;
      const args = message === undefined ? ['the call was canceled'] : (message[5] as unknown[] | undefined);
      context.error = this.#cause ?? new WampError(uri, args === undefined ? {} : { args });
      this.#channel.error.publish(context);
    }
    if (!this.#sync) {
      this.#channel.asyncStart.publish(context);
      this.#channel.asyncEnd.publish(context);
    }
  }
}

/** Whether anyone subscribes to `serverwamp:call`: read before building anything for a trace. */
export function callsTraced(): boolean {
  return isTraced(channel);
}

/** A trace for this CALL; call only when {@link callsTraced}. */
export function traceCall(init: CallTraceInit): CallTrace {
  return new CallTrace(channel!, init);
}
