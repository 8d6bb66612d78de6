/**
 * What a real client sees for every kind of procedure return value, over
 * autobahn-js and wampy with each serializer.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Application, RPCErrorResult, RPCResult, RPCRouteSet, WampError } from '../src/index.js';
import { AMBIGUOUS_NULL, CLIENTS, connectClient, type UniformClient } from './helpers/clients.js';
import { RawClient } from './helpers/raw-client.js';
import { serve, type Served } from './helpers/server.js';

function createApp(logged: unknown[]): Application {
  const app = new Application({
    logger: {
      debug() {},
      info() {},
      warn() {},
      error: (obj: unknown) => void logged.push(obj),
      child() {
        return this;
      },
    },
  });
  const routes = new RPCRouteSet();
  routes.route('math.add', { params: ['number1', 'number2'] }, ({ number1, number2 }) => Number(number1) + Number(number2));
  routes.route('single.string', () => 'hello');
  routes.route('single.null', () => null);
  routes.route('single.bool', async () => false);
  routes.route('positional', () => ['Peanut Butter', 'Jelly', 'Bread']);
  routes.route('keyword', () => ({ gregorianYear: 2020, 生肖: '鼠' }));
  routes.route('keyword.map', () => new Map([['a', 1]]));
  routes.route('nothing', () => undefined);
  routes.route('custom', () => new RPCResult({ args: ['Rock & Roll', 'Blues', 'Jazz'], kwargs: { playlistLength: 6432, playlistSubscribers: 51 } }));
  routes.route('error.result', () => new RPCErrorResult({ kwargs: { errorCode: 'BAD_INPUT', errorMessage: 'You should have supplied a number.' } }));
  routes.route('error.result.uri', () => new RPCErrorResult('app.error.custom', { args: ['Not authorized'] }));
  routes.route('error.thrown', () => {
    throw new WampError('app.error.not_found', { args: ['No such user'], kwargs: { id: 7 } });
  });
  routes.route('error.crash', () => {
    throw new Error('secret database password is hunter2');
  });
  routes.route('error.crash.async', async () => {
    await Promise.resolve();
    throw new TypeError('internal detail at /srv/app.js:12');
  });
  routes.route('slow', { params: ['ms', 'tag'] }, async ({ ms, tag }) => {
    await new Promise((resolve) => setTimeout(resolve, Number(ms)));
    return tag;
  });
  routes.route('echo', (request) => new RPCResult({ args: request.args, kwargs: request.kwargs }));
  app.addRPCRoutes(routes);
  return app;
}

for (const kind of CLIENTS) {
  describe(`RPC results seen by ${kind.client} over ${kind.serializer}`, () => {
    let served: Served;
    let client: UniformClient;
    const logged: unknown[] = [];

    before(async () => {
      served = await serve(createApp(logged), undefined);
      client = await connectClient(served.url, kind);
    });
    after(async () => {
      await client.close();
      await served.close();
    });

    it('a single value becomes one positional argument', async () => {
      assert.deepEqual(await client.call('math.add', [2, 3]), { args: [5], kwargs: {} });
      assert.deepEqual(await client.call('single.string'), { args: ['hello'], kwargs: {} });
      const expectedNull = kind.client === 'autobahn' ? AMBIGUOUS_NULL : null;
      assert.deepEqual(await client.call('single.null'), { args: [expectedNull], kwargs: {} });
      assert.deepEqual(await client.call('single.bool'), { args: [false], kwargs: {} });
    });

    it('an array becomes positional arguments', async () => {
      assert.deepEqual(await client.call('positional'), { args: ['Peanut Butter', 'Jelly', 'Bread'], kwargs: {} });
    });

    it('a plain object or a Map becomes keyword arguments', async () => {
      assert.deepEqual(await client.call('keyword'), { args: [], kwargs: { gregorianYear: 2020, 生肖: '鼠' } });
      assert.deepEqual(await client.call('keyword.map'), { args: [], kwargs: { a: 1 } });
    });

    it('undefined becomes a result without arguments', async () => {
      const expected = kind.client === 'autobahn' ? [AMBIGUOUS_NULL] : [];
      assert.deepEqual(await client.call('nothing'), { args: expected, kwargs: {} });
    });

    it('an RPCResult sends its args and kwargs', async () => {
      assert.deepEqual(await client.call('custom'), {
        args: ['Rock & Roll', 'Blues', 'Jazz'],
        kwargs: { playlistLength: 6432, playlistSubscribers: 51 },
      });
    });

    it('keyword call arguments bind by name', async () => {
      assert.deepEqual(await client.call('math.add', [], { number1: 40, number2: 2 }), { args: [42], kwargs: {} });
    });

    it('an RPCErrorResult becomes an ERROR with its URI and payload', async () => {
      await assert.rejects(client.call('error.result'), {
        error: 'wamp.error.runtime_error',
        kwargs: { errorCode: 'BAD_INPUT', errorMessage: 'You should have supplied a number.' },
      });
      await assert.rejects(client.call('error.result.uri'), { error: 'app.error.custom', args: ['Not authorized'] });
    });

    it('a thrown WampError becomes an ERROR with its URI and payload', async () => {
      await assert.rejects(client.call('error.thrown'), {
        error: 'app.error.not_found',
        args: ['No such user'],
        kwargs: { id: 7 },
      });
    });

    it('an uncaught exception becomes runtime_error without leaking anything', async () => {
      for (const procedure of ['error.crash', 'error.crash.async']) {
        const failure: any = await client.call(procedure).then(
          () => assert.fail('expected an error'),
          (error: unknown) => error,
        );
        assert.equal(failure.error, 'wamp.error.runtime_error');
        const seen = JSON.stringify(failure);
        assert.doesNotMatch(seen, /hunter2|srv\/app|TypeError|at /);
      }
      assert.ok(logged.length >= 2, 'the exception is logged server-side');
    });

    it('an unknown procedure gets no_such_procedure', async () => {
      await assert.rejects(client.call('no.such.thing'), { error: 'wamp.error.no_such_procedure' });
    });

    it('calls on one session run concurrently and each reply goes out when its procedure finishes', async () => {
      const finished: string[] = [];
      const slow = client.call('slow', [300, 'slow']).then((r) => finished.push(String(r.args[0])));
      const fast = client.call('slow', [10, 'fast']).then((r) => finished.push(String(r.args[0])));
      await Promise.all([slow, fast]);
      assert.deepEqual(finished, ['fast', 'slow']);
    });

    it('payloads round-trip, including unicode and nested structures', async () => {
      const kwargs = { nested: { list: [1, 'two', { three: 3 }], flag: true }, text: 'ünïcødé ✓' };
      assert.deepEqual(await client.call('echo', [1.5, 'x', [null]], kwargs), { args: [1.5, 'x', [null]], kwargs });
    });
  });
}

describe('RPC results on the wire', () => {
  it('null is one positional argument and undefined is none, exactly', async (t) => {
    const { url } = await serve(createApp([]), t);
    const raw = await RawClient.connect(url);
    await raw.hello();
    raw.send([48, 1, {}, 'single.null']);
    assert.deepEqual(await raw.next(), [50, 1, {}, [null]]);
    raw.send([48, 2, {}, 'nothing']);
    assert.deepEqual(await raw.next(), [50, 2, {}]);
    raw.send([48, 3, {}, 'keyword']);
    assert.deepEqual(await raw.next(), [50, 3, {}, [], { gregorianYear: 2020, 生肖: '鼠' }]);
    raw.send([48, 4, {}, 'error.result']);
    assert.deepEqual(await raw.next(), [
      8, 48, 4, {}, 'wamp.error.runtime_error', [], { errorCode: 'BAD_INPUT', errorMessage: 'You should have supplied a number.' },
    ]);
    raw.close();
  });
});
