/**
 * `serverwamp/client`: a typed facade over the WAMP clients applications
 * already run (autobahn-js, wampy), in the browser or Node. It imports only
 * types from the server, so a bundle of it carries none of the server
 * (docs/typed-client.md).
 *
 * @example
 * ```ts
 * import { typedSession } from 'serverwamp/client';
 * // AppAPI is the type the server's route sets give (InferAPI); import it type-only:
 * // import type { AppAPI } from '../server/api.js';
 *
 * connection.onopen = async (session) => {
 *   const api = typedSession<AppAPI>(session);
 *   const sum = await api.call('math.add', { number1: 2, number2: 3 });
 * };
 * ```
 * @module
 */
import { autobahnDriver, isAutobahnSession } from './autobahn.js';
import type { Driver } from './driver.js';
import { TypedClientError } from './errors.js';
import { singleValue } from './payload.js';
import type { TypedSession } from './types.js';
import { isWampy, wampyDriver } from './wampy.js';

export type { Payload } from '../api-shape.js';
export { CallError, TypedClientError, type TypedClientErrorCode } from './errors.js';
export type { CallOptions, ClientImplementation, EventOf, ProcedureURI, SpecOf, TopicURI, TypedSession, Unsubscribe } from './types.js';

type Dict = Readonly<Record<string, unknown>>;

function driverFor(client: unknown): Driver {
  if (typeof client === 'object' && client !== null) {
    if (isWampy(client)) return wampyDriver(client);
    if (isAutobahnSession(client)) return autobahnDriver(client);
  }
  throw new TypedClientError('ERR_UNSUPPORTED_CLIENT', 'typedSession takes an autobahn-js Session or a Wampy instance');
}

function split(params: unknown): [readonly unknown[], Dict] {
  if (Array.isArray(params)) return [params, {}];
  return [[], typeof params === 'object' && params !== null ? (params as Dict) : {}];
}

interface RuntimeOptions {
  readonly timeout?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: unknown) => void;
}

/**
 * A typed view of `client`, an open autobahn-js `Session` or a `Wampy`
 * instance (told apart by their methods). Types only select and check; at
 * run time each method is one call into the library.
 *
 * @example
 * ```ts
 * // AppAPI: the type the server exports (`InferAPI<…>`), imported with `import type`.
 * connection.onopen = async (session) => {
 *   const api = typedSession<AppAPI>(session);
 *   const sum = await api.call('math.add', { number1: 2, number2: 3 }); // number
 *   console.log(sum);
 * };
 * ```
 *
 * @throws {TypedClientError} `ERR_UNSUPPORTED_CLIENT` for anything else.
 */
export function typedSession<API, ClientAPI = Record<never, never>>(client: object): TypedSession<API, ClientAPI> {
  const driver = driverFor(client);
  const callResult = (uri: string, params?: unknown, options: RuntimeOptions = {}) => {
    const [args, kwargs] = split(params);
    return driver.call(uri, args, kwargs, options);
  };
  const typed = {
    call: async (uri: string, params?: unknown, options?: RuntimeOptions) => singleValue(uri, await callResult(uri, params, options)),
    callResult,
    subscribe: (uri: string, handler: (event: unknown, payload: unknown) => void) => driver.subscribe(uri, (event) => handler(event.kwargs, event)),
    publish: (uri: string, event: unknown) => driver.publish(uri, typeof event === 'object' && event !== null ? (event as Dict) : {}),
    register: (uri: string, implementation: (...args: unknown[]) => unknown) => driver.register(uri, (args) => implementation(...args)),
  };
  return typed as unknown as TypedSession<API, ClientAPI>;
}
