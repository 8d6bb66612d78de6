/**
 * The server calling its clients: autobahn-js and wampy REGISTER procedures,
 * and the application calls them with `session.call`, as socket.io's
 * `emitWithAck` asks a client. Results, errors, progress, timeouts, aborts,
 * and the session ending, as each real client produces them.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { Application, RPCResult, RPCRouteSet, WampError, type AuthorizationRequest } from '../src/index.js';
import { CALLEE_CLIENTS, CalleeFailure, connectCallee, deferred, type TestCallee } from './helpers/callees.js';
import { connectAutobahn, connectWampy } from './helpers/clients.js';
import { serve } from './helpers/server.js';

async function setup(
  t: TestContext,
  kind: (typeof CALLEE_CLIENTS)[number],
  options: ConstructorParameters<typeof Application>[0] = {},
): Promise<{ app: Application; url: string; callee: TestCallee }> {
  const app = new Application(options);
  const { url } = await serve(app, t);
  const callee = await connectCallee(app, url, kind);
  t.after(() => callee.close());
  return { app, url, callee };
}

function wampError(uri: string, check: (error: WampError) => void = () => {}): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof WampError, `expected a WampError, got ${String(error)}`);
    assert.equal(error.uri, uri);
    check(error);
    return true;
  };
}

for (const kind of CALLEE_CLIENTS) {
  const name = `${kind.client}/${kind.serializer}`;

  describe(`calling a ${name} client`, () => {
    it('resolves with the positional and keyword results of its procedure', async (t) => {
      const { callee } = await setup(t, kind);
      await callee.register('device.read', ({ args, kwargs }) => ({
        args: [`reading of ${String(args[0])}`, 21.5],
        kwargs: { unit: kwargs['unit'], ok: true },
      }));
      assert.equal(callee.session.hasRegistration('device.read'), true);
      const result = await callee.session.call('device.read', { args: ['sensor-1'], kwargs: { unit: 'C' } });
      assert.deepEqual(result, { args: ['reading of sensor-1', 21.5], kwargs: { unit: 'C', ok: true } });
      const empty = await callee.session.call('device.read');
      assert.deepEqual(empty.args, ['reading of undefined', 21.5]);
    });

    it("rejects with the callee's error URI, args and kwargs", async (t) => {
      const { callee } = await setup(t, kind);
      await callee.register('ui.confirm', () => {
        throw new CalleeFailure('app.error.dismissed', ['the user closed the dialog'], { after: 3 });
      });
      await assert.rejects(
        callee.session.call('ui.confirm', { args: ['Delete?'] }),
        wampError('app.error.dismissed', (error) => {
          assert.deepEqual(error.args, ['the user closed the dialog']);
          assert.deepEqual(error.kwargs, { after: 3 });
        }),
      );
    });

    it("a procedure that throws reaches the server with the client's default error URI", async (t) => {
      const { callee } = await setup(t, kind);
      await callee.register('device.broken', () => {
        throw new Error('sensor unplugged');
      });
      const expected = kind.client === 'autobahn' ? 'wamp.error.runtime_error' : 'wamp.error.invocation_exception';
      await assert.rejects(callee.session.call('device.broken'), wampError(expected));
    });

    it('progressive results go to onProgress, and the client is asked for them only then', async (t) => {
      const { callee } = await setup(t, kind);
      const offered: boolean[] = [];
      await callee.register('device.calibrate', async ({ progress }) => {
        offered.push(progress !== undefined);
        for (const step of [1, 2, 3]) progress?.([step], { of: 3 });
        return { kwargs: { calibrated: true } };
      });
      const steps: unknown[] = [];
      const result = await callee.session.call('device.calibrate', {
        onProgress: ({ args, kwargs }) => steps.push([args[0], kwargs['of']]),
      });
      assert.deepEqual(steps, [
        [1, 3],
        [2, 3],
        [3, 3],
      ]);
      assert.deepEqual(result.kwargs, { calibrated: true });
      assert.deepEqual((await callee.session.call('device.calibrate')).kwargs, { calibrated: true });
      assert.deepEqual(offered, [true, false]);
    });

    it('a timeout rejects with wamp.error.timeout, and the late answer is ignored (no INTERRUPT, the session carries on)', async (t) => {
      const { callee } = await setup(t, kind);
      const release = deferred();
      const answered = deferred();
      await callee.register('ui.slow', async () => {
        await release.promise;
        answered.resolve();
        return { args: ['too late'] };
      });
      await callee.register('ui.fast', () => ({ args: ['fast'] }));
      await assert.rejects(callee.session.call('ui.slow', { timeout: 20 }), wampError('wamp.error.timeout'));
      release.resolve();
      await answered.promise;
      // The late YIELD left the client before this INVOCATION's answer, so it has been ignored by now.
      assert.deepEqual((await callee.session.call('ui.fast')).args, ['fast']);
      assert.equal(callee.session.closed, false);
    });

    it('an aborted signal rejects with wamp.error.canceled', async (t) => {
      const { callee } = await setup(t, kind);
      const invoked = deferred();
      const release = deferred();
      await callee.register('ui.prompt', async () => {
        invoked.resolve();
        await release.promise;
        return { args: ['late'] };
      });
      await callee.register('ui.fast', () => ({ args: ['fast'] }));
      const controller = new AbortController();
      const call = callee.session.call('ui.prompt', { signal: controller.signal });
      await invoked.promise;
      controller.abort();
      await assert.rejects(call, wampError('wamp.error.canceled'));
      release.resolve();
      assert.deepEqual((await callee.session.call('ui.fast')).args, ['fast']);
    });

    it('the session ending rejects pending calls with wamp.error.canceled', async (t) => {
      const { callee } = await setup(t, kind);
      const invoked = deferred();
      await callee.register('ui.never', async () => {
        invoked.resolve();
        await new Promise(() => {});
      });
      const rejected = assert.rejects(
        callee.session.call('ui.never'),
        wampError('wamp.error.canceled', (error) => assert.deepEqual(error.args, ['the session ended'])),
      );
      await invoked.promise;
      await callee.close();
      await rejected;
      await assert.rejects(callee.session.call('ui.never'), wampError('wamp.error.canceled'));
      assert.equal(callee.session.hasRegistration('ui.never'), false);
    });

    it('after UNREGISTER the procedure is gone: wamp.error.no_such_procedure', async (t) => {
      const { callee } = await setup(t, kind);
      await callee.register('device.read', () => ({ args: [1] }));
      await callee.unregister('device.read');
      assert.equal(callee.session.hasRegistration('device.read'), false);
      await assert.rejects(callee.session.call('device.read'), wampError('wamp.error.no_such_procedure'));
      await callee.register('device.read', () => ({ args: [2] }));
      assert.deepEqual((await callee.session.call('device.read')).args, [2]);
    });

    it('a prefix registration receives the concrete procedure URI', async (t) => {
      const { callee } = await setup(t, kind);
      await callee.register('device.sensor', ({ procedure }) => ({ args: [procedure] }), { match: 'prefix' });
      assert.deepEqual((await callee.session.call('device.sensor.temperature')).args, ['device.sensor.temperature']);
      await assert.rejects(callee.session.call('device.other'), wampError('wamp.error.no_such_procedure'));
    });
  });
}

describe('registering from clients', () => {
  it('WELCOME announces pattern_based_registration alongside progressive_call_results', async (t) => {
    const { url } = await serve(new Application(), t);
    const client = await connectAutobahn(url);
    const features = client.details.roles.dealer.features;
    assert.equal(features.pattern_based_registration, true);
    assert.equal(features.progressive_call_results, true);
    await client.close();
  });

  it('a second REGISTER of the same URI by the same session gets wamp.error.procedure_already_exists; other sessions may register it', async (t) => {
    const app = new Application();
    const { url } = await serve(app, t);
    const first = await connectCallee(app, url, { client: 'autobahn', serializer: 'json' });
    const second = await connectCallee(app, url, { client: 'autobahn', serializer: 'json' });
    await first.register('ui.confirm', () => ({ args: ['first'] }));
    await assert.rejects(first.register('ui.confirm', () => ({})), (error: any) => error.error === 'wamp.error.procedure_already_exists');
    await second.register('ui.confirm', () => ({ args: ['second'] }));
    assert.deepEqual((await first.session.call('ui.confirm')).args, ['first']);
    assert.deepEqual((await second.session.call('ui.confirm')).args, ['second']);
    await first.close();
    await second.close();
  });

  it("a client's procedure is its session's alone: other clients' CALLs go to the application routes only", async (t) => {
    const app = new Application();
    const routes = new RPCRouteSet();
    // A route that asks the caller's own browser to confirm, and acts on the answer.
    routes.route('files.delete', { params: ['count'] }, async ({ count }, { session }) => {
      const { args } = await session.call('ui.confirm', { args: [`Delete ${String(count)} files?`], timeout: 5000 });
      return new RPCResult({ args: [args[0] === true ? 'deleted' : 'kept'] });
    });
    app.addRPCRoutes(routes);
    const { url } = await serve(app, t);
    const browser = await connectWampy(url);
    await browser.register('ui.confirm', ({ argsList }: any) => ({ argsList: [String(argsList[0]).startsWith('Delete 3 ')] }));
    assert.deepEqual((await browser.call('files.delete', [3])).argsList, ['deleted']);
    assert.deepEqual((await browser.call('files.delete', [4])).argsList, ['kept']);
    const other = await connectAutobahn(url);
    await assert.rejects(other.session.call('ui.confirm'), (error: any) => error.error === 'wamp.error.no_such_procedure');
    // Its own session registered no ui.confirm, so the route's session.call fails, and the route with it.
    await assert.rejects(other.session.call('files.delete', [3]), (error: any) => error.error === 'wamp.error.no_such_procedure');
    await other.close();
    await browser.disconnect();
  });

  it('wamp.* procedures are refused with wamp.error.invalid_uri', async (t) => {
    const { url } = await serve(new Application(), t);
    const client = await connectAutobahn(url);
    await assert.rejects(client.session.register('wamp.session.get', () => 1), (error: any) => error.error === 'wamp.error.invalid_uri');
    await client.close();
  });

  it("the realm authorizer is asked with action 'register' and can refuse", async (t) => {
    const app = new Application();
    const asked: Array<Pick<AuthorizationRequest, 'action' | 'uri' | 'match'>> = [];
    app.setAuthorizer(async ({ action, uri, match }) => {
      asked.push({ action, uri, match });
      return !uri.startsWith('admin.');
    });
    const { url } = await serve(app, t);
    const client = await connectAutobahn(url, { serializer: 'msgpack' });
    await assert.rejects(client.session.register('admin.shutdown', () => 1), (error: any) => {
      assert.equal(error.error, 'wamp.error.not_authorized');
      assert.deepEqual(error.args, ['not authorized to register admin.shutdown']);
      return true;
    });
    await client.session.register('device.', () => 1, { match: 'prefix' });
    assert.deepEqual(asked, [
      { action: 'register', uri: 'admin.shutdown', match: 'exact' },
      { action: 'register', uri: 'device.', match: 'prefix' },
    ]);
    await client.close();
  });

  it('clientRegistrations: false refuses REGISTER with wamp.error.not_authorized and announces no pattern_based_registration', async (t) => {
    const app = new Application({ clientRegistrations: false });
    const { url } = await serve(app, t);
    const client = await connectAutobahn(url);
    assert.equal(client.details.roles.dealer.features.pattern_based_registration, undefined);
    await assert.rejects(client.session.register('ui.confirm', () => 1), (error: any) => error.error === 'wamp.error.not_authorized');
    const wampy = await connectWampy(url);
    await assert.rejects(wampy.register('ui.confirm', () => ({})), (error: any) => error.errorUri === 'wamp.error.not_authorized');
    const session = app.getSession(client.session.id)!;
    await assert.rejects(session.call('ui.confirm'), wampError('wamp.error.no_such_procedure'));
    await wampy.disconnect();
    await client.close();
  });

  it('maxRegistrations bounds the procedures of one session', async (t) => {
    const app = new Application({ maxRegistrations: 2 });
    const { url } = await serve(app, t);
    const client = await connectAutobahn(url);
    await client.session.register('a.one', () => 1);
    await client.session.register('a.two', () => 2);
    await assert.rejects(client.session.register('a.three', () => 3), (error: any) => error.error === 'serverwamp.error.too_many_registrations');
    await client.close();
  });
});

describe('session.call, from the application side', () => {
  it('rejects calls to a session that registered nothing, invalid URIs and invalid options', async (t) => {
    const app = new Application();
    const { url } = await serve(app, t);
    const client = await connectAutobahn(url);
    const session = app.getSession(client.session.id)!;
    await assert.rejects(session.call('ui.confirm'), wampError('wamp.error.no_such_procedure'));
    await assert.rejects(session.call('not a uri'), { code: 'ERR_INVALID_URI' });
    await client.session.register('ui.confirm', () => true);
    await assert.rejects(session.call('ui.confirm', { timeout: -1 }), { code: 'ERR_INVALID_OPTION' });
    const aborted = AbortSignal.abort();
    await assert.rejects(session.call('ui.confirm', { signal: aborted }), wampError('wamp.error.canceled'));
    const { args, kwargs } = await session.call('ui.confirm');
    assert.deepEqual([args, Object.keys(kwargs)], [[true], []]);
    await client.close();
  });

  it('maxPendingInvocations bounds the calls awaiting one session', async (t) => {
    const app = new Application({ maxPendingInvocations: 1 });
    const { url } = await serve(app, t);
    const client = await connectAutobahn(url);
    const release = deferred();
    await client.session.register('ui.wait', async () => {
      await release.promise;
      return 'done';
    });
    const session = app.getSession(client.session.id)!;
    const first = session.call('ui.wait');
    await assert.rejects(session.call('ui.wait'), wampError('serverwamp.error.too_many_invocations'));
    release.resolve();
    assert.deepEqual((await first).args, ['done']);
    assert.deepEqual((await session.call('ui.wait')).args, ['done']);
    await client.close();
  });
});
