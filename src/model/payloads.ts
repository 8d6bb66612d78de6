/**
 * Payloads and identities that handlers exchange with sessions: an event's
 * payload, a caller's identity, and the server calling a client
 * (`session.call`).
 * @module
 */
import type { Dict } from '../protocol/messages.js';

/**
 * The payload of an event: what `session.sendEvent` sends and a publish
 * handler's `request.forward` may replace.
 *
 * @example
 * ```ts
 * import type { EventPayload } from 'serverwamp';
 *
 * const tick: EventPayload = { args: [symbol], kwargs: { price } };
 * for (const subscriber of subscribers) subscriber.sendEvent('stock.ticks', tick);
 * ```
 */
export interface EventPayload {
  /** The event's positional arguments. */
  readonly args?: readonly unknown[];
  /** The event's keyword arguments. */
  readonly kwargs?: Readonly<Dict>;
}

/**
 * Who is calling: always known to server-side procedures (WAMP caller
 * identification), as `request.caller`. A publish handler's `request.publisher` has the same shape.
 *
 * @example
 * ```ts
 * import { WampError, type CallerIdentity } from 'serverwamp';
 *
 * routes.route('docs.delete', { params: ['id'] }, ({ id }, request) => {
 *   const caller: CallerIdentity = request.caller;
 *   if (caller.authrole !== 'editor') throw new WampError('wamp.error.not_authorized', { args: [`${caller.authid} may not delete`] });
 *   return files.delete([String(id)]);
 * });
 * ```
 */
export interface CallerIdentity {
  /** The caller's WAMP session id. */
  readonly session: number;
  /** The caller's authid. */
  readonly authid: string;
  /** The caller's authrole. */
  readonly authrole: string;
}

/**
 * What a client's procedure answered (its YIELD), final or progressive:
 * what `session.call` resolves to and `onProgress` receives.
 * It fits `new RPCResult(result)`, to pass it on as a procedure's result.
 *
 * @example
 * ```ts
 * import { RPCResult, type CallResult } from 'serverwamp';
 *
 * routes.route('ui.ask', async (request) => {
 *   const answer: CallResult = await request.session.call('ui.confirm', { args: ['Proceed?'] });
 *   return new RPCResult(answer); // the client's answer, passed on to our caller
 * });
 * ```
 */
export interface CallResult {
  /** The positional arguments of the client's YIELD. */
  readonly args: readonly unknown[];
  /** The keyword arguments of the client's YIELD. */
  readonly kwargs: Readonly<Dict>;
}

/**
 * Options of `session.call`.
 *
 * @example
 * ```ts
 * const result = await session.call('ui.confirm', {
 *   args: ['Delete 3 files?'],
 *   timeout: 10_000,
 *   signal: request.signal,                       // gives up when the client's own call is cancelled
 *   onProgress: (progress) => console.log(progress.kwargs),
 * });
 * ```
 */
export interface SessionCallOptions {
  /** Positional arguments of the INVOCATION. */
  args?: readonly unknown[];
  /** Keyword arguments of the INVOCATION. */
  kwargs?: Readonly<Dict>;
  /**
   * Milliseconds until the call is given up with `wamp.error.timeout` (the
   * whole call, progress included); 0 or absent for none.
   */
  timeout?: number;
  /** Gives the call up with `wamp.error.canceled` when aborted. */
  signal?: AbortSignal;
  /**
   * Receives progressive results (`YIELD.Options.progress`). Only with it is
   * the client asked for them (`INVOCATION.Details.receive_progress`).
   */
  onProgress?: (progress: CallResult) => void;
  /**
   * W3C trace context the INVOCATION continues, sent to the client as
   * `_traceparent` (and `_tracestate`) when valid, invalid values left out.
   * A `serverwamp:session.call` subscriber sees it and may replace it with its
   * own span's; across nodes, `app.session(id).call` carries it for you.
   */
  traceparent?: string;
  /** The `tracestate` that goes with {@link SessionCallOptions.traceparent}. */
  tracestate?: string;
}
