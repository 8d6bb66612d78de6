/**
 * {@link RemoteSessions}: operations on sessions another node holds, as
 * requests to that node's inbox and replies correlated by request id. Each
 * request is sent once and executed at most once; its promise settles with
 * the reply, or fails with a documented WAMP error when the node cannot be
 * reached, the timeout expires or the signal aborts — it never waits for a
 * reply that cannot come (see docs/scaling.md, "Remote sessions").
 * @module
 */
import { ServerwampError, WampError, type ServerwampErrorCode } from '../errors.js';
import type { Backplane } from '../events/backplane.js';
import type { Logger } from '../logger.js';
import type { CallResult } from '../model/payloads.js';
import type { Dict } from '../protocol/messages.js';
import { decodeWire, encodeWire, isPlainObject, type Failure, type Operation, type WireMessage } from './wire.js';
import { serve } from './serve.js';

/**
 * A node is not reachable: Redis is down, or the node died or left.
 *
 * @example
 * ```ts
 * import { NODE_UNREACHABLE, WampError } from 'serverwamp';
 *
 * try {
 *   const handle = await app.session(id);
 *   await handle?.sendEvent('user.notice', { args: ['Your export is ready'] });
 * } catch (error) {
 *   // The backplane is down, or the node holding the session died or left.
 *   if (error instanceof WampError && error.uri === NODE_UNREACHABLE) console.warn(`session ${id}: not notified`);
 *   else throw error;
 * }
 * ```
 */
export const NODE_UNREACHABLE = 'serverwamp.error.node_unreachable';
/** How long an operation other than a call waits for its reply, in ms. */
export const REMOTE_TIMEOUT_MS = 5000;
/** How often pending requests are checked against the live nodes, in ms. */
const SWEEP_MS = 1000;
/** How many requesting nodes' highest request ids a node remembers (the oldest forgotten first). */
const MAX_REQUESTERS = 4096;

export interface RequestOptions {
  /** Milliseconds until the request fails with `wamp.error.timeout`; 0 for none. */
  readonly timeout: number;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((result: CallResult) => void) | undefined;
}

/** What remote sessions need of the application. */
export interface RemoteHost {
  readonly nodeId: string;
  readonly logger: Logger;
  readonly backplane: Backplane;
  /** Performs a request another node sent; see serve.ts. */
  readonly local: Parameters<typeof serve>[0];
  /** Answers another node's session meta question: `[realm, ...question]`. */
  meta(params: readonly unknown[]): unknown;
}

interface Pending {
  readonly nodeId: string;
  /** Sweeps in a row that did not find the node listed. */
  missed: number;
  readonly onProgress: ((result: CallResult) => void) | undefined;
  settle(error: unknown, value?: unknown): void;
}

export function unreachable(detail: string): WampError {
  return new WampError(NODE_UNREACHABLE, { args: [detail] });
}

function failureOf(value: unknown): Error {
  if (Array.isArray(value) && value[0] === 'wamp' && typeof value[1] === 'string' && value[1] !== '') {
    const [, uri, args, kwargs] = value as unknown[];
    return new WampError(uri as string, {
      ...(Array.isArray(args) ? { args } : {}),
      ...(isPlainObject(kwargs) ? { kwargs } : {}),
    });
  }
  if (Array.isArray(value) && value[0] === 'serverwamp' && typeof value[1] === 'string' && typeof value[2] === 'string') {
    return new ServerwampError(value[1] as ServerwampErrorCode, value[2].slice(0, 1000));
  }
  return new WampError('wamp.error.runtime_error', { args: ['the remote node answered with a malformed error'] });
}

export class RemoteSessions {
  readonly #host: RemoteHost;
  readonly #pending = new Map<number, Pending>();
  /** Calls this node performs for others, by `${from}\n${id}`: what a cancel aborts. */
  readonly #serving = new Map<string, AbortController>();
  /**
   * Per requesting node, the highest request id received. A node numbers its
   * requests in increasing order and sends them over one connection, which
   * keeps their order: an id not above the highest was received before (a
   * replay) or overtaken, and is never performed.
   */
  readonly #highest = new Map<string, number>();
  #nextId = 0;
  #sweep: ReturnType<typeof setInterval> | undefined;

  constructor(host: RemoteHost) {
    this.#host = host;
  }

  /** Requests awaiting a reply, and calls run here for other nodes. */
  get inFlight(): number {
    return this.#pending.size + this.#serving.size;
  }

  /** Sends `op` to `nodeId` and resolves with its result. */
  request(nodeId: string, op: Operation, params: readonly unknown[], options: RequestOptions): Promise<unknown> {
    const send = this.#host.backplane.sendToNode;
    if (send === undefined) return Promise.reject(unreachable('the backplane cannot reach other nodes'));
    const { signal } = options;
    if (signal?.aborted === true) return Promise.reject(new WampError('wamp.error.canceled', { args: ['the call was canceled'] }));
    const id = ++this.#nextId;
    return new Promise((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const giveUp = (error: WampError): void => {
        if (!this.#pending.has(id)) return;
        pending.settle(error);
        // Tells the node to stop the call; lost if the node is gone, which is fine.
        void this.#send(nodeId, { kind: 'cancel', id }).catch(() => undefined);
      };
      const onAbort = (): void => giveUp(new WampError('wamp.error.canceled', { args: ['the call was canceled'] }));
      const pending: Pending = {
        nodeId,
        missed: 0,
        onProgress: options.onProgress,
        settle: (error, value) => {
          if (!this.#pending.delete(id)) return;
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          if (this.#pending.size === 0) this.#stopSweep();
          if (error === undefined) resolve(value);
          else reject(error instanceof Error ? error : new Error(String(error)));
        },
      };
      this.#pending.set(id, pending);
      if (options.timeout > 0) {
        timer = setTimeout(() => giveUp(new WampError('wamp.error.timeout', { args: [`no answer within ${options.timeout} ms`] })), options.timeout);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#startSweep();
      this.#send(nodeId, { kind: 'request', id, op, params }).then(
        (received) => {
          if (!received) pending.settle(unreachable('the node holding the session did not receive the request'));
        },
        () => pending.settle(unreachable('the backplane could not send the request')),
      );
    });
  }

  /** A message from another node ({@link Backplane.sendToNode}). */
  receive(from: string, text: string): void {
    let message: WireMessage;
    try {
      message = decodeWire(text);
    } catch (error) {
      this.#host.logger.warn({ err: error instanceof Error ? error.message : 'malformed', from }, 'ignored a malformed message from another node');
      return;
    }
    switch (message.kind) {
      case 'reply': {
        const pending = this.#pending.get(message.id);
        // A late reply (after a timeout), or one from another node than asked: ignored.
        if (pending === undefined || pending.nodeId !== from) return;
        if (message.ok) pending.settle(undefined, message.value);
        else pending.settle(failureOf(message.value));
        return;
      }
      case 'progress': {
        const pending = this.#pending.get(message.id);
        if (pending === undefined || pending.nodeId !== from) return;
        try {
          pending.onProgress?.({ args: message.args, kwargs: message.kwargs as Dict });
        } catch (error) {
          this.#host.logger.error({ err: error }, 'onProgress threw');
        }
        return;
      }
      case 'cancel':
        this.#serving.get(`${from}\n${message.id}`)?.abort();
        return;
      case 'request':
        this.#serveRequest(from, message.id, message.op, message.params);
    }
  }

  /** Fails every pending request: the application is closing. */
  close(): void {
    for (const pending of [...this.#pending.values()]) pending.settle(unreachable('the application closed'));
    for (const controller of this.#serving.values()) controller.abort();
    this.#serving.clear();
  }

  #serveRequest(from: string, id: number, op: Operation, params: readonly unknown[]): void {
    const key = `${from}\n${id}`;
    if (this.#serving.has(key)) return; // A duplicate of a request in progress: its reply will come.
    const highest = this.#highest.get(from);
    if (highest !== undefined && id <= highest) {
      // Answered, so that a request overtaken by a later one fails at once rather than at its timeout; the requester ignores the reply to a request it has settled.
      this.#reply(from, id, false, ['wamp', NODE_UNREACHABLE, ['the request was received twice or out of order, and not performed'], null]);
      return;
    }
    this.#highest.delete(from);
    this.#highest.set(from, id);
    if (this.#highest.size > MAX_REQUESTERS) this.#highest.delete(this.#highest.keys().next().value!);
    const controller = new AbortController();
    this.#serving.set(key, controller);
    const progress = (result: CallResult): void => {
      void this.#send(from, { kind: 'progress', id, args: result.args, kwargs: result.kwargs }).catch(() => undefined);
    };
    const performed =
      op === 'meta' ? Promise.resolve().then(() => this.#host.meta(params)) : serve(this.#host.local, op, params, controller.signal, progress);
    performed.then(
      (value) => this.#reply(from, id, true, value),
      (error: unknown) => this.#reply(from, id, false, this.#failure(error)),
    ).finally(() => this.#serving.delete(key));
  }

  #failure(error: unknown): Failure {
    if (error instanceof WampError) return ['wamp', error.uri, error.args ?? null, (error.kwargs as Record<string, unknown> | undefined) ?? null];
    if (error instanceof ServerwampError) return ['serverwamp', error.code, error.message];
    this.#host.logger.error({ err: error }, 'a remote session operation failed');
    return ['wamp', 'wamp.error.runtime_error', null, null];
  }

  #reply(to: string, id: number, ok: boolean, value: unknown): void {
    this.#send(to, { kind: 'reply', id, ok, value }).then(
      (received) => {
        if (!received) this.#host.logger.warn({ to }, 'the reply to a remote session operation was not received');
      },
      (error: unknown) => this.#host.logger.warn({ err: error, to }, 'the reply to a remote session operation was not sent'),
    );
  }

  async #send(nodeId: string, message: WireMessage): Promise<boolean> {
    const send = this.#host.backplane.sendToNode;
    if (send === undefined) return false;
    return send.call(this.#host.backplane, nodeId, encodeWire(message));
  }

  /** Fails the requests to nodes that left the listing: their replies cannot come. */
  #startSweep(): void {
    if (this.#sweep !== undefined) return;
    this.#sweep = setInterval(() => {
      const { nodes: live, health } = this.#host.backplane;
      if (live === undefined && health === undefined) return;
      for (const pending of [...this.#pending.values()]) {
        // Twice in a row: a node that just started may not be listed here for a heartbeat, and a blip may pass.
        const reachable = health !== 'degraded' && (live === undefined || live.includes(pending.nodeId));
        pending.missed = reachable ? 0 : pending.missed + 1;
        if (pending.missed >= 2) pending.settle(unreachable(health === 'degraded' ? 'the backplane is down' : 'the node holding the session left the cluster'));
      }
    }, SWEEP_MS);
    (this.#sweep as { unref?: () => void }).unref?.();
  }

  #stopSweep(): void {
    clearInterval(this.#sweep);
    this.#sweep = undefined;
  }
}
