/**
 * A procedure: a handler plus its parameter plan and options, as stored in a
 * route set. {@link Procedure.invoke} binds arguments then calls the handler.
 * @module
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { ParamBinder, type InferParams, type ParamsDefinition } from './params.js';
import type { RPCRequest } from './request.js';

/**
 * What a procedure may return: a value (mapped by `toCallOutcome`), a
 * promise of one, or an async iterable of progress reports and a final result.
 */
export type ProcedureReturn = unknown;

/** A procedure that reads the raw request itself. */
export type RawProcedureHandler = (request: RPCRequest) => ProcedureReturn;

/** A procedure with declared parameters: receives them bound, validated and typed. */
export type ProcedureHandler<P extends ParamsDefinition> = (params: InferParams<P>, request: RPCRequest) => ProcedureReturn;

/** Declares a procedure's parameters and options. */
export interface ProcedureDefinition<P extends ParamsDefinition = ParamsDefinition> {
  /** Parameter names in order (`['a', 'b']`) or an object of schemas/options (`{ a: z.number() }`). */
  readonly params?: P;
  /** A default timeout in milliseconds, applied when the caller sets none. */
  readonly timeout?: number;
  /** A one-line description, for documentation and reflection. */
  readonly description?: string;
}

/** A registered procedure. */
export class Procedure {
  readonly #binder: ParamBinder | undefined;
  readonly #handler: (params: never, request: RPCRequest) => ProcedureReturn;
  readonly #raw: boolean;
  readonly timeout: number;
  readonly description: string | undefined;

  constructor(definition: ProcedureDefinition | undefined, handler: RawProcedureHandler | ProcedureHandler<ParamsDefinition>) {
    this.#raw = definition?.params === undefined;
    this.#binder = definition?.params === undefined ? undefined : new ParamBinder(definition.params);
    this.#handler = handler as (params: never, request: RPCRequest) => ProcedureReturn;
    this.timeout = definition?.timeout ?? 0;
    this.description = definition?.description;
  }

  /** Binds the request's arguments and runs the handler; binding errors throw or reject. */
  invoke(request: RPCRequest): ProcedureReturn {
    if (this.#raw) return (this.#handler as RawProcedureHandler)(request);
    const bound = this.#binder!.bind(request.args, request.kwargs);
    if (bound instanceof Promise) return bound.then((params) => this.#handler(params as never, request));
    return this.#handler(bound as never, request);
  }
}

export type { StandardSchemaV1 };
