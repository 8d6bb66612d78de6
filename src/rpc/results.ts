/**
 * What a procedure can return or yield: {@link RPCResult},
 * {@link RPCErrorResult}, {@link RPCProgressReport}, or a plain value that is
 * mapped as the Python original describes (see {@link toCallOutcome}).
 * @module
 */
import { defineOwn } from '../own-properties.js';
import type { Dict } from '../protocol/messages.js';
import { WampURI } from '../protocol/uris.js';

/**
 * Positional and keyword arguments of a result: what `new RPCResult(…)`,
 * `new RPCProgressReport(…)` and `new RPCErrorResult(…)` take, each part optional.
 *
 * @example
 * ```ts
 * import { RPCResult, type ResultPayload } from 'serverwamp';
 *
 * const genres: ResultPayload = { args: ['Rock & Roll', 'Blues', 'Jazz'], kwargs: { total: 3 } };
 * routes.route('music.genres', () => new RPCResult(genres));
 * ```
 */
export interface ResultPayload<Args extends readonly unknown[] = readonly unknown[], Kwargs extends Readonly<Dict> = Readonly<Dict>> {
  /** Positional arguments. */
  args?: Args;
  /** Keyword arguments. */
  kwargs?: Kwargs;
}

/**
 * A result with any combination of positional and keyword arguments.
 *
 * @example
 * ```ts
 * routes.route('music.playlist', () =>
 *   new RPCResult({ args: ['Rock & Roll', 'Blues', 'Jazz'], kwargs: { playlistLength: 6432 } }));
 * ```
 */
export class RPCResult<
  // `| []` makes TypeScript infer `args: [1, 'a']` as a tuple, which the typed client keeps (docs/typed-client.md).
  Args extends readonly unknown[] | [] = readonly unknown[],
  Kwargs extends Readonly<Dict> = Readonly<Dict>,
> {
  // Type-level only: a private member makes the class nominal, so a plain
  // object `{ args }` (sent as keyword arguments) is not typed as a result.
  declare private readonly resultBrand: 'result';
  /** Positional arguments of the RESULT. */
  readonly args: Args | undefined;
  /** Keyword arguments of the RESULT. */
  readonly kwargs: Kwargs | undefined;
  /** A result of `args` and `kwargs`, each optional. */
  constructor(payload: ResultPayload<Args, Kwargs> = {}) {
    this.args = payload.args;
    this.kwargs = payload.kwargs;
  }
}

/**
 * An intermediate result, sent only to callers that asked for progress
 * (`receive_progress`). Yielded from an async generator procedure.
 *
 * @example
 * ```ts
 * routes.route('countdown', async function* () {
 *   yield new RPCProgressReport({ kwargs: { timeLeft: 3 } });
 *   return 'liftoff';
 * });
 * ```
 */
export class RPCProgressReport<
  Args extends readonly unknown[] | [] = readonly unknown[],
  Kwargs extends Readonly<Dict> = Readonly<Dict>,
> extends RPCResult<Args, Kwargs> {
  declare private readonly progressBrand: 'progress';
}

/**
 * An error answer. The URI defaults to `wamp.error.runtime_error`.
 *
 * @example
 * ```ts
 * routes.route('math.sqrt', { params: ['x'] }, ({ x }) =>
 *   typeof x === 'number' ? Math.sqrt(x) : new RPCErrorResult({ kwargs: { errorCode: 'BAD_INPUT', errorMessage: 'Send a number.' } }));
 * routes.route('files.get', () => new RPCErrorResult('app.error.not_found', { args: ['No such file'] }));
 * ```
 */
export class RPCErrorResult {
  declare private readonly errorBrand: 'error';
  /** The error URI the caller receives. */
  readonly uri: string;
  /** Positional arguments of the ERROR. */
  readonly args: readonly unknown[] | undefined;
  /** Keyword arguments of the ERROR. */
  readonly kwargs: Readonly<Dict> | undefined;
  /** An error `wamp.error.runtime_error` with `args` and `kwargs`. */
  constructor(payload?: ResultPayload);
  /** An error with the URI `uri` and optional `args` and `kwargs`. */
  constructor(uri: string, payload?: ResultPayload);
  constructor(uriOrPayload?: string | ResultPayload, payload: ResultPayload = {}) {
    if (typeof uriOrPayload === 'string') {
      this.uri = uriOrPayload;
    } else {
      this.uri = WampURI.RUNTIME_ERROR;
      payload = uriOrPayload ?? {};
    }
    this.args = payload.args;
    this.kwargs = payload.kwargs;
  }
}

/** A final or progressive outcome, normalised. */
export type CallOutcome = RPCResult | RPCErrorResult;

function isPlainObject(value: object): value is Dict {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function mapToKwargs(map: Map<unknown, unknown>): Dict {
  const kwargs: Dict = {};
  for (const [key, val] of map) defineOwn(kwargs, String(key), val);
  return kwargs;
}

/**
 * Maps a procedure's return (or yielded) value to a result:
 * - `RPCResult`/`RPCProgressReport`/`RPCErrorResult`: as they are;
 * - `undefined`: a result with no arguments;
 * - an array: positional arguments;
 * - a plain object or a `Map`: keyword arguments;
 * - anything else (number, string, boolean, `null`, bytes, `Date`, class instances): one positional argument.
 *
 * @example
 * ```ts
 * toCallOutcome([1, 2]); // positional arguments [1, 2]
 * toCallOutcome({ total: 3 }); // keyword arguments { total: 3 }
 * ```
 */
export function toCallOutcome(value: unknown): CallOutcome {
  if (value instanceof RPCResult || value instanceof RPCErrorResult) return value;
  if (value === undefined) return new RPCResult();
  if (Array.isArray(value)) return new RPCResult({ args: value });
  if (typeof value === 'object' && value !== null) {
    if (value instanceof Map) return new RPCResult({ kwargs: mapToKwargs(value) });
    if (isPlainObject(value)) return new RPCResult({ kwargs: value });
  }
  return new RPCResult({ args: [value] });
}
