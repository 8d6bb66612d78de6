/**
 * Argument binding: a procedure declares its parameters once (names in order,
 * optionally with a Standard Schema, a default, or both), and every CALL's
 * positional and keyword arguments are bound to them by order and by name.
 * The plan is built when the route is added, not per call.
 * @module
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { ServerwampError, WampError } from '../errors.js';
import { defineOwn } from '../own-properties.js';
import type { Dict } from '../protocol/messages.js';
import { WampURI } from '../protocol/uris.js';

/**
 * Options for one parameter, when a bare schema is not enough: a default, or
 * `optional` to let callers leave it out. A default is used as it is, not passed through the schema.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 *
 * routes.route('files.page', {
 *   params: {
 *     folder: z.string(),
 *     limit: { schema: z.number().int().positive(), default: 50 }, // number
 *     cursor: { optional: true },                                  // unknown, may be left out
 *   },
 * }, ({ folder, limit }) => listFiles(folder).then((names) => names.slice(0, limit)));
 * ```
 */
export interface ParamOptions<S extends StandardSchemaV1 = StandardSchemaV1> {
  /** Validates and transforms the value before the handler sees it. */
  readonly schema?: S;
  /** Used when the caller leaves the parameter out (not passed through the schema). */
  readonly default?: unknown;
  /** Without a default: the parameter may be left out and is then `undefined`. */
  readonly optional?: boolean;
}

/**
 * One parameter: a Standard Schema (zod, valibot, arktype…) or {@link ParamOptions}.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import type { ParamDefinition } from 'serverwamp';
 *
 * const query = z.string().min(2) satisfies ParamDefinition;
 * const page = { schema: z.number().int().min(1), default: 1 } satisfies ParamDefinition;
 * routes.route('docs.search', { params: { query, page } }, ({ query, page }) => `${query}, page ${page}`);
 * ```
 */
export type ParamDefinition = StandardSchemaV1 | ParamOptions;

/**
 * A procedure's parameters: a list of names (values arrive as deserialized),
 * or an object whose keys, in order, are the names. The `params` of a route's definition.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import type { ParamsDefinition } from 'serverwamp';
 *
 * const byName = ['number1', 'number2'] as const satisfies ParamsDefinition; // values unchecked
 * const bySchema = { number1: z.number(), number2: z.number() } satisfies ParamsDefinition;
 * routes.route('math.mul', { params: byName }, ({ number1, number2 }) => Number(number1) * Number(number2));
 * routes.route('math.sub', { params: bySchema }, ({ number1, number2 }) => number1 - number2);
 * ```
 */
export type ParamsDefinition = readonly string[] | { readonly [name: string]: ParamDefinition };

/** A default's type, widened from a literal (`{ default: 3 }` is a number, not `3`). */
type Widen<V> = V extends string ? string : V extends number ? number : V extends boolean ? boolean : V extends bigint ? bigint : V;

type InferParam<D> = D extends StandardSchemaV1
  ? StandardSchemaV1.InferOutput<D>
  : D extends { readonly schema: infer S extends StandardSchemaV1 }
    ? D extends { readonly optional: true }
      ? StandardSchemaV1.InferOutput<S> | undefined
      : StandardSchemaV1.InferOutput<S>
    : D extends { readonly default: infer V }
      ? Widen<V>
      : D extends { readonly optional: true }
        ? unknown
        : unknown;

/**
 * The object a handler receives for a {@link ParamsDefinition}: schema outputs,
 * typed. Name it to write a handler apart from its route.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import type { InferParams } from 'serverwamp';
 *
 * const params = { folder: z.string(), hidden: z.boolean().default(false) };
 * async function list({ folder, hidden }: InferParams<typeof params>) { // { folder: string; hidden: boolean }
 *   return (await listFiles(folder)).filter((name) => hidden || !name.startsWith('.'));
 * }
 * routes.route('files.list', { params }, list);
 * ```
 */
export type InferParams<P extends ParamsDefinition> = P extends readonly string[]
  ? { [K in P[number]]: unknown }
  : { -readonly [K in keyof P]: InferParam<P[K]> };

/**
 * The value callers send for a {@link ParamsDefinition} (schema inputs), every
 * parameter named; `CallerKwargs` is the same with the omissible ones optional.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import type { InferParamsInput } from 'serverwamp';
 *
 * const params = { when: z.coerce.date(), note: z.string() };
 * const input: InferParamsInput<typeof params> = { when: '2026-12-24', note: 'party' }; // `when` is unknown: coerced
 * routes.route('calendar.add', { params }, ({ when, note }) => `${note} on ${when.toDateString()}`);
 * ```
 */
export type InferParamsInput<P extends ParamsDefinition> = P extends readonly string[]
  ? { [K in P[number]]: unknown }
  : {
      -readonly [K in keyof P]: P[K] extends StandardSchemaV1
        ? StandardSchemaV1.InferInput<P[K]>
        : P[K] extends {
              /** A parameter given as `{ schema, default?, optional? }`. */
              readonly schema: infer S extends StandardSchemaV1;
            }
          ? StandardSchemaV1.InferInput<S>
          : unknown;
    };

interface PlannedParam {
  readonly name: string;
  readonly schema: StandardSchemaV1 | undefined;
  readonly hasDefault: boolean;
  readonly defaultValue: unknown;
  readonly optional: boolean;
}

/**
 * One problem with the arguments, as sent to the caller in `kwargs.issues` of a
 * `wamp.error.invalid_argument` ERROR when a parameter's schema rejects a value.
 *
 * @example
 * ```ts
 * import type { ArgumentIssue } from 'serverwamp';
 * import { CallError } from 'serverwamp/client';
 *
 * try {
 *   await api.call('math.add', { number1: 2, number2: 3 });
 * } catch (error) {
 *   if (!(error instanceof CallError) || error.uri !== 'wamp.error.invalid_argument') throw error;
 *   const issues = (error.kwargs['issues'] ?? []) as ArgumentIssue[];
 *   for (const { path, message } of issues) console.log(`${path.join('.')}: ${message}`); // "number1: Invalid input…"
 * }
 * ```
 */
export interface ArgumentIssue {
  /** Where the problem is: the parameter's name, then keys and indexes into its value. */
  readonly path: readonly (string | number)[];
  /** What is wrong, in the schema's words. */
  readonly message: string;
}

function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && '~standard' in value;
}

function isEmpty(obj: Readonly<Dict>): boolean {
  for (const _ in obj) return false;
  return true;
}

function invalid(message: string, issues: readonly ArgumentIssue[] = []): WampError {
  return new WampError(WampURI.INVALID_ARGUMENT, {
    args: [message],
    kwargs: issues.length > 0 ? { message, issues } : { message },
  });
}

function issuePath(name: string, issue: StandardSchemaV1.Issue): (string | number)[] {
  const path: (string | number)[] = [name];
  for (const segment of issue.path ?? []) {
    const key = typeof segment === 'object' ? segment.key : segment;
    path.push(typeof key === 'number' ? key : String(key));
  }
  return path;
}

/** A binding plan for one procedure's parameters. */
export class ParamBinder {
  readonly #params: readonly PlannedParam[];
  readonly #index: ReadonlyMap<string, number>;
  readonly #hasSchemas: boolean;
  /** No schemas and no name that plain assignment would mishandle: binding can take the fast path. */
  readonly #plain: boolean;

  constructor(definition: ParamsDefinition) {
    const params: PlannedParam[] = [];
    if (Array.isArray(definition)) {
      for (const name of definition as readonly string[]) {
        params.push({ name, schema: undefined, hasDefault: false, defaultValue: undefined, optional: false });
      }
    } else {
      for (const [name, def] of Object.entries(definition as Record<string, ParamDefinition>)) {
        if (isStandardSchema(def)) {
          params.push({ name, schema: def, hasDefault: false, defaultValue: undefined, optional: false });
        } else if (typeof def === 'object' && def !== null) {
          const hasDefault = Object.hasOwn(def, 'default');
          params.push({
            name,
            schema: def.schema,
            hasDefault,
            defaultValue: def.default,
            optional: def.optional === true,
          });
        } else {
          throw new ServerwampError('ERR_INVALID_OPTION', `parameter ${JSON.stringify(name)} must be a Standard Schema or an options object`);
        }
      }
    }
    const index = new Map<string, number>();
    for (const [i, p] of params.entries()) {
      if (index.has(p.name)) throw new ServerwampError('ERR_INVALID_OPTION', `parameter ${JSON.stringify(p.name)} is declared twice`);
      index.set(p.name, i);
    }
    this.#params = params;
    this.#index = index;
    this.#hasSchemas = params.some((p) => p.schema !== undefined);
    this.#plain = !this.#hasSchemas && params.every((p) => p.name !== '__proto__');
  }

  /** The declared parameter names, in order. */
  get names(): string[] {
    return this.#params.map((p) => p.name);
  }

  /**
   * Binds a call's arguments. Returns the bound object, or a promise of it when
   * a schema validates asynchronously. Throws/rejects with a
   * `wamp.error.invalid_argument` {@link WampError} naming the parameter.
   */
  bind(args: readonly unknown[], kwargs: Readonly<Dict>): Dict | Promise<Dict> {
    const params = this.#params;
    if (this.#plain && args.length === params.length && isEmpty(kwargs)) {
      // The common call: every parameter by position, nothing to validate.
      const bound: Dict = {};
      for (let i = 0; i < params.length; i++) bound[params[i]!.name] = args[i];
      return bound;
    }
    if (args.length > params.length) {
      throw invalid(`too many positional arguments: expected at most ${params.length}, got ${args.length}`);
    }
    const values: unknown[] = new Array<unknown>(params.length);
    const given: boolean[] = new Array<boolean>(params.length).fill(false);
    for (let i = 0; i < args.length; i++) {
      values[i] = args[i];
      given[i] = true;
    }
    for (const key of Object.keys(kwargs)) {
      const i = this.#index.get(key);
      if (i === undefined) throw invalid(`unexpected keyword argument '${key}'`);
      if (given[i]) throw invalid(`argument '${key}' was given both by position and by keyword`);
      values[i] = kwargs[key];
      given[i] = true;
    }

    const bound: Dict = {};
    let pending: Promise<void>[] | undefined;
    const issues: ArgumentIssue[] = [];
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!;
      if (!given[i]) {
        if (p.hasDefault) {
          defineOwn(bound, p.name, p.defaultValue);
          continue;
        }
        if (p.schema === undefined) {
          if (p.optional) {
            defineOwn(bound, p.name, undefined);
            continue;
          }
          throw invalid(`missing required argument '${p.name}'`);
        }
      }
      if (p.schema === undefined) {
        defineOwn(bound, p.name, values[i]);
        continue;
      }
      const missing = !given[i];
      const outcome = p.schema['~standard'].validate(values[i]);
      const settle = (result: StandardSchemaV1.Result<unknown>): void => {
        if (result.issues === undefined) {
          defineOwn(bound, p.name, result.value);
        } else if (missing && !p.optional) {
          issues.push({ path: [p.name], message: 'missing required argument' });
        } else if (missing) {
          defineOwn(bound, p.name, undefined);
        } else {
          for (const issue of result.issues) issues.push({ path: issuePath(p.name, issue), message: issue.message });
        }
      };
      if (outcome instanceof Promise) (pending ??= []).push(outcome.then(settle));
      else settle(outcome);
    }

    const finish = (): Dict => {
      if (issues.length === 0) return bound;
      const first = issues[0]!;
      const missing = issues.find((i) => i.message === 'missing required argument' && i.path.length === 1);
      if (missing !== undefined) throw invalid(`missing required argument '${String(missing.path[0])}'`, issues);
      throw invalid(`invalid argument '${String(first.path[0])}': ${first.message}`, issues);
    };
    if (pending !== undefined) return Promise.all(pending).then(finish);
    return finish();
  }

  get hasSchemas(): boolean {
    return this.#hasSchemas;
  }
}
