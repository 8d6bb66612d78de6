/**
 * Real WAMP clients for tests: autobahn-js and wampy from npm, with each
 * serializer. Node 20 has no global WebSocket, so `ws` is lent to autobahn.
 */
import WebSocket from 'ws';
import autobahnModule from 'autobahn';
import { Wampy } from 'wampy';
import { JsonSerializer } from 'wampy/JsonSerializer.js';
import { MsgpackSerializer } from 'wampy/MsgpackSerializer.js';
import { CborSerializer } from 'wampy/CborSerializer.js';

(globalThis as any).WebSocket ??= WebSocket;

export const autobahn: any = autobahnModule;

export type SerializerName = 'json' | 'msgpack' | 'cbor';

export interface AutobahnClient {
  session: any;
  connection: any;
  details: any;
  /** Resolves when the connection closes, with autobahn's reason and details. */
  closed: Promise<{ reason: string; details: any }>;
  close(): Promise<void>;
}

function autobahnSerializers(name: SerializerName): any[] {
  switch (name) {
    case 'json':
      return [new autobahn.serializer.JSONSerializer()];
    case 'msgpack':
      return [new autobahn.serializer.MsgpackSerializer()];
    case 'cbor':
      return [new autobahn.serializer.CBORSerializer()];
  }
}

/** Opens an autobahn-js session; rejects if the session does not open. */
export function connectAutobahn(
  url: string,
  options: { realm?: string; serializer?: SerializerName; [key: string]: unknown } = {},
): Promise<AutobahnClient> {
  const { realm = 'realm1', serializer = 'json', ...rest } = options;
  const connection = new autobahn.Connection({
    url,
    realm,
    serializers: autobahnSerializers(serializer),
    max_retries: 0,
    retry_if_unreachable: false,
    ...rest,
  });
  let resolveClosed!: (value: { reason: string; details: any }) => void;
  const closed = new Promise<{ reason: string; details: any }>((resolve) => (resolveClosed = resolve));
  return new Promise((resolve, reject) => {
    let opened = false;
    connection.onopen = (session: any, details: any) => {
      opened = true;
      resolve({
        session,
        connection,
        details,
        closed,
        async close() {
          if (connection.isOpen) connection.close();
          await closed;
        },
      });
    };
    connection.onclose = (reason: string, details: any) => {
      resolveClosed({ reason, details });
      if (!opened) reject(Object.assign(new Error(`autobahn could not open a session: ${reason}`), { reason, details }));
      return true; // no retries
    };
    connection.open();
  });
}

function wampySerializer(name: SerializerName): any {
  switch (name) {
    case 'json':
      return new JsonSerializer();
    case 'msgpack':
      return new MsgpackSerializer();
    case 'cbor':
      return new CborSerializer();
  }
}

/** Opens a wampy session (no auto-reconnect unless asked for). */
export async function connectWampy(
  url: string,
  options: { realm?: string; serializer?: SerializerName; [key: string]: unknown } = {},
): Promise<Wampy> {
  const { realm = 'realm1', serializer = 'json', ...rest } = options;
  const wampy = new Wampy(url, {
    realm,
    ws: WebSocket as any,
    serializer: wampySerializer(serializer),
    autoReconnect: false,
    ...rest,
  } as any);
  await wampy.connect();
  return wampy;
}

/** Both clients with every serializer they share with serverwamp, for table-driven tests. */
export const CLIENTS: ReadonlyArray<{ client: 'autobahn' | 'wampy'; serializer: SerializerName }> = [
  { client: 'autobahn', serializer: 'json' },
  { client: 'autobahn', serializer: 'msgpack' },
  { client: 'wampy', serializer: 'json' },
  { client: 'wampy', serializer: 'msgpack' },
  { client: 'wampy', serializer: 'cbor' },
];

/**
 * A uniform "call" over both clients: resolves `{ args, kwargs }` or rejects
 * with `{ error, args, kwargs }` as the client reported it.
 */
export interface CallOutcome {
  args: unknown[];
  kwargs: Record<string, unknown>;
}

/** What autobahn reports for a RESULT with no arguments or with one `null`: it cannot tell them apart. */
export const AMBIGUOUS_NULL = Symbol('autobahn: no arguments or a single null');

export interface UniformClient {
  name: string;
  call(procedure: string, args?: unknown[], kwargs?: Record<string, unknown>, options?: Record<string, unknown>): Promise<CallOutcome>;
  close(): Promise<void>;
  raw: any;
}

export async function connectClient(
  url: string,
  kind: { client: 'autobahn' | 'wampy'; serializer: SerializerName },
  options: { realm?: string } = {},
): Promise<UniformClient> {
  const name = `${kind.client}/${kind.serializer}`;
  if (kind.client === 'autobahn') {
    const ab = await connectAutobahn(url, { ...options, serializer: kind.serializer });
    return {
      name,
      raw: ab,
      async call(procedure, args = [], kwargs = {}, callOptions = {}) {
        try {
          const result = await ab.session.call(procedure, args, kwargs, callOptions);
          if (result instanceof autobahn.Result) return { args: result.args ?? [], kwargs: result.kwargs ?? {} };
          // autobahn resolves both `[50, id, {}]` and `[50, id, {}, [null]]` as null.
          return { args: result === null ? [AMBIGUOUS_NULL] : [result], kwargs: {} };
        } catch (error: any) {
          throw { error: error.error, args: error.args ?? [], kwargs: error.kwargs ?? {} };
        }
      },
      close: () => ab.close(),
    };
  }
  const wampy = await connectWampy(url, { ...options, serializer: kind.serializer });
  return {
    name,
    raw: wampy,
    async call(procedure, args = [], kwargs = {}, callOptions = {}) {
      try {
        const payload = Object.keys(kwargs).length > 0 ? { argsList: args, argsDict: kwargs } : { argsList: args };
        const result = await wampy.call(procedure, payload, callOptions);
        return { args: result.argsList ?? [], kwargs: result.argsDict ?? {} };
      } catch (error: any) {
        throw { error: error.errorUri, args: error.argsList ?? [], kwargs: error.argsDict ?? {} };
      }
    },
    async close() {
      await wampy.disconnect();
    },
  };
}
