/**
 * The page's only contact with its WAMP client library: autobahn-js (the
 * browser build, loaded as the global `autobahn`). The page talks to the
 * server through the typed facade (`typedSession<DemoAPI>`, src/client,
 * bundled with the page), and through the raw session only where the facade
 * cannot say what the page needs: see {@link RawSession}.
 */
import { CallError, typedSession, type TypedSession } from '../../src/client/index.js';
import type { DemoAPI } from '../demo-api.js';

export { CallError };

/** An EVENT as the page sees it: positional and keyword arguments. */
export interface DemoEvent {
  args: unknown[];
  kwargs: Record<string, unknown>;
  /** Who published it, when the publisher disclosed itself. */
  publisherName: string | undefined;
}

/**
 * What the typed facade does not cover, on the raw autobahn-js session:
 * - `chat.room`: the page publishes positional arguments with `disclose_me`
 *   and shows the sender's `publisher_authid`; the facade publishes keyword
 *   arguments only and hands a subscriber no EVENT details, and the other
 *   demo clients and tests rely on the positional form;
 * - `hourly.updates`: the Python serverwamp docs' event, a positional string;
 * - the session meta API (`wamp.session.*`): built into the application, not
 *   a route set, so `DemoAPI` cannot name it.
 * Errors are the facade's {@link CallError}, so the page shows every error alike.
 */
export interface RawSession {
  call(procedure: string, args?: unknown[]): Promise<unknown[]>;
  subscribe(topic: string, handler: (event: DemoEvent) => void): Promise<void>;
  /** Publishes to the other subscribers (not back to this page), acknowledged, under this session's name. */
  publish(topic: string, args: unknown[]): Promise<void>;
}

export interface DemoSession {
  readonly id: number;
  readonly authid: string;
  /** The demo's procedures and topics, typed from the server's routes. */
  readonly api: TypedSession<DemoAPI>;
  readonly raw: RawSession;
}

/** Why the session closed, and whether the client will try again by itself. */
export interface CloseInfo {
  reason: string;
  message: string | undefined;
  willRetry: boolean;
}

export interface ConnectOptions {
  url: string;
  realm: string;
  /** The name to ask for, sent as HELLO.Details.authid. */
  authid: string | undefined;
  onOpen(session: DemoSession): void | Promise<void>;
  onClose(info: CloseInfo): void;
}

// What the page uses of autobahn-js's browser build (typedSession takes the session as it is).
interface AutobahnSession {
  id: number;
  call(procedure: string, args?: unknown[]): PromiseLike<unknown>;
  subscribe(topic: string, handler: (args: unknown[] | undefined, kwargs: Record<string, unknown> | undefined, details: Record<string, unknown>) => void): PromiseLike<unknown>;
  publish(topic: string, args: unknown[], kwargs: Record<string, unknown>, options: Record<string, unknown>): PromiseLike<unknown>;
}
interface AutobahnConnection {
  onopen: (session: AutobahnSession, details: { authid: string }) => void;
  onclose: (reason: string, details: { reason?: string; message?: string; will_retry?: boolean }) => unknown;
  open(): void;
}
declare const autobahn: {
  Connection: new (options: Record<string, unknown>) => AutobahnConnection;
  Result: new (...args: never[]) => { args?: unknown[] };
  serializer: { JSONSerializer: new () => unknown };
};

function callError(error: unknown): CallError {
  const e = error as { error?: unknown; args?: unknown; kwargs?: unknown } | undefined;
  if (typeof e?.error === 'string') {
    return new CallError(e.error, Array.isArray(e.args) ? e.args : [], typeof e.kwargs === 'object' && e.kwargs !== null ? (e.kwargs as Record<string, unknown>) : {});
  }
  return new CallError('page.error.client', [String(error instanceof Error ? error.message : error)]);
}

function raw(session: AutobahnSession): RawSession {
  return {
    call: (procedure, args = []) =>
      Promise.resolve(session.call(procedure, args)).then(
        // autobahn-js hands back a lone positional result as itself, anything richer as a Result.
        (value) => (value instanceof autobahn.Result ? (value.args ?? []) : value === undefined || value === null ? [] : [value]),
        (error: unknown) => Promise.reject(callError(error)),
      ),
    async subscribe(topic, handler) {
      await session.subscribe(topic, (args, kwargs, details) =>
        handler({ args: args ?? [], kwargs: kwargs ?? {}, publisherName: typeof details['publisher_authid'] === 'string' ? details['publisher_authid'] : undefined }),
      );
    },
    async publish(topic, args) {
      await Promise.resolve(session.publish(topic, args, {}, { acknowledge: true, disclose_me: true })).catch((error: unknown) => Promise.reject(callError(error)));
    },
  };
}

/** Opens the connection (JSON, so the message panel can show each frame as text); returns how to reopen it. */
export function connect(options: ConnectOptions): { reopen(): void } {
  const connection = new autobahn.Connection({
    url: options.url,
    realm: options.realm,
    serializers: [new autobahn.serializer.JSONSerializer()],
    ...(options.authid === undefined ? {} : { authid: options.authid }),
  });
  connection.onopen = (session, details) =>
    void options.onOpen({ id: session.id, authid: details.authid, api: typedSession<DemoAPI>(session), raw: raw(session) });
  connection.onclose = (reason, details) => {
    options.onClose({ reason: details.reason ?? reason, message: details.message, willRetry: details.will_retry === true });
  };
  connection.open();
  return { reopen: () => connection.open() };
}
