/**
 * The server calling its clients, frame by frame: REGISTER/UNREGISTER
 * replies, the INVOCATION layout, which answers are ignored and which are
 * protocol violations, and INTERRUPT only for callees that announced
 * call_canceling.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { Application, WampError, type CallResult, type Session } from '../src/index.js';
import { RawClient } from './helpers/raw-client.js';
import { serve } from './helpers/server.js';

const CANCELING_CALLEE = { roles: { caller: {}, callee: { features: { call_canceling: true, progressive_call_results: true } } } };

async function setup(
  t: TestContext,
  options: ConstructorParameters<typeof Application>[0] = {},
  hello: Record<string, unknown> = {},
): Promise<{ app: Application; url: string; raw: RawClient; session: Session }> {
  const app = new Application(options);
  const { url } = await serve(app, t);
  const raw = await RawClient.connect(url);
  const welcome = await raw.hello('realm1', hello);
  assert.equal(welcome[0], 2);
  t.after(() => raw.close());
  return { app, url, raw, session: app.getSession(welcome[1])! };
}

/** REGISTERs `procedure` and returns the registration id from REGISTERED. */
async function register(raw: RawClient, requestId: number, procedure: string, options: Record<string, unknown> = {}): Promise<number> {
  raw.send([64, requestId, options, procedure]);
  const registered = await raw.next();
  assert.deepEqual(registered.slice(0, 2), [65, requestId]);
  assert.ok(Number.isInteger(registered[2]) && registered[2] >= 1);
  return registered[2];
}

async function expectViolation(raw: RawClient, pattern: RegExp): Promise<void> {
  const abort = await raw.next();
  assert.deepEqual(abort.slice(0, 1).concat(abort.slice(2)), [3, 'wamp.error.protocol_violation']);
  assert.match(String(abort[1].message), pattern);
  assert.equal((await raw.closed).code, 1002);
}

describe('REGISTER and UNREGISTER replies', () => {
  it('REGISTERED, UNREGISTERED, and the errors for what cannot be registered', async (t) => {
    const { raw } = await setup(t);
    const id = await register(raw, 1, 'ui.confirm');
    raw.send([64, 2, {}, 'ui.confirm']);
    assert.deepEqual((await raw.next()).slice(0, 5), [8, 64, 2, {}, 'wamp.error.procedure_already_exists']);
    raw.send([64, 3, { match: 'prefix' }, 'ui.confirm']); // another policy is another registration
    assert.equal((await raw.next())[0], 65);
    raw.send([64, 4, { match: 'fuzzy' }, 'ui.x']);
    assert.deepEqual((await raw.next()).slice(0, 5), [8, 64, 4, {}, 'wamp.error.invalid_argument']);
    raw.send([64, 5, {}, 'ui..x']);
    assert.deepEqual((await raw.next()).slice(0, 5), [8, 64, 5, {}, 'wamp.error.invalid_uri']);
    raw.send([64, 6, { match: 'prefix' }, 'wamp.session']);
    assert.deepEqual((await raw.next()).slice(0, 5), [8, 64, 6, {}, 'wamp.error.invalid_uri']);
    raw.send([66, 7, id]);
    assert.deepEqual(await raw.next(), [67, 7]);
    raw.send([66, 8, id]);
    assert.deepEqual(await raw.next(), [8, 66, 8, {}, 'wamp.error.no_such_registration', [`no registration ${id}`]]);
  });

  it('a duplicate REGISTER while the authorizer decides the first gets procedure_already_exists', async (t) => {
    const app = new Application();
    let allow!: () => void;
    const decided = new Promise<boolean>((resolve) => (allow = () => resolve(true)));
    app.setAuthorizer(({ action }) => action !== 'register' || decided);
    const { url } = await serve(app, t);
    const raw = await RawClient.connect(url);
    await raw.hello();
    raw.send([64, 1, {}, 'ui.confirm']);
    raw.send([64, 2, {}, 'ui.confirm']);
    assert.deepEqual((await raw.next()).slice(0, 5), [8, 64, 2, {}, 'wamp.error.procedure_already_exists']);
    allow();
    assert.deepEqual((await raw.next()).slice(0, 2), [65, 1]);
    raw.close();
  });
});

describe('INVOCATION', () => {
  it('carries the registration id, the payload, receive_progress only with onProgress, and procedure only for patterns', async (t) => {
    const { raw, session } = await setup(t);
    const exact = await register(raw, 1, 'device.read');
    const prefix = await register(raw, 2, 'device.sensor', { match: 'prefix' });

    const first = session.call('device.read', { args: ['s1'], kwargs: { unit: 'C' } });
    assert.deepEqual(await raw.next(), [68, 1, exact, {}, ['s1'], { unit: 'C' }]);
    raw.send([70, 1, {}, [21.5]]);
    assert.deepEqual((await first).args, [21.5]);

    const progress: CallResult[] = [];
    const second = session.call('device.sensor.temperature', { onProgress: (p) => progress.push(p) });
    assert.deepEqual(await raw.next(), [68, 2, prefix, { procedure: 'device.sensor.temperature', receive_progress: true }]);
    raw.send([70, 2, { progress: true }, [1]]);
    raw.send([70, 2, { progress: true }, [], { step: 2 }]);
    raw.send([70, 2, {}, [], { done: true }]);
    assert.deepEqual(await second, { args: [], kwargs: { done: true } });
    assert.deepEqual(
      progress.map((p) => [p.args, { ...p.kwargs }]),
      [
        [[1], {}],
        [[], { step: 2 }],
      ],
    );
  });

  it('progress from a callee that was not asked for it is dropped; the final YIELD settles the call', async (t) => {
    const { raw, session } = await setup(t);
    await register(raw, 1, 'device.read');
    const call = session.call('device.read');
    assert.equal((await raw.next())[0], 68);
    raw.send([70, 1, { progress: true }, ['ignored']]);
    raw.send([70, 1, {}, ['final']]);
    assert.deepEqual((await call).args, ['final']);
  });

  it('an ERROR for the INVOCATION rejects with its URI and payload', async (t) => {
    const { raw, session } = await setup(t);
    await register(raw, 1, 'ui.confirm');
    const call = session.call('ui.confirm');
    await raw.next();
    raw.send([8, 68, 1, {}, 'app.error.dismissed', ['closed'], { after: 3 }]);
    await assert.rejects(call, (error: unknown) => {
      assert.ok(error instanceof WampError);
      assert.deepEqual([error.uri, error.args, error.kwargs], ['app.error.dismissed', ['closed'], { after: 3 }]);
      return true;
    });
  });
});

describe('answers the server does not expect', () => {
  it('a YIELD for an invocation never sent is a protocol violation', async (t) => {
    const { raw, session } = await setup(t);
    await register(raw, 1, 'device.read');
    void session.call('device.read').catch(() => {});
    await raw.next();
    raw.send([70, 2, {}, ['?']]);
    await expectViolation(raw, /YIELD for unknown invocation 2/);
  });

  it('an ERROR for an invocation never sent is a protocol violation', async (t) => {
    const { raw } = await setup(t);
    await register(raw, 1, 'device.read');
    raw.send([8, 68, 1, {}, 'app.error.x']);
    await expectViolation(raw, /ERROR for unknown invocation 1/);
  });

  it('an ERROR whose REQUEST.Type is not INVOCATION is a protocol violation', async (t) => {
    const { raw } = await setup(t);
    raw.send([8, 64, 1, {}, 'app.error.x']);
    await expectViolation(raw, /ERROR for a REGISTER is not something a client may send/);
  });

  it('without call_canceling: a timed-out invocation gets no INTERRUPT, and one late final answer is ignored', async (t) => {
    const { raw, session } = await setup(t);
    await register(raw, 1, 'ui.slow');
    await assert.rejects(session.call('ui.slow', { timeout: 10 }), (error: unknown) => error instanceof WampError && error.uri === 'wamp.error.timeout');
    assert.deepEqual((await raw.next()).slice(0, 2), [68, 1]);
    assert.ok(await raw.silent(100), 'no INTERRUPT for a callee without call_canceling');
    raw.send([70, 1, { progress: true }, ['late progress']]);
    raw.send([70, 1, {}, ['late']]);
    const next = session.call('ui.slow');
    assert.deepEqual((await raw.next()).slice(0, 2), [68, 2]);
    raw.send([70, 2, {}, ['on time']]);
    assert.deepEqual((await next).args, ['on time']);
    // The late answer was the last one the invocation could have: another is a violation.
    raw.send([70, 1, {}, ['again']]);
    await expectViolation(raw, /YIELD for unknown invocation 1/);
  });

  it('with call_canceling: a timed-out or aborted invocation gets INTERRUPT killnowait, and its late ERROR is ignored', async (t) => {
    const { raw, session } = await setup(t, {}, CANCELING_CALLEE);
    await register(raw, 1, 'ui.slow');
    await assert.rejects(session.call('ui.slow', { timeout: 10 }), (error: unknown) => error instanceof WampError && error.uri === 'wamp.error.timeout');
    assert.deepEqual((await raw.next()).slice(0, 2), [68, 1]);
    assert.deepEqual(await raw.next(), [69, 1, { mode: 'killnowait' }]);
    raw.send([8, 68, 1, {}, 'wamp.error.canceled']);

    const controller = new AbortController();
    const aborted = session.call('ui.slow', { signal: controller.signal });
    assert.deepEqual((await raw.next()).slice(0, 2), [68, 2]);
    controller.abort();
    await assert.rejects(aborted, (error: unknown) => error instanceof WampError && error.uri === 'wamp.error.canceled');
    assert.deepEqual(await raw.next(), [69, 2, { mode: 'killnowait' }]);
    raw.send([70, 2, {}, ['finished anyway']]);

    const next = session.call('ui.slow');
    assert.deepEqual((await raw.next()).slice(0, 2), [68, 3]);
    raw.send([70, 3, {}, ['ok']]);
    assert.deepEqual((await next).args, ['ok']);
  });
});

describe('the session ending', () => {
  it('a session closed by the server rejects pending calls and sends nothing after its GOODBYE, not even INTERRUPT', async (t) => {
    const { raw, session } = await setup(t, {}, CANCELING_CALLEE);
    await register(raw, 1, 'ui.never');
    const call = session.call('ui.never', { timeout: 50 });
    await raw.next();
    session.close('wamp.close.system_shutdown');
    await assert.rejects(call, (error: unknown) => error instanceof WampError && error.uri === 'wamp.error.canceled');
    assert.deepEqual(await raw.next(), [6, {}, 'wamp.close.system_shutdown']);
    assert.ok(await raw.silent(150), 'nothing after GOODBYE');
  });

  it("registrations go with their session: a new session on the same connection starts with none", async (t) => {
    const { app, raw, session } = await setup(t);
    await register(raw, 1, 'ui.confirm');
    raw.send([6, {}, 'wamp.close.normal']);
    assert.deepEqual(await raw.next(), [6, {}, 'wamp.close.goodbye_and_out']);
    assert.equal(session.hasRegistration('ui.confirm'), false);
    await assert.rejects(session.call('ui.confirm'), (error: unknown) => error instanceof WampError && error.uri === 'wamp.error.canceled');
    const welcome = await raw.hello();
    const next = app.getSession(welcome[1])!;
    await assert.rejects(next.call('ui.confirm'), (error: unknown) => error instanceof WampError && error.uri === 'wamp.error.no_such_procedure');
    raw.send([70, 1, {}]);
    await expectViolation(raw, /YIELD for unknown invocation 1/);
  });
});
