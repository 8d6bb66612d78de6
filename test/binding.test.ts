/**
 * Argument binding and type marshalling, as real clients see them: positional
 * and keyword arguments bind to declared parameters, schemas (zod, valibot)
 * validate and transform, and every problem is a wamp.error.invalid_argument
 * naming the parameter.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as v from 'valibot';
import { z } from 'zod';
import { Application, RPCRouteSet } from '../src/index.js';
import { CLIENTS, connectClient, type UniformClient } from './helpers/clients.js';
import { serve, type Served } from './helpers/server.js';

function createApp(): Application<{ greeting: string }> {
  const app = new Application({ context: { greeting: 'Hello' } });
  const routes = new RPCRouteSet<{ greeting: string }>();
  routes.route('greet', { params: { name: {}, greeting: { default: 'Hi' }, punctuation: { optional: true } } }, ({ name, greeting, punctuation }) =>
    `${String(greeting)}, ${String(name)}${punctuation === undefined ? '!' : String(punctuation)}`,
  );
  routes.route('names', { params: ['first', 'second'] }, ({ first, second }) => [first, second]);
  routes.route(
    'zod.slowly_count',
    { params: { count_to: z.coerce.number().int(), interval: z.coerce.number(), taunt: z.string().default('ah ah ah!') } },
    ({ count_to, interval, taunt }) => ({ count_to, interval, taunt, types: [typeof count_to, typeof interval] }),
  );
  routes.route('zod.date', { params: { when: z.iso.datetime().transform((s) => new Date(s)) } }, ({ when }) => ({
    isDate: when instanceof Date,
    year: when.getUTCFullYear(),
  }));
  routes.route('zod.nested', { params: { user: z.object({ name: z.string(), age: z.number().int().min(0) }) } }, ({ user }) => user.name);
  routes.route(
    'valibot.scale',
    { params: { value: v.pipe(v.string(), v.transform(Number), v.number()), factor: v.optional(v.number(), 10) } },
    ({ value, factor }) => value * factor,
  );
  routes.route(
    'valibot.async',
    { params: { code: v.pipeAsync(v.string(), v.checkAsync(async (s) => s === 'open-sesame', 'wrong code')) } },
    ({ code }) => `${code} accepted`,
  );
  routes.route('context.greet', { params: ['name'] }, ({ name }, { context }) => `${context.greeting}, ${String(name)}`);
  app.addRPCRoutes(routes);
  return app;
}

for (const kind of CLIENTS) {
  describe(`argument binding seen by ${kind.client} over ${kind.serializer}`, () => {
    let served: Served;
    let client: UniformClient;
    before(async () => {
      served = await serve(createApp(), undefined);
      client = await connectClient(served.url, kind);
    });
    after(async () => {
      await client.close();
      await served.close();
    });

    const first = async (procedure: string, args: unknown[] = [], kwargs: Record<string, unknown> = {}): Promise<unknown> =>
      (await client.call(procedure, args, kwargs)).args[0];

    const invalid = async (procedure: string, args: unknown[], kwargs: Record<string, unknown>, message: RegExp): Promise<any> => {
      const failure: any = await client.call(procedure, args, kwargs).then(
        () => assert.fail(`${procedure} should have failed`),
        (error: unknown) => error,
      );
      assert.equal(failure.error, 'wamp.error.invalid_argument');
      assert.match(String(failure.args[0]), message);
      assert.equal(failure.kwargs.message, failure.args[0]);
      return failure;
    };

    it('binds positional arguments in declared order', async () => {
      assert.equal(await first('greet', ['Ada', 'Hello', '?']), 'Hello, Ada?');
      assert.deepEqual((await client.call('names', ['a', 'b'])).args, ['a', 'b']);
    });

    it('binds keyword arguments by name, mixed with positional ones', async () => {
      assert.equal(await first('greet', [], { greeting: 'Howdy', name: 'Ada' }), 'Howdy, Ada!');
      assert.equal(await first('greet', ['Ada'], { punctuation: '.' }), 'Hi, Ada.');
    });

    it('uses defaults for parameters left out', async () => {
      assert.equal(await first('greet', ['Ada']), 'Hi, Ada!');
    });

    it('refuses a missing required parameter, naming it', async () => {
      await invalid('greet', [], {}, /missing required argument 'name'/);
      await invalid('names', ['a'], {}, /missing required argument 'second'/);
    });

    it('refuses an unknown keyword, naming it', async () => {
      await invalid('greet', ['Ada'], { colour: 'red' }, /unexpected keyword argument 'colour'/);
    });

    it('refuses too many positional arguments', async () => {
      await invalid('names', ['a', 'b', 'c'], {}, /too many positional arguments: expected at most 2, got 3/);
    });

    it('refuses an argument given both by position and by keyword', async () => {
      await invalid('names', ['a', 'b'], { first: 'x' }, /argument 'first' was given both by position and by keyword/);
    });

    it('marshals types with zod: strings coerced to numbers, defaults applied', async () => {
      const { kwargs } = await client.call('zod.slowly_count', ['3', '0.5']);
      assert.deepEqual(kwargs, { count_to: 3, interval: 0.5, taunt: 'ah ah ah!', types: ['number', 'number'] });
    });

    it('marshals an ISO string into a Date', async () => {
      assert.deepEqual((await client.call('zod.date', ['2020-01-25T12:00:00Z'])).kwargs, { isDate: true, year: 2020 });
    });

    it('reports schema issues with their paths in kwargs', async () => {
      const failure = await invalid('zod.slowly_count', ['three', 1], {}, /invalid argument 'count_to'/);
      assert.deepEqual(failure.kwargs.issues[0].path, ['count_to']);
      const nested = await invalid('zod.nested', [{ name: 'Ada', age: -1 }], {}, /invalid argument 'user'/);
      assert.deepEqual(nested.kwargs.issues[0].path, ['user', 'age']);
      assert.equal(typeof nested.kwargs.issues[0].message, 'string');
      await invalid('zod.slowly_count', [], {}, /missing required argument 'count_to'/);
    });

    it('marshals types with valibot, including optional defaults and async checks', async () => {
      assert.equal(await first('valibot.scale', ['4']), 40);
      assert.equal(await first('valibot.scale', ['4'], { factor: 2 }), 8);
      await invalid('valibot.scale', [4], {}, /invalid argument 'value'/);
      assert.equal(await first('valibot.async', ['open-sesame']), 'open-sesame accepted');
      await invalid('valibot.async', ['guess'], {}, /invalid argument 'code': wrong code/);
    });

    it('gives procedures the application context', async () => {
      assert.equal(await first('context.greet', ['Ada']), 'Hello, Ada');
    });
  });
}
