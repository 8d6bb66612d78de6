/**
 * The receiving side of remote sessions: performs, on a session this node
 * holds, an operation another node asked for. Parameters come from another
 * node and are checked before use.
 * @module
 */
import { WampError } from '../errors.js';
import type { CallResult } from '../model/payloads.js';
import type { Session } from '../model/session.js';
import type { Dict } from '../protocol/messages.js';
import { WampURI } from '../protocol/uris.js';
import type { Operation } from './wire.js';
import { isPlainObject } from './wire.js';

/** This node's sessions, as a remote operation finds them. */
export interface LocalSessions {
  get(id: number): Session | undefined;
}

const invalid = (what: string): WampError => new WampError(WampURI.INVALID_ARGUMENT, { args: [`malformed remote ${what}`] });

function optionalString(value: unknown, what: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(what);
  return value;
}

function payload(args: unknown, kwargs: unknown, what: string): { args?: unknown[]; kwargs?: Dict } {
  if ((args !== null && !Array.isArray(args)) || (kwargs !== null && !isPlainObject(kwargs))) throw invalid(what);
  return { ...(args === null ? {} : { args }), ...(kwargs === null ? {} : { kwargs: kwargs as Dict }) };
}

export async function serve(
  local: LocalSessions,
  op: Operation,
  params: readonly unknown[],
  signal: AbortSignal,
  progress: (result: CallResult) => void,
): Promise<unknown> {
  const [sessionId, a, b, c, d, e, f, g] = params;
  const session = typeof sessionId === 'number' ? local.get(sessionId) : undefined;
  if (session === undefined || session.closed) {
    throw new WampError(WampURI.NO_SUCH_SESSION, { args: [`no session ${typeof sessionId === 'number' ? sessionId : 'with that id'}`] });
  }
  switch (op) {
    case 'event':
      if (typeof a !== 'string') throw invalid('event');
      return session.sendEvent(a, payload(b, c, 'event'));
    case 'close':
      session.close(optionalString(a, 'close'), optionalString(b, 'close'));
      return null;
    case 'abort':
      session.abort(optionalString(a, 'abort') ?? WampURI.CLOSE_KILLED, optionalString(b, 'abort'));
      return null;
    case 'call': {
      if (typeof a !== 'string' || (d !== null && (typeof d !== 'number' || !(d >= 0))) || typeof e !== 'boolean') throw invalid('call');
      const result = await session.call(a, {
        ...payload(b, c, 'call'),
        ...(d === null ? {} : { timeout: d }),
        signal,
        ...(e ? { onProgress: progress } : {}),
        // The requester's trace context; session.call sends it on only if it is valid.
        ...(typeof f === 'string' ? { traceparent: f } : {}),
        ...(typeof g === 'string' ? { tracestate: g } : {}),
      });
      return { args: result.args, kwargs: result.kwargs };
    }
    default:
      throw invalid('operation');
  }
}
