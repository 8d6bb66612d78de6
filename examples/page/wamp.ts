/**
 * The page's only contact with its WAMP client library: autobahn-js (the
 * browser build, loaded as the global `autobahn`) behind a small session
 * interface. Moving the page to another client (the typed `serverwamp/client`
 * facade, say) means rewriting this file only.
 */

/** A RESULT, an EVENT or an ERROR's payload, always as positional and keyword arguments. */
export interface Payload {
  args: unknown[];
  kwargs: Record<string, unknown>;
}

/** An EVENT as the page sees it. */
export interface DemoEvent extends Payload {
  /** Who published it, when the publisher disclosed itself. */
  publisherName: string | undefined;
}

/** The ERROR a call or publication received: its URI and payload. */
export class CallError extends Error {
  constructor(
    readonly uri: string,
    readonly payload: Payload,
  ) {
    const first = payload.args[0] ?? payload.kwargs['message'];
    super(typeof first === 'string' ? first : uri);
  }
}

/** A call whose progress is reported as it runs, and which can be cancelled. */
export interface RunningCall {
  readonly result: Promise<Payload>;
  /** Sends CANCEL (mode `kill`): the result then rejects once the server's procedure has stopped. */
  cancel(): void;
}

export interface DemoSession {
  readonly id: number;
  readonly authid: string;
  call(procedure: string, args?: unknown[], kwargs?: Record<string, unknown>): Promise<Payload>;
  callWithProgress(procedure: string, args: unknown[], kwargs: Record<string, unknown>, onProgress: (progress: Payload) => void): RunningCall;
  subscribe(topic: string, handler: (event: DemoEvent) => void): Promise<void>;
  /** Publishes to the other subscribers (not back to this page), acknowledged, under this session's name. */
  publish(topic: string, args: unknown[]): Promise<void>;
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

// What the page uses of autobahn-js's browser build.
interface AutobahnResult {
  args: unknown[];
  kwargs: Record<string, unknown>;
}
interface AutobahnCallPromise {
  /** when.js's then: a third callback receives the progressive results. */
  then(onResult: ((value: unknown) => unknown) | null, onError?: ((error: unknown) => unknown) | null, onProgress?: (progress: unknown) => void): Promise<unknown>;
  cancel(options: { mode: 'kill' | 'killnowait' | 'skip' }): void;
}
interface AutobahnSession {
  id: number;
  call(procedure: string, args?: unknown[], kwargs?: Record<string, unknown>, options?: Record<string, unknown>): AutobahnCallPromise;
  subscribe(topic: string, handler: (args: unknown[] | undefined, kwargs: Record<string, unknown> | undefined, details: Record<string, unknown>) => void): Promise<unknown>;
  publish(topic: string, args: unknown[], kwargs: Record<string, unknown>, options: Record<string, unknown>): Promise<unknown>;
}
interface AutobahnConnection {
  onopen: (session: AutobahnSession, details: { authid: string }) => void;
  onclose: (reason: string, details: { reason?: string; message?: string; will_retry?: boolean }) => unknown;
  open(): void;
}
declare const autobahn: {
  Connection: new (options: Record<string, unknown>) => AutobahnConnection;
  Result: new (...args: never[]) => AutobahnResult;
  serializer: { JSONSerializer: new () => unknown };
};

function payloadOf(value: unknown): Payload {
  // autobahn-js hands back a lone positional result as itself, anything richer as a Result.
  if (value instanceof autobahn.Result) return { args: value.args ?? [], kwargs: value.kwargs ?? {} };
  return { args: value === undefined || value === null ? [] : [value], kwargs: {} };
}

function callError(error: unknown): CallError {
  const e = error as { error?: unknown; args?: unknown; kwargs?: unknown } | undefined;
  if (typeof e?.error === 'string') {
    return new CallError(e.error, { args: Array.isArray(e.args) ? e.args : [], kwargs: typeof e.kwargs === 'object' && e.kwargs !== null ? (e.kwargs as Record<string, unknown>) : {} });
  }
  return new CallError('page.error.client', { args: [String(error instanceof Error ? error.message : error)], kwargs: {} });
}

function wrap(session: AutobahnSession, authid: string): DemoSession {
  return {
    id: session.id,
    authid,
    call: (procedure, args = [], kwargs = {}) => Promise.resolve(session.call(procedure, args, kwargs)).then(payloadOf, (error: unknown) => Promise.reject(callError(error))),
    callWithProgress(procedure, args, kwargs, onProgress) {
      const call = session.call(procedure, args, kwargs, { receive_progress: true });
      const result = call.then(payloadOf, (error: unknown) => Promise.reject(callError(error)), (progress) => onProgress(payloadOf(progress))) as Promise<Payload>;
      return { result, cancel: () => call.cancel({ mode: 'kill' }) };
    },
    async subscribe(topic, handler) {
      await session.subscribe(topic, (args, kwargs, details) =>
        handler({ args: args ?? [], kwargs: kwargs ?? {}, publisherName: typeof details['publisher_authid'] === 'string' ? details['publisher_authid'] : undefined }),
      );
    },
    async publish(topic, args) {
      await session.publish(topic, args, {}, { acknowledge: true, disclose_me: true }).catch((error: unknown) => Promise.reject(callError(error)));
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
  connection.onopen = (session, details) => void options.onOpen(wrap(session, details.authid));
  connection.onclose = (reason, details) => {
    options.onClose({ reason: details.reason ?? reason, message: details.message, willRetry: details.will_retry === true });
  };
  connection.open();
  return { reopen: () => connection.open() };
}
