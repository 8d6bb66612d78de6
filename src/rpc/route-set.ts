/**
 * {@link RPCRouteSet}: a table of procedures by URI, added to an application
 * or realm with `addRPCRoutes`.
 * @module
 */
import { ServerwampError } from '../errors.js';
import { anyValue, checkOptions, nonNegativeFinite, string, type OptionSpec } from '../options.js';
import { isValidURI, type MatchPolicy } from '../protocol/uri.js';
import type { WildcardURI } from '../api-shape.js';
import type { DeclaredRoute, RawRoute } from './api-types.js';
import type { InferParams, ParamsDefinition } from './params.js';
import { Procedure, type ProcedureDefinition, type ProcedureOptions } from './procedure.js';
import type { RPCRequest } from './request.js';

/** What a route's definition may hold; `params` is checked by the parameter binder. */
const procedureOptionShape: Record<keyof ProcedureDefinition, OptionSpec> = { params: anyValue, timeout: nonNegativeFinite, description: string };

/**
 * One entry of a route set: iterating an {@link RPCRouteSet} yields them, in the order added.
 *
 * @example
 * ```ts
 * import type { RPCRoute } from 'serverwamp';
 *
 * const table = [...routes].map(({ uri, match, procedure }: RPCRoute) => `${match} ${uri}: ${procedure.description ?? ''}`);
 * console.log(table.join('\n'));
 * ```
 */
export interface RPCRoute {
  /** The procedure URI or pattern. */
  readonly uri: string;
  /** How `uri` matches: `exact`, `prefix` or `wildcard`. */
  readonly match: MatchPolicy;
  /** The handler and its parameter plan. */
  readonly procedure: Procedure;
}

declare const contextConsumer: unique symbol;

/**
 * Procedures an application whose context is `Context` can serve: route sets
 * whose handlers need at most that context. (A set for `{ db }` fits an
 * application providing `{ db, cache }`; one needing `{ cache }` does not fit
 * an application providing only `{ db }`.) What `addRPCRoutes` takes.
 *
 * @example
 * ```ts
 * import { Application, RPCRouteSet, type RPCRoutesFor } from 'serverwamp';
 *
 * function reportRoutes(): RPCRoutesFor<{ db: Database }> {
 *   return new RPCRouteSet<{ db: Database }>()
 *     .route('reports.read', { params: ['name'] }, ({ name }, request) => request.context.db.readFile(String(name), { signal: request.signal }));
 * }
 * const app = new Application({ context: { db: openDatabase(), startedAt: Date.now() } });
 * app.addRPCRoutes(reportRoutes()); // fits: the application provides at least { db }
 * ```
 */
export interface RPCRoutesFor<Context> extends Iterable<RPCRoute> {
  /** @hidden Carries the context type for inference; never set. */
  readonly [contextConsumer]?: (context: Context) => void;
}

declare const routeTypes: unique symbol;

/** A route set with one more procedure, at the type level (the object is the same). */
type With<Context, Routes, URI extends string, Spec> = RPCRouteSet<Context, Routes & { readonly [K in URI]: Spec }>;

/**
 * A set of procedures, each under a URI (exact), a URI prefix, or a wildcard
 * pattern (empty components match any one component).
 *
 * @example
 * ```ts
 * const mathApi = new RPCRouteSet();
 * mathApi.route('math.add', { params: ['number1', 'number2'] }, ({ number1, number2 }) =>
 *   Number(number1) + Number(number2));
 * mathApi.route('math.echo', (request) => request.args);
 * app.addRPCRoutes(mathApi);
 * ```
 *
 * @typeParam Context - the type of `request.context`, the application's shared values.
 */
export class RPCRouteSet<Context = unknown, Routes extends object = Record<never, never>> implements RPCRoutesFor<Context> {
  /** Type-level only: the context this set's handlers consume. */
  declare readonly [contextConsumer]?: (context: Context) => void;
  /**
   * Type-level only: each route's URI, what its callers send and what they
   * receive, for `InferAPI` and the typed client (docs/typed-client.md).
   * Recorded when calls chain: `new RPCRouteSet().route(…).route(…)`.
   */
  declare readonly [routeTypes]?: Routes;
  readonly #routes: RPCRoute[] = [];

  /** Adds a procedure under an exact URI. */
  route<const U extends string, R>(uri: U, handler: (request: RPCRequest<Context>) => R): With<Context, Routes, U, RawRoute<R>>;
  route<const U extends string, const P extends ParamsDefinition, R>(
    uri: U,
    definition: ProcedureDefinition<P>,
    handler: (params: InferParams<P>, request: RPCRequest<Context>) => R,
  ): With<Context, Routes, U, DeclaredRoute<P, R>>;
  route<const U extends string, R>(uri: U, options: ProcedureOptions, handler: (request: RPCRequest<Context>) => R): With<Context, Routes, U, RawRoute<R>>;
  route(uri: string, a: unknown, b?: unknown): RPCRouteSet<Context, object> {
    return this.#add(uri, 'exact', a, b);
  }

  /** Adds a procedure for every URI that starts with `prefix` (a string prefix, as WAMP `match: prefix`). */
  prefixRoute<const U extends string, R>(prefix: U, handler: (request: RPCRequest<Context>) => R): With<Context, Routes, `${U}${string}`, RawRoute<R>>;
  prefixRoute<const U extends string, const P extends ParamsDefinition, R>(
    prefix: U,
    definition: ProcedureDefinition<P>,
    handler: (params: InferParams<P>, request: RPCRequest<Context>) => R,
  ): With<Context, Routes, `${U}${string}`, DeclaredRoute<P, R>>;
  prefixRoute<const U extends string, R>(
    prefix: U,
    options: ProcedureOptions,
    handler: (request: RPCRequest<Context>) => R,
  ): With<Context, Routes, `${U}${string}`, RawRoute<R>>;
  prefixRoute(prefix: string, a: unknown, b?: unknown): RPCRouteSet<Context, object> {
    return this.#add(prefix, 'prefix', a, b);
  }

  /** Adds a procedure for URIs matching a wildcard pattern such as `users..profile`. */
  wildcardRoute<const U extends string, R>(pattern: U, handler: (request: RPCRequest<Context>) => R): With<Context, Routes, WildcardURI<U>, RawRoute<R>>;
  wildcardRoute<const U extends string, const P extends ParamsDefinition, R>(
    pattern: U,
    definition: ProcedureDefinition<P>,
    handler: (params: InferParams<P>, request: RPCRequest<Context>) => R,
  ): With<Context, Routes, WildcardURI<U>, DeclaredRoute<P, R>>;
  wildcardRoute<const U extends string, R>(
    pattern: U,
    options: ProcedureOptions,
    handler: (request: RPCRequest<Context>) => R,
  ): With<Context, Routes, WildcardURI<U>, RawRoute<R>>;
  wildcardRoute(pattern: string, a: unknown, b?: unknown): RPCRouteSet<Context, object> {
    return this.#add(pattern, 'wildcard', a, b);
  }

  #add(uri: string, match: MatchPolicy, a: unknown, b: unknown): this {
    if (!isValidURI(uri, 'loose', match)) {
      throw new ServerwampError('ERR_INVALID_URI', `${JSON.stringify(uri)} is not a valid ${match} procedure URI`);
    }
    const handler = (typeof a === 'function' ? a : b) as (request: RPCRequest<never>) => unknown;
    if (typeof handler !== 'function') {
      throw new ServerwampError('ERR_INVALID_OPTION', `the route ${JSON.stringify(uri)} needs a handler function`);
    }
    const definition = typeof a === 'function' ? undefined : (a as ProcedureOptions & { params?: ParamsDefinition });
    checkOptions(definition, procedureOptionShape, `the route ${JSON.stringify(uri)}`);
    this.#routes.push({ uri, match, procedure: new Procedure(definition, handler) });
    return this;
  }

  /** How many routes the set holds. */
  get size(): number {
    return this.#routes.length;
  }

  /** The routes, in the order they were added. */
  [Symbol.iterator](): Iterator<RPCRoute> {
    return this.#routes[Symbol.iterator]();
  }
}
