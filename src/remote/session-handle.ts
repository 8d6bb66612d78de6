/**
 * {@link SessionHandle}: a session addressed by id, whether this node or
 * another node of the cluster holds it (`app.session(id)`).
 * @module
 */
import { ServerwampError, WampError } from '../errors.js';
import type { CallResult, EventPayload, SessionCallOptions } from '../model/payloads.js';
import type { Session } from '../model/session.js';
import { isValidURI } from '../protocol/uri.js';
import { WampURI } from '../protocol/uris.js';
import { traceRemoteCall } from './remote-call-tracing.js';
import { REMOTE_TIMEOUT_MS, type RemoteSessions } from './remote-sessions.js';

/**
 * A session of the cluster. Every method returns a promise: for a remote
 * session it is a request to the node that holds it, executed there at most
 * once. Failures are `WampError`s: `wamp.error.no_such_session` (the session
 * ended), `wamp.error.timeout`, `wamp.error.canceled`, and
 * `serverwamp.error.node_unreachable` (the backplane is down, or the node
 * died or left); invalid URIs and options reject with a `ServerwampError`.
 *
 * @example
 * ```ts
 * import type { SessionHandle } from 'serverwamp';
 *
 * // The same code whether this node or another one holds the session:
 * const handle: SessionHandle | undefined = await app.session(id);
 * if (handle !== undefined) {
 *   const { args } = await handle.call('ui.confirm', { args: ['Delete 3 files?'], timeout: 10_000 });
 *   if (args[0] === true) await handle.sendEvent('files.deleted', { args: [ids] });
 * }
 * ```
 */
export interface SessionHandle {
  /** The session's id. */
  readonly id: number;
  /** The node holding the session (`app.nodeId` when it is this one). */
  readonly nodeId: string;
  /** The session itself when this node holds it; undefined for a remote one. */
  readonly session: Session | undefined;
  /** `session.sendEvent` on the holding node: resolves to whether an EVENT was queued. */
  sendEvent(topic: string, payload?: EventPayload): Promise<boolean>;
  /** Ends the session with GOODBYE (`session.close`). */
  close(reason?: string, message?: string): Promise<void>;
  /** Ends the session with ABORT (`session.abort`); the reason defaults to `wamp.close.killed`. */
  abort(reason?: string, message?: string): Promise<void>;
  /**
   * Calls a procedure the session's client registered (`session.call`),
   * progress, timeout and cancellation included. A remote call without a
   * `timeout` fails with `serverwamp.error.node_unreachable` once its node
   * leaves the cluster listing.
   */
  call(procedure: string, options?: SessionCallOptions): Promise<CallResult>;
}

/** A handle on a session this node holds. */
export function localHandle(session: Session, nodeId: string): SessionHandle {
  const run = <T>(operation: () => T): Promise<T> => {
    try {
      return Promise.resolve(operation());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  };
  return {
    id: session.id,
    nodeId,
    session,
    sendEvent: (topic, payload) => run(() => session.sendEvent(topic, payload)),
    close: (reason, message) => run(() => session.close(reason, message)),
    abort: (reason, message) => run(() => session.abort(reason ?? WampURI.CLOSE_KILLED, message)),
    call: (procedure, options) => session.call(procedure, options),
  };
}

/** Checked here, so that misuse fails on the calling node, as for a local session. */
function checkURI(uri: string | undefined, what: string): void {
  if (uri !== undefined && (typeof uri !== 'string' || !isValidURI(uri))) {
    throw new ServerwampError('ERR_INVALID_URI', `${what} must be a valid WAMP URI`);
  }
}

function checkTimeout(timeout: unknown): number {
  if (timeout === undefined) return 0;
  if (typeof timeout !== 'number' || !(timeout >= 0) || !Number.isFinite(timeout)) {
    throw new ServerwampError('ERR_INVALID_OPTION', 'session.call: timeout must be a non-negative number of milliseconds');
  }
  return timeout;
}

/** A handle on a session node `nodeId` holds. */
export function remoteHandle(id: number, nodeId: string, remote: RemoteSessions): SessionHandle {
  const request = (op: 'event' | 'close' | 'abort', params: readonly unknown[]): Promise<unknown> =>
    remote.request(nodeId, op, [id, ...params], { timeout: REMOTE_TIMEOUT_MS });
  const checked = async <T>(check: () => void, operation: () => Promise<T>): Promise<T> => {
    check();
    return operation();
  };
  return {
    id,
    nodeId,
    session: undefined,
    sendEvent: (topic, payload = {}) =>
      checked(
        () => checkURI(topic, 'sendEvent: the topic'),
        async () => (await request('event', [topic, payload.args ?? null, payload.kwargs ?? null])) === true,
      ),
    close: (reason, message) =>
      checked(
        () => checkURI(reason, 'close: the reason'),
        async () => void (await request('close', [reason ?? null, message ?? null])),
      ),
    abort: (reason, message) =>
      checked(
        () => checkURI(reason, 'abort: the reason'),
        async () => void (await request('abort', [reason ?? null, message ?? null])),
      ),
    call: (procedure, options = {}) =>
      checked(
        () => checkURI(procedure, 'session.call: the procedure'),
        () => {
          const timeout = checkTimeout(options.timeout);
          return traceRemoteCall({ procedure, sessionId: id, nodeId, options }, async (traceparent, tracestate, onProgress) => {
            const params = [id, procedure, options.args ?? null, options.kwargs ?? null, timeout === 0 ? null : timeout, onProgress !== undefined, traceparent ?? null, tracestate ?? null];
            const value = await remote.request(nodeId, 'call', params, { timeout, signal: options.signal, onProgress });
            const result = value as { args?: unknown; kwargs?: unknown } | null;
            if (result === null || typeof result !== 'object' || !Array.isArray(result.args) || typeof result.kwargs !== 'object' || result.kwargs === null) {
              throw new WampError(WampURI.RUNTIME_ERROR, { args: ['the remote node answered with a malformed result'] });
            }
            return { args: result.args, kwargs: result.kwargs as CallResult['kwargs'] };
          });
        },
      ),
  };
}
