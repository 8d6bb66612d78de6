/**
 * {@link SessionCalls}: one session's CALLs and CANCELs, run against the
 * realm's {@link Dealer}. It guarantees exactly one final reply per call,
 * never sent after the call was canceled, timed out, or the session ended.
 * @module
 */
import { authorized } from '../auth/authorize.js';
import type { CallMeter } from '../metrics/call-meter.js';
import type { CallEnd, MetricsSink } from '../metrics/sink.js';
import { CUSTOM_PROCEDURE, UNKNOWN_PROCEDURE } from '../metrics/labels.js';
import { WampError } from '../errors.js';
import { build, type WampMessage } from '../protocol/build.js';
import { MessageType } from '../protocol/message-type.js';
import type { CallMessage, CancelMessage } from '../protocol/messages.js';
import { ProtocolViolation } from '../protocol/parse.js';
import { isValidURI, quoteURI, type URIValidation } from '../protocol/uri.js';
import { outboundErrorURI } from '../protocol/uri-outbound.js';
import { WampURI } from '../protocol/uris.js';
import type { CallerIdentity } from '../model/payloads.js';
import type { SessionLink } from '../model/ports.js';
import type { Session } from '../model/session.js';
import type { Dealer } from './dealer.js';
import type { RawProcedureHandler } from './procedure.js';
import { CallRequest, type CallRequestInit, type RPCRequest } from './request.js';
import { RPCErrorResult, RPCProgressReport, RPCResult, toCallOutcome, type CallOutcome } from './results.js';
import { clampTimeout } from './timeout.js';
import { callsTraced, traceCall, type CallTrace } from './call-tracing.js';

/**
 * When to send `ERROR wamp.error.canceled` for a CANCEL in a mode other than
 * `kill`: the application's `cancelReply` option (default `auto`, which spares autobahn-js).
 *
 * @example
 * ```ts
 * import { Application, type CancelReplyPolicy } from 'serverwamp';
 *
 * // no autobahn-js clients here: answer every CANCEL with wamp.error.canceled
 * const cancelReply: CancelReplyPolicy = 'always';
 * const app = new Application({ cancelReply });
 * ```
 */
export type CancelReplyPolicy = 'auto' | 'always';

/** Call settings, from the application options. */
export interface CallsOptions {
  readonly uriValidation: URIValidation;
  readonly cancelReply: CancelReplyPolicy;
  readonly maxConcurrentCalls: number;
  readonly defaultCallTimeout: number;
  /** Where calls are counted; undefined when metrics are off. */
  readonly metrics: MetricsSink | undefined;
}

/**
 * The URI sent when a session has too many calls in flight (more than the
 * `maxConcurrentCalls` option, default 1000): the client's call fails with it.
 *
 * @example
 * ```ts
 * import { TOO_MANY_CALLS } from 'serverwamp';
 * import { CallError } from 'serverwamp/client';
 *
 * try {
 *   await api.call('math.add', { number1: 2, number2: 3 });
 * } catch (error) {
 *   if (!(error instanceof CallError) || error.uri !== TOO_MANY_CALLS) throw error;
 *   await new Promise((resolve) => setTimeout(resolve, 500)); // back off, then try again
 * }
 * ```
 */
export const TOO_MANY_CALLS = 'serverwamp.error.too_many_calls';

/** The URI sent for a CALL that arrives while the application is shutting down (`app.close()`). */
export const SHUTTING_DOWN = 'serverwamp.error.shutting_down';

interface ActiveCall {
  readonly requestId: number;
  readonly controller: AbortController;
  readonly receiveProgress: boolean;
  settled: boolean;
  killRequested: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Milliseconds the call may wait for its next result; 0 for no limit. */
  readonly timeout: number;
  /** The counters of the call's route and its start time, for metrics; undefined and 0 when they are off. */
  readonly meter: CallMeter | undefined;
  readonly started: number;
  /** Its `serverwamp:call` trace, when someone subscribes. */
  readonly trace: CallTrace | undefined;
}

const ABORTED = Symbol('aborted');
/** Never written to: a session gets a Map of its own with its first call. */
const NO_CALLS = new Map<number, ActiveCall>();

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> {
  if (signal.aborted) return Promise.resolve(ABORTED);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function'
  );
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

/**
 * Autobahn-js rejects a non-`kill` cancel locally and then treats any later
 * ERROR for that call as a protocol violation (it closes the connection). It
 * sends no `agent` and announces `registration_revocation` as callee.
 */
function rejectsCancelLocally(session: Session): boolean {
  return (
    session.hello.agent === undefined &&
    session.clientSupports('callee', 'registration_revocation') &&
    session.clientSupports('caller', 'call_canceling')
  );
}

/** The route a CALL resolved to; `undefined` with a custom RPC handler. */
type ResolvedProcedure = ReturnType<Dealer['resolve']>;

/** Runs one session's calls. */
export class SessionCalls {
  readonly #session: SessionLink;
  readonly #dealer: Dealer;
  readonly #options: CallsOptions;
  /** The calls in flight; idle sessions share one empty Map (an idle session should cost little). */
  #calls: Map<number, ActiveCall> = NO_CALLS;
  /** The session's caller identity, shared by its requests. */
  #caller: CallerIdentity | undefined;
  /** Resolved when no call is in flight any more; only made while a shutdown waits for it. */
  #idle: (() => void) | undefined;

  constructor(session: SessionLink, dealer: Dealer, options: CallsOptions) {
    this.#session = session;
    this.#dealer = dealer;
    this.#options = options;
  }

  /** How many calls are in flight. */
  get activeCalls(): number {
    return this.#calls.size;
  }

  call(msg: CallMessage): void {
    const { requestId } = msg;
    if (this.#calls.has(requestId)) {
      throw new ProtocolViolation(`CALL request id ${requestId} is already in use by a call in progress`);
    }
    const metrics = this.#options.metrics;
    if (!isValidURI(msg.procedure, this.#options.uriValidation)) {
      metrics?.callMeter(UNKNOWN_PROCEDURE).refused('error', WampURI.INVALID_URI);
      this.#reply(requestId, WampURI.INVALID_URI, [`invalid procedure URI: ${quoteURI(msg.procedure)}`]);
      return;
    }
    const realm = this.#session.realm;
    const custom = this.#dealer.rpcHandler;
    const route = custom === undefined ? this.#dealer.resolve(msg.procedure) : undefined;
    if (custom === undefined && route === undefined) {
      metrics?.callMeter(UNKNOWN_PROCEDURE).refused('error', WampURI.NO_SUCH_PROCEDURE);
      this.#reply(requestId, WampURI.NO_SUCH_PROCEDURE, [`no procedure is registered for ${quoteURI(msg.procedure)}`]);
      return;
    }
    // Labelled by the route's pattern, never the URI called: clients choose URIs, the application chooses routes.
    const meter = metrics?.callMeter(route === undefined ? CUSTOM_PROCEDURE : route.pattern);
    if (this.#calls.size >= this.#options.maxConcurrentCalls) {
      meter?.refused('error', TOO_MANY_CALLS);
      this.#reply(requestId, TOO_MANY_CALLS, [`too many calls in progress (limit ${this.#options.maxConcurrentCalls})`]);
      return;
    }

    // The parser checked the type: a non-negative integer, possibly a BigInt.
    const requested = msg.options['timeout'];
    const callerTimeout = requested === undefined ? 0 : clampTimeout(Number(requested));
    const timeout = clampTimeout(callerTimeout || route?.value.timeout || this.#options.defaultCallTimeout);
    const receiveProgress = msg.options['receive_progress'] === true;
    const call: ActiveCall = {
      requestId,
      controller: new AbortController(),
      receiveProgress,
      settled: false,
      killRequested: false,
      timer: undefined,
      timeout,
      meter,
      started: metrics === undefined ? 0 : metrics.now(),
      trace: callsTraced()
        ? traceCall({
            procedure: msg.procedure,
            route: route?.pattern,
            session: this.#session,
            requestId,
            args: msg.args,
            kwargs: msg.kwargs,
            options: msg.options,
          })
        : undefined,
    };
    if (this.#calls === NO_CALLS) this.#calls = new Map();
    this.#calls.set(requestId, call);
    this.#armTimeout(call);

    const session = this.#session;
    const init: CallRequestInit<unknown> = {
      id: requestId,
      procedure: msg.procedure,
      args: msg.args,
      kwargs: msg.kwargs,
      options: msg.options,
      session,
      caller: (this.#caller ??= { session: session.id, authid: session.authid, authrole: session.authrole }),
      receiveProgress,
      timeout,
      context: realm.context,
      route: route === undefined ? undefined : { pattern: route.pattern, match: route.match },
    };
    const request: RPCRequest = new CallRequest(init, call.controller);
    if (call.trace === undefined) this.#run(call, request, msg, route, custom);
    else call.trace.run(() => this.#run(call, request, msg, route, custom));
  }

  /** Runs the procedure (or the custom handler), through the authorizer if the realm has one. */
  #run(call: ActiveCall, request: RPCRequest, msg: CallMessage, route: ResolvedProcedure, custom: RawProcedureHandler | undefined): void {
    const realm = this.#session.realm;
    let value: unknown;
    try {
      const authorizer = realm.authorizer;
      if (authorizer === undefined) {
        value = route === undefined ? (custom as RawProcedureHandler)(request) : route.value.invoke(request);
      } else {
        const session = this.#session;
        value = authorized(
          authorizer,
          () => ({ session, action: 'call', uri: msg.procedure, match: 'exact', options: msg.options }),
          () => (route === undefined ? (custom as RawProcedureHandler)(request) : route.value.invoke(request)),
        );
      }
    } catch (error) {
      this.#finishThrown(call, error);
      return;
    }
    this.#handleValue(call, value);
  }

  /** Answers a CALL with an error without running it (the application is shutting down). */
  refuse(requestId: number, uri: string, message: string): void {
    if (this.#calls.has(requestId)) {
      throw new ProtocolViolation(`CALL request id ${requestId} is already in use by a call in progress`);
    }
    this.#options.metrics?.callMeter(UNKNOWN_PROCEDURE).refused('error', uri);
    this.#reply(requestId, uri, [message]);
  }

  /** Resolves once no call is in flight (at once if none is). */
  whenIdle(): Promise<void> {
    if (this.#calls.size === 0) return Promise.resolve();
    const previous = this.#idle;
    return new Promise((resolve) => {
      this.#idle = () => {
        previous?.();
        resolve();
      };
    });
  }

  /**
   * Ends every call in flight with `ERROR wamp.error.canceled` and aborts its
   * signal: the shutdown deadline passed, and the caller must not be left waiting.
   */
  cancelAll(message: string): void {
    for (const call of [...this.#calls.values()]) {
      this.#settle(call, build.error(MessageType.CALL, call.requestId, WampURI.CANCELED, [message]));
      call.controller.abort(new DOMException(message, 'AbortError'));
    }
  }

  cancel(msg: CancelMessage): void {
    const call = this.#calls.get(msg.requestId);
    if (call === undefined || call.settled) return; // unknown or finished calls: ignored, per spec
    const mode = msg.options['mode'];
    if (mode === 'kill') {
      // The caller waits for the procedure to finish; a failure then reads as canceled.
      call.killRequested = true;
      call.controller.abort(new DOMException('The call was canceled', 'AbortError'));
      return;
    }
    // skip, killnowait, or no mode: answer now and stop the procedure.
    if (this.#options.cancelReply === 'auto' && rejectsCancelLocally(this.#session)) {
      call.trace?.settled(undefined);
      this.#settleSilently(call, 'error', WampURI.CANCELED);
    } else {
      this.#settle(call, build.error(MessageType.CALL, call.requestId, WampURI.CANCELED, ['the call was canceled']));
    }
    call.controller.abort(new DOMException('The call was canceled', 'AbortError'));
  }

  /** The session ended: abort every call and send nothing more. */
  abortAll(reason: string): void {
    for (const call of this.#calls.values()) {
      call.trace?.settled(undefined);
      this.#settleSilently(call, 'aborted');
      call.controller.abort(new DOMException(reason, 'AbortError'));
    }
    this.#calls.clear();
    this.#notifyIdle();
  }

  #notifyIdle(): void {
    const idle = this.#idle;
    if (idle === undefined || this.#calls.size > 0) return;
    this.#idle = undefined;
    idle();
  }

  #timeOut(call: ActiveCall, timeout: number): void {
    call.timer = undefined;
    if (call.settled) return;
    this.#settle(call, build.error(MessageType.CALL, call.requestId, WampURI.TIMEOUT, [`the call timed out after ${timeout} ms`]));
    call.controller.abort(new DOMException('The call timed out', 'TimeoutError'));
  }

  #handleValue(call: ActiveCall, value: unknown): void {
    if (isAsyncIterable(value)) {
      void this.#iterate(call, value);
    } else if (isPromiseLike(value)) {
      Promise.resolve(value).then(
        (resolved) => this.#handleValue(call, resolved),
        (error: unknown) => this.#finishThrown(call, error),
      );
    } else {
      this.#finish(call, toCallOutcome(value));
    }
  }

  async #iterate(call: ActiveCall, iterable: AsyncIterable<unknown>): Promise<void> {
    let iterator: AsyncIterator<unknown> | undefined;
    let done = false;
    let lastProgress: RPCProgressReport | undefined;
    try {
      iterator = iterable[Symbol.asyncIterator]();
      for (;;) {
        const step = await raceAbort(iterator.next(), call.controller.signal);
        if (step === ABORTED) {
          if (call.killRequested) this.#finish(call, new RPCErrorResult(WampURI.CANCELED, { args: ['the call was canceled'] }));
          return;
        }
        if (step.done === true) {
          done = true;
          this.#finish(call, step.value !== undefined ? toCallOutcome(step.value) : (lastProgress ?? new RPCResult()));
          return;
        }
        const outcome = toCallOutcome(step.value);
        if (outcome instanceof RPCProgressReport) {
          lastProgress = outcome;
          this.#progress(call, outcome);
          continue;
        }
        this.#finish(call, outcome);
        return;
      }
    } catch (error) {
      done = true;
      this.#finishThrown(call, error);
    } finally {
      if (!done && iterator?.return !== undefined) {
        // Close the generator so its finally blocks run; its errors are the app's, logged only.
        Promise.resolve(iterator.return()).catch((error: unknown) => {
          this.#session.logger.warn({ err: error }, 'procedure generator failed while closing');
        });
      }
    }
  }

  #progress(call: ActiveCall, report: RPCProgressReport): void {
    if (call.settled || !call.receiveProgress) return;
    call.trace?.progressed();
    this.#send(call, build.result(call.requestId, { progress: true }, report.args, report.kwargs));
    // Spec, Progressive Call Results, "Timeouts": with progressive results the timeout is the limit
    // between the call and the first result and between results thereafter, not for the whole call.
    // Only when the caller receives them (receive_progress): otherwise the call has one result.
    if (!call.settled) this.#armTimeout(call);
  }

  /**
   * (Re)starts the call's timeout. A new timer rather than `refresh()`: only
   * Node's timers have that method, and a timer created by a fake clock
   * (tests' mock timers) does not honour it.
   */
  #armTimeout(call: ActiveCall): void {
    if (call.timeout <= 0) return;
    if (call.timer !== undefined) clearTimeout(call.timer);
    call.timer = setTimeout(() => this.#timeOut(call, call.timeout), call.timeout);
  }

  #finish(call: ActiveCall, outcome: CallOutcome): void {
    if (outcome instanceof RPCErrorResult) {
      const uri = outboundErrorURI(outcome.uri, this.#session.logger, 'procedure result');
      this.#settle(call, build.error(MessageType.CALL, call.requestId, uri, outcome.args, outcome.kwargs));
    } else {
      this.#settle(call, build.result(call.requestId, {}, outcome.args, outcome.kwargs));
    }
  }

  #finishThrown(call: ActiveCall, error: unknown): void {
    if (call.settled) return;
    call.trace?.failedWith(error);
    if (call.killRequested) {
      this.#settle(call, build.error(MessageType.CALL, call.requestId, WampURI.CANCELED, ['the call was canceled']));
    } else if (error instanceof WampError) {
      const uri = outboundErrorURI(error.uri, this.#session.logger, 'procedure error');
      this.#settle(call, build.error(MessageType.CALL, call.requestId, uri, error.args, error.kwargs));
    } else if (error instanceof RPCErrorResult) {
      this.#finish(call, error);
    } else {
      this.#session.logger.error({ err: error, request: call.requestId }, 'procedure failed');
      this.#settle(call, build.error(MessageType.CALL, call.requestId, WampURI.RUNTIME_ERROR, ['the procedure failed']));
    }
  }

  /** Sends the final reply of a call, once. */
  #settle(call: ActiveCall, message: WampMessage): void {
    if (call.settled) return;
    // Every final reply is built by build.result or build.error: [ERROR, CALL, id, details, uri, …].
    if (message[0] === MessageType.ERROR) this.#settleSilently(call, 'error', message[4] as string);
    else this.#settleSilently(call, 'ok');
    this.#send(call, message);
    // After the send: a reply that could not be serialized was reported as the error sent instead.
    call.trace?.settled(message);
  }

  #settleSilently(call: ActiveCall, end: CallEnd, error?: string): void {
    const meter = call.meter;
    if (meter !== undefined) meter.ended(call.started, end, error);
    call.settled = true;
    if (call.timer !== undefined) clearTimeout(call.timer);
    call.timer = undefined;
    this.#calls.delete(call.requestId);
    this.#notifyIdle();
  }

  #send(call: ActiveCall, message: WampMessage): void {
    try {
      this.#session.send(message);
    } catch (error) {
      // The payload could not be serialized (a BigInt in JSON, a cycle…): tell the caller, not the world.
      this.#session.logger.error({ err: error, request: call.requestId }, 'result could not be serialized');
      if (!call.settled) {
        // A progress report failed: the call ends here.
        this.#settleSilently(call, 'error', WampURI.RUNTIME_ERROR);
        call.controller.abort(new DOMException('The result could not be serialized', 'AbortError'));
      }
      const failure = build.error(MessageType.CALL, call.requestId, WampURI.RUNTIME_ERROR, ['the result could not be serialized']);
      call.trace?.failedWith(error);
      call.trace?.settled(failure);
      this.#session.send(failure);
    }
  }

  /** An error reply for a call that never started. */
  #reply(requestId: number, uri: string, args: unknown[]): void {
    this.#session.send(build.error(MessageType.CALL, requestId, uri, args));
  }
}
