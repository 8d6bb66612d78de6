/**
 * Autobahn-js and wampy as callees behind one shape, for tests of the server
 * calling its clients (`session.call`). Each client's own API is used
 * underneath: autobahn's `details.progress` and `autobahn.Error`, wampy's
 * `result_handler` with `options.progress` and its `{ error, argsList, argsDict }` errors.
 */
import type { Application, Session } from '../../src/index.js';
import { autobahn, connectAutobahn, connectWampy, type SerializerName } from './clients.js';

/** What a client-side procedure sees of an invocation. */
export interface Invocation {
  args: unknown[];
  kwargs: Record<string, unknown>;
  /** `details.procedure`, sent for pattern registrations. */
  procedure: string | undefined;
  /** Sends a progressive result; `undefined` when the server did not ask for progress. */
  progress: ((args?: unknown[], kwargs?: Record<string, unknown>) => void) | undefined;
}

/** Thrown by a test procedure to answer with this error URI, in the client's own error form. */
export class CalleeFailure {
  constructor(
    readonly uri: string,
    readonly args: unknown[] = [],
    readonly kwargs: Record<string, unknown> = {},
  ) {}
}

export type CalleeProcedure = (invocation: Invocation) => unknown;

export interface TestCallee {
  readonly name: string;
  /** The client's session on the server. */
  readonly session: Session;
  /** Registers a procedure; it returns `{ args, kwargs }` (or a promise of it), or throws. */
  register(procedure: string, handler: CalleeProcedure, options?: Record<string, unknown>): Promise<void>;
  unregister(procedure: string): Promise<void>;
  close(): Promise<void>;
}

export const CALLEE_CLIENTS: ReadonlyArray<{ client: 'autobahn' | 'wampy'; serializer: SerializerName }> = [
  { client: 'autobahn', serializer: 'json' },
  { client: 'autobahn', serializer: 'msgpack' },
  { client: 'wampy', serializer: 'json' },
  { client: 'wampy', serializer: 'msgpack' },
];

interface Payload {
  args?: unknown[];
  kwargs?: Record<string, unknown>;
}

function serverSession(app: Application, id: unknown): Session {
  const session = app.getSession(Number(id)); // wampy/msgpack reports large ids as BigInt
  if (session === undefined) throw new Error(`no server session ${String(id)}`);
  return session;
}

export async function connectCallee(
  app: Application,
  url: string,
  kind: { client: 'autobahn' | 'wampy'; serializer: SerializerName },
): Promise<TestCallee> {
  const name = `${kind.client}/${kind.serializer}`;
  if (kind.client === 'autobahn') {
    const ab = await connectAutobahn(url, { serializer: kind.serializer });
    const registrations = new Map<string, unknown>();
    return {
      name,
      session: serverSession(app, ab.session.id),
      async register(procedure, handler, options) {
        const endpoint = async (args: unknown[] = [], kwargs: Record<string, unknown> = {}, details: any): Promise<unknown> => {
          try {
            const out = (await handler({
              args,
              kwargs,
              procedure: details.procedure,
              progress: details.progress ?? undefined,
            })) as Payload | undefined;
            return new autobahn.Result(out?.args ?? [], out?.kwargs ?? {});
          } catch (error) {
            if (error instanceof CalleeFailure) throw new autobahn.Error(error.uri, error.args, error.kwargs);
            throw error;
          }
        };
        registrations.set(procedure, await ab.session.register(procedure, endpoint, options));
      },
      async unregister(procedure) {
        await ab.session.unregister(registrations.get(procedure));
        registrations.delete(procedure);
      },
      close: () => ab.close(),
    };
  }
  const wampy = await connectWampy(url, { serializer: kind.serializer });
  return {
    name,
    session: serverSession(app, wampy.getSessionId()),
    async register(procedure, handler, options) {
      const rpc = async ({ argsList, argsDict, details, result_handler }: any): Promise<unknown> => {
        try {
          const out = (await handler({
            args: argsList ?? [],
            kwargs: argsDict ?? {},
            procedure: details?.procedure,
            progress:
              details?.receive_progress === true
                ? (args = [], kwargs = {}) => result_handler({ argsList: args, argsDict: kwargs, options: { progress: true } })
                : undefined,
          })) as Payload | undefined;
          return { argsList: out?.args ?? [], argsDict: out?.kwargs ?? {} };
        } catch (error) {
          if (error instanceof CalleeFailure) throw { error: error.uri, argsList: error.args, argsDict: error.kwargs };
          throw error;
        }
      };
      await wampy.register(procedure, rpc as any, options);
    },
    async unregister(procedure) {
      await wampy.unregister(procedure);
    },
    async close() {
      await wampy.disconnect();
    },
  };
}

/** A promise with its settle functions, for procedures that answer when a test says so. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
