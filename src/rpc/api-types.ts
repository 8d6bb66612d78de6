/**
 * Type-level only: what a route records for its callers (the typed client,
 * docs/typed-client.md). A procedure's parameters become what a caller
 * sends; its return value, mapped by the conventions of `toCallOutcome`,
 * becomes what `call` and `callResult` resolve to.
 * @module
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { ListResult, Nothing, Payload } from '../api-shape.js';
import type { ParamDefinition, ParamsDefinition } from './params.js';
import type { RPCErrorResult, RPCProgressReport, RPCResult } from './results.js';

/**
 * Keyword arguments of a payload that has none: the typed client's `kwargs`
 * for a procedure that returns a single value, a list or nothing.
 *
 * @example
 * ```ts
 * import type { NoKwargs } from 'serverwamp';
 *
 * const { args: [sum], kwargs } = await api.callResult('math.add', { number1: 2, number2: 3 });
 * const none: NoKwargs = kwargs; // math.add returns a number: no keyword arguments
 * ```
 */
export type NoKwargs = { readonly [key: string]: never };

type SchemaInput<D> = D extends StandardSchemaV1
  ? StandardSchemaV1.InferInput<D>
  : D extends { readonly schema: infer S extends StandardSchemaV1 }
    ? StandardSchemaV1.InferInput<S>
    : unknown;

/** A parameter the caller may leave out: it has a default, is optional, or its schema accepts `undefined`. */
type MayOmit<D> = D extends StandardSchemaV1
  ? undefined extends StandardSchemaV1.InferInput<D>
    ? true
    : false
  : D extends { readonly default: unknown } | { readonly optional: true }
    ? true
    : D extends { readonly schema: infer S extends StandardSchemaV1 }
      ? undefined extends StandardSchemaV1.InferInput<S>
        ? true
        : false
      : false;

type Flatten<T> = { [K in keyof T]: T[K] };

/**
 * What a caller sends by name for a {@link ParamsDefinition}: schema inputs,
 * omissible parameters optional. The `kwargs` of the procedure's {@link ProcedureSpec}.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import type { CallerKwargs } from 'serverwamp';
 *
 * const params = { folder: z.string(), hidden: z.boolean().default(false) };
 * const kwargs: CallerKwargs<typeof params> = { folder: '/docs' }; // hidden may be left out: it has a default
 * ```
 */
export type CallerKwargs<P extends ParamsDefinition> = P extends readonly string[]
  ? { readonly [K in P[number]]: unknown }
  : Flatten<
      { readonly [K in keyof P as MayOmit<P[K]> extends true ? never : K]: SchemaInput<P[K]> } & {
        readonly [K in keyof P as MayOmit<P[K]> extends true ? K : never]?: SchemaInput<P[K]>;
      }
    >;

/**
 * What a caller sends by position. A list of names keeps its order; an
 * object of schemas does not (TypeScript does not order an object type's
 * keys), so each position takes any of the parameters' input types.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import type { CallerArgs } from 'serverwamp';
 *
 * const pair: CallerArgs<readonly ['number1', 'number2']> = [2, 3];        // readonly [unknown, unknown]
 * const list: CallerArgs<{ folder: z.ZodString; hidden: z.ZodBoolean }> = ['/docs', true]; // (string | boolean)[]
 * ```
 */
export type CallerArgs<P extends ParamsDefinition> = P extends readonly string[]
  ? { readonly [I in keyof P]: unknown }
  : readonly { [K in keyof P]: P[K] extends ParamDefinition ? SchemaInput<P[K]> : never }[keyof P][];

/**
 * A handler's return after promises settle. An async generator's result is
 * its first yield that is not a progress report, or its return value; one
 * that returns nothing ends with its last progress report (or no arguments).
 */
type Settled<R> = R extends AsyncGenerator<infer Y, infer T, infer _N>
  ? Exclude<Y, RPCProgressReport> | Exclude<T, Nothing> | (undefined extends T ? Extract<Y, RPCProgressReport> | undefined : never)
  : R extends PromiseLike<infer T>
    ? Settled<T>
    : R;

type ReportPayload<Y> = Y extends RPCProgressReport<infer A, infer K> ? Payload<OneNull<A>, K> : never;

type ProgressOf<R> = R extends AsyncGenerator<infer Y, infer _T, infer _N>
  ? ReportPayload<Extract<Y, RPCProgressReport>>
  : R extends PromiseLike<infer T>
    ? ProgressOf<T>
    : never;

/** Values sent as one positional argument although they are objects. */
type Opaque = Date | ArrayBuffer | ArrayBufferView;

/** An object type that may be empty arrives as `null` (no keyword arguments at all). */
type MaybeEmpty<T> = object extends T ? T | null : Record<string, never> extends T ? T | null : T;

/**
 * autobahn-js resolves a RESULT with no arguments and one with a single
 * `null` alike, so the facade makes both "no arguments" for every client:
 * a one-item list whose item may be `null` may arrive empty.
 */
type OneNull<A> = A extends readonly [infer E] ? (null extends E ? A | [] : A) : A;

/** What `call` resolves to for one member of a return type (docs/typed-client.md, "The result rule"). */
type ValueMember<T> = T extends RPCErrorResult
  ? never
  : T extends RPCResult
    ? ListResult
    : T extends Nothing | null
      ? null
      : T extends readonly unknown[]
        ? ListResult
        : T extends Map<unknown, infer V>
          ? Readonly<Record<string, V>> | null
          : T extends Opaque
            ? T
            : T extends object
              ? MaybeEmpty<T>
              : T;

/** What `callResult` resolves to for one member of a return type. */
type ResultMember<T> = T extends RPCErrorResult
  ? never
  : T extends RPCResult<infer A, infer K>
    ? Payload<OneNull<A>, K>
    : T extends Nothing | null
      ? Payload<[], NoKwargs>
      : T extends readonly unknown[]
        ? Payload<OneNull<T>, NoKwargs>
        : T extends Map<unknown, infer V>
          ? Payload<[], Readonly<Record<string, V>>>
          : T extends Opaque
            ? Payload<[T], NoKwargs>
            : T extends object
              ? Payload<[], T>
              : Payload<[T], NoKwargs>;

/** `call`'s type: {@link ListResult} if any member of the return has no single-value form. */
type ValueOf<R> = unknown extends R ? unknown : ListResult extends ValueMember<R> ? ListResult : ValueMember<R>;

/** A procedure's entry in an API: what its callers send and receive. */
interface RouteSpec<Kwargs extends object, Args extends readonly unknown[], R> {
  readonly kwargs: Kwargs;
  readonly args: Args;
  readonly value: ValueOf<Settled<R>>;
  readonly result: unknown extends Settled<R> ? Payload : ResultMember<Settled<R>>;
  readonly progress: unknown extends R ? Payload : ProgressOf<R>;
}

/** The entry of a procedure with declared parameters. */
export type DeclaredRoute<P extends ParamsDefinition, R> = RouteSpec<CallerKwargs<P>, CallerArgs<P>, R>;

/** The entry of a raw procedure: it reads the request itself, so callers may send anything. */
export type RawRoute<R> = RouteSpec<Readonly<Record<string, unknown>>, readonly unknown[], R>;
