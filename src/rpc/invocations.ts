/**
 * {@link Invocations}: the application calling one session's client
 * (`session.call`), the way socket.io's `emitWithAck` asks a client and
 * awaits its answer. Each call is an INVOCATION of a procedure the client
 * registered; it settles exactly once: with the callee's final YIELD or
 * ERROR, locally on timeout or abort, or when the session ends. A callee's
 * answer to an invocation settled locally is ignored, not a protocol
 * violation; an answer to an invocation never sent is one.
 * @module
 */
import { ServerwampError, WampError } from '../errors.js';
import type { CallEnd, MetricsSink } from '../metrics/sink.js';
import { build } from '../protocol/build.js';
import type { Dict, ErrorMessage, YieldMessage } from '../protocol/messages.js';
import { ProtocolViolation } from '../protocol/parse.js';
import { isValidURI } from '../protocol/uri.js';
import { WampURI } from '../protocol/uris.js';
import type { CallResult, SessionCallOptions } from '../model/payloads.js';
import type { SessionLink } from '../model/ports.js';
import type { Session } from '../model/session.js';
import type { CalleeRegistry } from './callee-registry.js';
import { clampTimeout } from './timeout.js';
import { InvocationTrace, invocationsTraced } from './invocation-tracing.js';
import { writeTraceHeaders } from '../tracing/trace-context.js';

/**
 * The URI `session.call` rejects with when the session already has
 * `maxPendingInvocations` calls awaiting their answer (default 1000).
 *
 * @example
 * ```ts
 * import { TOO_MANY_INVOCATIONS, WampError } from 'serverwamp';
 *
 * try {
 *   await session.call('ui.toast', { args: ['Saved'] });
 * } catch (error) {
 *   if (error instanceof WampError && error.uri === TOO_MANY_INVOCATIONS) session.logger.warn('client is not answering');
 *   else throw error;
 * }
 * ```
 */
export const TOO_MANY_INVOCATIONS = 'serverwamp.error.too_many_invocations';

/** Invocation settings, from the application options. */
export interface InvocationOptions {
  readonly maxPendingInvocations: number;
  /** Where server→client calls are counted; undefined when metrics are off. */
  readonly metrics: MetricsSink | undefined;
}

interface PendingInvocation {
  readonly requestId: number;
  readonly resolve: (result: CallResult) => void;
  readonly reject: (error: unknown) => void;
  readonly onProgress: ((progress: CallResult) => void) | undefined;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
  /** Its `serverwamp:session.call` trace, when someone subscribes. */
  readonly trace: InvocationTrace | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** How many locally settled invocation ids a session remembers, so late answers to them are ignored. */
const ABANDONED_LIMIT = 1024;
/** Invocation ids are session-scope; kept below 2^32 so every serializer keeps them integers. */
const MAX_INVOCATION_ID = 0xffffffff;

function sessionEnded(): WampError {
  return new WampError(WampURI.CANCELED, { args: ['the session ended'] });
}

/**
 * The rejection of a call that reaches no registration: the session has
 * ended, the URI is invalid, or the client registered nothing matching it.
 */
export function unreachableCall(session: Session, procedure: string): Promise<never> {
  if (session.closed) return Promise.reject(sessionEnded());
  if (typeof procedure !== 'string' || !isValidURI(procedure, 'loose')) {
    return Promise.reject(new ServerwampError('ERR_INVALID_URI', `${JSON.stringify(procedure)} is not a valid procedure URI`));
  }
  return Promise.reject(new WampError(WampURI.NO_SUCH_PROCEDURE, { args: [`the session registered no procedure for ${procedure}`] }));
}

function validTimeout(timeout: unknown): timeout is number {
  return typeof timeout === 'number' && Number.isFinite(timeout) && timeout >= 0;
}

/** One session's calls to its client. */
export class Invocations {
  /** The procedures the client registered. */
  readonly registrations: CalleeRegistry;
  readonly #session: SessionLink;
  readonly #options: InvocationOptions;
  readonly #pending = new Map<number, PendingInvocation>();
  /** Ids given up locally (timeout, abort) whose callee may still answer; oldest first, bounded. */
  readonly #abandoned = new Set<number>();
  #lastId = 0;

  constructor(session: SessionLink, registrations: CalleeRegistry, options: InvocationOptions) {
    this.#session = session;
    this.registrations = registrations;
    this.#options = options;
  }

  /** How many calls to the client wait for its answer. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /** See `Session.call`. */
  call(procedure: string, options: SessionCallOptions = {}): Promise<CallResult> {
    const session = this.#session;
    const route =
      session.closed || typeof procedure !== 'string' || !isValidURI(procedure, 'loose')
        ? undefined
        : this.registrations.resolve(procedure);
    if (route === undefined) return unreachableCall(session, procedure);
    const { signal, onProgress, timeout = 0 } = options;
    if (!validTimeout(timeout)) {
      return Promise.reject(new ServerwampError('ERR_INVALID_OPTION', 'timeout must be a non-negative number of milliseconds'));
    }
    if (signal?.aborted === true) return Promise.reject(new WampError(WampURI.CANCELED, { args: ['the call was canceled'] }));
    if (this.#pending.size >= this.#options.maxPendingInvocations) {
      return Promise.reject(
        new WampError(TOO_MANY_INVOCATIONS, { args: [`too many calls to this session in flight (limit ${this.#options.maxPendingInvocations})`] }),
      );
    }

    const requestId = this.#nextId();
    const details: Dict = {};
    // The client needs the concrete URI only when it registered a pattern.
    if (route.match !== 'exact') details['procedure'] = procedure;
    // Autobahn-js gives its procedure a progress function only when asked.
    if (onProgress !== undefined) details['receive_progress'] = true;
    const trace = invocationsTraced()
      ? new InvocationTrace({ procedure, route: route.pattern, session, requestId, args: options.args, kwargs: options.kwargs, traceparent: options.traceparent, tracestate: options.tracestate })
      : undefined;
    if (trace === undefined) writeTraceHeaders(details, options.traceparent, options.tracestate);
    try {
      // Sent before anything is pending: a payload the serializer refuses rejects the call and leaves no trace.
      if (trace === undefined) session.send(build.invocation(requestId, route.value.id, details, options.args, options.kwargs));
      else trace.send(details, () => session.send(build.invocation(requestId, route.value.id, details, options.args, options.kwargs)));
    } catch (error) {
      return Promise.reject(error);
    }
    // Sending can end the session (a slow consumer's connection is dropped).
    if (session.closed) {
      const ended = sessionEnded();
      trace?.rejected(ended);
      return Promise.reject(ended);
    }

    return new Promise<CallResult>((resolve, reject) => {
      const invocation: PendingInvocation = {
        requestId,
        resolve: trace === undefined ? resolve : (result) => (trace.resolved(result), resolve(result)),
        reject: trace === undefined ? reject : (error) => (trace.rejected(error), reject(error)),
        trace,
        onProgress,
        signal,
        onAbort: () => this.#giveUp(invocation, new WampError(WampURI.CANCELED, { args: ['the call was canceled'] })),
        timer: undefined,
      };
      this.#pending.set(requestId, invocation);
      if (timeout > 0) {
        invocation.timer = setTimeout(
          () => this.#giveUp(invocation, new WampError(WampURI.TIMEOUT, { args: [`the call timed out after ${timeout} ms`] })),
          clampTimeout(timeout),
        );
      }
      signal?.addEventListener('abort', invocation.onAbort, { once: true });
    });
  }

  /** A YIELD from the callee: a progressive result, or the final one. */
  yield(msg: YieldMessage): void {
    const progress = msg.options['progress'] === true;
    const invocation = this.#answered(msg.requestId, 'YIELD', progress);
    if (invocation === undefined) return;
    const result: CallResult = { args: msg.args, kwargs: msg.kwargs };
    if (!progress) {
      this.#settle(invocation, 'ok');
      invocation.resolve(result);
      return;
    }
    invocation.trace?.progressed();
    // Progress nobody asked for is dropped; a failing listener is the application's, logged only.
    try {
      invocation.onProgress?.(result);
    } catch (error) {
      this.#session.logger.error({ err: error, invocation: msg.requestId }, 'onProgress failed');
    }
  }

  /** An ERROR for an INVOCATION: the callee's procedure failed. */
  error(msg: ErrorMessage): void {
    const invocation = this.#answered(msg.requestId, 'ERROR', false);
    if (invocation === undefined) return;
    this.#settle(invocation, 'error', msg.error);
    invocation.reject(new WampError(msg.error, { args: msg.args, kwargs: msg.kwargs }));
  }

  /** The session ended: every pending call is rejected, and nothing more is sent. */
  end(): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    this.#abandoned.clear();
    for (const invocation of pending) {
      this.#settle(invocation, 'aborted');
      invocation.reject(sessionEnded());
    }
  }

  /**
   * The pending invocation an answer is for; `undefined` for a late answer
   * to one given up (the last such answer is forgotten with it). Anything
   * else is a protocol violation.
   */
  #answered(requestId: number, what: string, progress: boolean): PendingInvocation | undefined {
    const invocation = this.#pending.get(requestId);
    if (invocation !== undefined) return invocation;
    if (this.#abandoned.has(requestId)) {
      if (!progress) this.#abandoned.delete(requestId);
      return undefined;
    }
    throw new ProtocolViolation(`${what} for unknown invocation ${requestId}`);
  }

  /** Timeout or abort: reject now, interrupt the callee if it can be, and ignore its late answer. */
  #giveUp(invocation: PendingInvocation, reason: WampError): void {
    if (this.#pending.get(invocation.requestId) !== invocation) return;
    this.#settle(invocation, 'error', reason.uri);
    this.#abandoned.add(invocation.requestId);
    if (this.#abandoned.size > ABANDONED_LIMIT) this.#abandoned.delete(this.#abandoned.values().next().value!);
    // Autobahn-js and wampy abort the session on INTERRUPT: only callees announcing call_canceling get one.
    if (this.#session.clientSupports('callee', 'call_canceling')) {
      this.#session.send(build.interrupt(invocation.requestId, { mode: 'killnowait' }));
    }
    invocation.reject(reason);
  }

  #settle(invocation: PendingInvocation, end: CallEnd, error?: string): void {
    this.#options.metrics?.serverCallEnded(end, error);
    this.#pending.delete(invocation.requestId);
    if (invocation.timer !== undefined) clearTimeout(invocation.timer);
    invocation.timer = undefined;
    invocation.signal?.removeEventListener('abort', invocation.onAbort);
  }

  #nextId(): number {
    let id = this.#lastId;
    do {
      id = id >= MAX_INVOCATION_ID ? 1 : id + 1;
    } while (this.#pending.has(id));
    this.#lastId = id;
    return id;
  }
}
