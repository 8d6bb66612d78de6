/**
 * A procedure: a handler plus its parameter plan and options, as stored in a
 * route set. {@link Procedure.invoke} binds arguments then calls the handler.
 * @module
 */
import { ParamBinder, type InferParams, type ParamsDefinition } from './params.js';
import type { RPCRequest } from './request.js';

/**
 * What a procedure may return: a value (mapped by `toCallOutcome`), a
 * promise of one, or an async iterable of progress reports and a final result.
 *
 * @example
 * ```ts
 * import { RPCErrorResult, type ProcedureReturn } from 'serverwamp';
 *
 * function found(user: User | undefined): ProcedureReturn {
 *   return user === undefined ? new RPCErrorResult('app.error.not_found') : { name: user.name }; // kwargs { name }
 * }
 * routes.route('users.get', { params: ['authid'] }, async ({ authid }) => found(await users.find(String(authid))));
 * ```
 */
export type ProcedureReturn = unknown;

/**
 * A procedure that reads the raw request itself (a route without `params`).
 *
 * @example
 * ```ts
 * import { RPCResult, type RawProcedureHandler } from 'serverwamp';
 *
 * const echo: RawProcedureHandler = (request) => new RPCResult({ args: request.args, kwargs: request.kwargs });
 * routes.prefixRoute('echo.', echo);
 * ```
 */
export type RawProcedureHandler<Context = unknown> = (request: RPCRequest<Context>) => ProcedureReturn;

/**
 * A procedure with declared parameters: receives them bound, validated and typed.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import type { ProcedureHandler } from 'serverwamp';
 *
 * const params = { ids: z.array(z.string()) };
 * const remove: ProcedureHandler<typeof params> = async ({ ids }, request) => {
 *   await files.delete(ids);
 *   return { deleted: ids.length, by: request.caller.authid };
 * };
 * routes.route('files.delete', { params }, remove);
 * ```
 */
export type ProcedureHandler<P extends ParamsDefinition, Context = unknown> = (
  params: InferParams<P>,
  request: RPCRequest<Context>,
) => ProcedureReturn;

/**
 * Options of a procedure, with or without declared parameters: the middle
 * argument of `route` for a raw handler.
 *
 * @example
 * ```ts
 * import type { ProcedureOptions } from 'serverwamp';
 *
 * const slow: ProcedureOptions = { timeout: 60_000, description: 'Rebuilds the search index' };
 * routes.route('search.reindex', slow, (request) => openDatabase().readFile('index.json', { signal: request.signal }));
 * ```
 */
export interface ProcedureOptions {
  /** A default timeout in milliseconds, applied when the caller sets none. */
  readonly timeout?: number;
  /** A one-line description, for documentation and reflection. */
  readonly description?: string;
}

/**
 * Declares a procedure's parameters, and its options: the middle argument of
 * `route`, `prefixRoute` and `wildcardRoute` for a handler that takes its parameters bound.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import type { ProcedureDefinition } from 'serverwamp';
 *
 * const add = { params: { a: z.number(), b: z.number() }, timeout: 1000, description: 'Adds two numbers' } satisfies ProcedureDefinition;
 * routes.route('math.add', add, ({ a, b }) => a + b);
 * ```
 */
export interface ProcedureDefinition<P extends ParamsDefinition = ParamsDefinition> extends ProcedureOptions {
  /** Parameter names in order (`['a', 'b']`) or an object of schemas/options (`{ a: z.number() }`). */
  readonly params: P;
}

/** A registered procedure. */
export class Procedure {
  readonly #binder: ParamBinder | undefined;
  readonly #handler: (params: never, request: RPCRequest<never>) => ProcedureReturn;
  readonly #raw: boolean;
  readonly timeout: number;
  readonly description: string | undefined;

  constructor(
    definition: (ProcedureOptions & { readonly params?: ParamsDefinition }) | undefined,
    handler: RawProcedureHandler<never> | ProcedureHandler<ParamsDefinition, never>,
  ) {
    this.#raw = definition?.params === undefined;
    this.#binder = definition?.params === undefined ? undefined : new ParamBinder(definition.params);
    this.#handler = handler as (params: never, request: RPCRequest<never>) => ProcedureReturn;
    this.timeout = definition?.timeout ?? 0;
    this.description = definition?.description;
  }

  /** Binds the request's arguments and runs the handler; binding errors throw or reject. */
  invoke(request: RPCRequest): ProcedureReturn {
    // The route set checked the handler against its Context type; the realm supplies that context.
    const typed = request as RPCRequest<never>;
    if (this.#raw) return (this.#handler as RawProcedureHandler<never>)(typed);
    const bound = this.#binder!.bind(request.args, request.kwargs);
    if (bound instanceof Promise) return bound.then((params) => this.#handler(params as never, typed));
    return this.#handler(bound as never, typed);
  }
}

