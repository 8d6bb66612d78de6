/**
 * The call request a procedure receives alongside its bound parameters.
 * @module
 */
import type { Dict } from '../protocol/messages.js';
import type { MatchPolicy } from '../protocol/uri.js';
import type { CallerIdentity } from '../model/payloads.js';
import type { Session } from '../model/session.js';

/**
 * Everything about one CALL.
 *
 * @example
 * ```ts
 * routes.route('files.read', { params: ['filename'] }, async ({ filename }, request) => {
 *   const peer = request.session.transportInfo.peerAddress;
 *   return readFile(String(filename), { signal: request.signal, encoding: 'utf8' }); // node:fs/promises
 * });
 * ```
 */
export interface RPCRequest<Context = unknown> {
  /** The CALL's request id (session scope). */
  readonly id: number;
  /** The procedure URI the caller called (concrete, even for prefix/wildcard routes). */
  readonly procedure: string;
  /** Positional arguments as deserialized. */
  readonly args: readonly unknown[];
  /** Keyword arguments as deserialized. */
  readonly kwargs: Readonly<Dict>;
  /** The CALL.Options dict. */
  readonly options: Readonly<Dict>;
  /** The calling session. */
  readonly session: Session;
  /** The caller's identity (session id, authid, authrole). */
  readonly caller: CallerIdentity;
  /** Aborted when the call is canceled, times out, or the caller goes away. */
  readonly signal: AbortSignal;
  /** Whether the caller asked for progressive results (`receive_progress`). */
  readonly receiveProgress: boolean;
  /** The effective timeout in milliseconds; 0 for none. */
  readonly timeout: number;
  /**
   * Application-wide values (a database handle, a subscriber set…) given once
   * as the `context` option of the application, or set on a realm.
   */
  readonly context: Context;
  /** The route that matched, with its pattern and match policy; absent for a custom RPC handler. */
  readonly route?: {
    /** The route's URI or pattern, e.g. `users..profile`. */
    readonly pattern: string;
    /** How the pattern matches: `exact`, `prefix` or `wildcard`. */
    readonly match: MatchPolicy;
  };
}

/** What the dealer knows of a call when it builds its {@link CallRequest}. */
export type CallRequestInit<Context> = Omit<RPCRequest<Context>, 'signal' | 'route'> & {
  readonly route: RPCRequest['route'] | undefined;
};

/**
 * @internal The {@link RPCRequest} the dealer hands to procedures. Its
 * `signal` is read from the call's AbortController on first use, so that the
 * AbortSignal (costly to create) exists only for procedures that read it.
 */
export class CallRequest<Context = unknown> implements RPCRequest<Context> {
  readonly id: number;
  readonly procedure: string;
  readonly args: readonly unknown[];
  readonly kwargs: Readonly<Dict>;
  readonly options: Readonly<Dict>;
  readonly session: Session;
  readonly caller: CallerIdentity;
  readonly receiveProgress: boolean;
  readonly timeout: number;
  readonly context: Context;
  readonly route?: { readonly pattern: string; readonly match: MatchPolicy };
  readonly #controller: AbortController;

  constructor(init: CallRequestInit<Context>, controller: AbortController) {
    this.id = init.id;
    this.procedure = init.procedure;
    this.args = init.args;
    this.kwargs = init.kwargs;
    this.options = init.options;
    this.session = init.session;
    this.caller = init.caller;
    this.receiveProgress = init.receiveProgress;
    this.timeout = init.timeout;
    this.context = init.context;
    if (init.route !== undefined) this.route = init.route;
    this.#controller = controller;
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }
}
