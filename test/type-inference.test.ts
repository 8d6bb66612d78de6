/**
 * Type-level checks, compiled by `tsc --noEmit` (npm run typecheck): handler
 * parameters are inferred from Standard Schemas, and wrong handlers do not
 * compile (each `@ts-expect-error` fails the type check if its line compiles).
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import * as v from 'valibot';
import { z } from 'zod';
import { Application, RPCRouteSet, type InferParams, type InferParamsInput, type RPCRequest } from '../src/index.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<_T extends true>(): void {}

interface AppContext {
  readonly db: Map<string, number>;
}

const routes = new RPCRouteSet<AppContext>();

routes.route(
  'typed',
  {
    params: {
      count: z.coerce.number(),
      when: z.iso.datetime().transform((s) => new Date(s)),
      taunt: z.string().default('ah ah ah!'),
      label: v.optional(v.string(), 'none'),
      anything: {},
      withDefault: { default: 3 },
      maybe: { schema: z.boolean(), optional: true },
    },
  },
  (params, request) => {
    expectType<
      Equal<
        typeof params,
        { count: number; when: Date; taunt: string; label: string; anything: unknown; withDefault: number; maybe: boolean | undefined }
      >
    >();
    expectType<Equal<typeof request, RPCRequest<AppContext>>>();
    expectType<Equal<typeof request.context.db, Map<string, number>>>();
    return params.count + params.withDefault + request.context.db.size;
  },
);

routes.route('names', { params: ['a', 'b'] }, (params) => {
  expectType<Equal<typeof params, { a: unknown; b: unknown }>>();
  return [params.a, params.b];
});

routes.route('raw', (request) => {
  expectType<Equal<typeof request.args, readonly unknown[]>>();
  expectType<Equal<typeof request.signal, AbortSignal>>();
  return request.context.db.size;
});

// The caller-side type: schema inputs, not outputs.
type AddInput = InferParamsInput<{ count: z.ZodCoercedNumber<unknown>; label: z.ZodString }>;
expectType<Equal<AddInput, { count: unknown; label: string }>>();
expectType<Equal<InferParams<readonly ['x']>, { x: unknown }>>();

// @ts-expect-error: `count` is a number after the schema, so a handler taking a string does not compile.
routes.route('wrong.type', { params: { count: z.number() } }, ({ count }: { count: string }) => count);

// @ts-expect-error: `b` is not a declared parameter.
routes.route('wrong.name', { params: ['a'] }, ({ b }) => b);

// @ts-expect-error: the context has no `cache`.
routes.route('wrong.context', (request) => request.context.cache);

// A route set that uses no context, or less of it, fits an application that provides more.
new Application<{ db: Map<string, number>; cache: Set<string> }>({ context: { db: new Map(), cache: new Set() } }).addRPCRoutes(
  routes,
  new RPCRouteSet().route('plain', () => 1),
);

// @ts-expect-error: a route set for another context does not fit this application.
new Application<{ other: true }>({ context: { other: true } }).addRPCRoutes(routes);

it('the type-level checks above compile (see npm run typecheck)', () => {
  assert.deepEqual(
    [...routes].map((route) => route.uri),
    ['typed', 'names', 'raw', 'wrong.type', 'wrong.name', 'wrong.context'],
  );
});
