/**
 * Every engine timeout, on a mock clock: the in-memory transport needs no
 * network, so nothing here waits in real time. Each case checks the moment
 * just before the deadline (nothing happened) and the deadline itself.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { Application, RPCProgressReport, RPCResult, RPCRouteSet, WampError, type ApplicationOptions } from '../src/index.js';
import { connectTestPeer, type TestPeer } from '../src/testing.js';

const HELLO = 1;
const WELCOME = 2;
const ABORT = 3;
const CHALLENGE = 4;
const GOODBYE = 6;
const ERROR = 8;
const CALL = 48;
const RESULT = 50;
const REGISTER = 64;
const REGISTERED = 65;
const INVOCATION = 68;

const roles = { caller: {}, callee: {}, subscriber: {}, publisher: {} };

function mockClock(t: TestContext): void {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'] });
}

/** Lets promise callbacks (handlers, settled calls) run; the mock clock does not move. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

async function join(peer: TestPeer): Promise<void> {
  peer.send([HELLO, 'realm1', { roles }]);
  const welcome = await peer.next();
  assert.equal(welcome[0], WELCOME, `expected WELCOME, got ${JSON.stringify(welcome)}`);
}

function app(t: TestContext, options: ApplicationOptions = {}): Application {
  const application = new Application(options);
  // Nothing to drain: a graceful close would wait on the mock clock, which no longer moves after the test.
  t.after(() => application.close({ timeout: 0, goodbyeWait: 0 }));
  return application;
}

describe('engine timeouts on a mock clock', () => {
  it('helloTimeout: a connection without HELLO is closed', async (t) => {
    mockClock(t);
    const peer = connectTestPeer(app(t, { helloTimeout: 1000 }));
    t.mock.timers.tick(999);
    assert.equal(peer.isClosed, false);
    t.mock.timers.tick(1);
    assert.deepEqual(await peer.closed, { code: 1000, reason: 'no HELLO' });
  });

  it('helloTimeout starts again after a GOODBYE exchange', async (t) => {
    mockClock(t);
    const peer = connectTestPeer(app(t, { helloTimeout: 1000 }));
    t.mock.timers.tick(900);
    await join(peer);
    t.mock.timers.tick(5000); // an established session has no HELLO deadline
    assert.equal(peer.isClosed, false);
    peer.send([GOODBYE, {}, 'wamp.close.close_realm']);
    assert.equal((await peer.next())[0], GOODBYE);
    t.mock.timers.tick(999);
    assert.equal(peer.isClosed, false);
    t.mock.timers.tick(1);
    assert.equal((await peer.closed).reason, 'no HELLO');
  });

  it('authenticationTimeout: a CHALLENGE left unanswered ends in ABORT authentication_failed', async (t) => {
    mockClock(t);
    const application = app(t, { authenticationTimeout: 2000 });
    application.setTicketAuthenticator(() => ({ authrole: 'user' }));
    const peer = connectTestPeer(application);
    peer.send([HELLO, 'realm1', { roles, authid: 'joe', authmethods: ['ticket'] }]);
    const challenge = await peer.next();
    assert.equal(challenge[0], CHALLENGE);
    assert.equal(challenge[1], 'ticket');
    t.mock.timers.tick(1999);
    await settle();
    assert.equal(peer.pending.length, 0);
    assert.equal(peer.isClosed, false);
    t.mock.timers.tick(1);
    const abort = await peer.next();
    assert.equal(abort[0], ABORT);
    assert.equal(abort[2], 'wamp.error.authentication_failed');
    await peer.closed;
  });

  it('goodbyeTimeout: a client that never answers the server GOODBYE is closed', async (t) => {
    mockClock(t);
    const application = app(t, { goodbyeTimeout: 3000 });
    const peer = connectTestPeer(application);
    await join(peer);
    [...application.sessions][0]!.close('wamp.close.system_shutdown');
    assert.deepEqual(await peer.next(), [GOODBYE, {}, 'wamp.close.system_shutdown']);
    t.mock.timers.tick(2999);
    assert.equal(peer.isClosed, false);
    t.mock.timers.tick(1);
    assert.deepEqual(await peer.closed, { code: 1000, reason: 'no GOODBYE reply' });
  });

  it('CALL timeout: ERROR wamp.error.timeout at the deadline, and the procedure is aborted', async (t) => {
    mockClock(t);
    const application = app(t);
    const routes = new RPCRouteSet();
    let aborted: unknown;
    routes.route('forever', ({ signal }) => new Promise((resolve) => signal.addEventListener('abort', () => resolve((aborted = signal.reason)))));
    application.addRPCRoutes(routes);
    const peer = connectTestPeer(application);
    await join(peer);
    peer.send([CALL, 1, { timeout: 500 }, 'forever', []]);
    await settle();
    t.mock.timers.tick(499);
    await settle();
    assert.equal(peer.pending.length, 0);
    t.mock.timers.tick(1);
    const error = await peer.next();
    assert.deepEqual(error.slice(0, 5), [ERROR, CALL, 1, {}, 'wamp.error.timeout']);
    await settle();
    assert.equal((aborted as DOMException).name, 'TimeoutError');
    await settle();
    assert.equal(peer.pending.length, 0, 'nothing after the ERROR');
  });

  it('the callTimeout option applies to calls that set none', async (t) => {
    mockClock(t);
    const application = app(t, { callTimeout: 700 });
    const routes = new RPCRouteSet();
    routes.route('forever', ({ signal }) => new Promise((resolve) => signal.addEventListener('abort', resolve)));
    application.addRPCRoutes(routes);
    const peer = connectTestPeer(application);
    await join(peer);
    peer.send([CALL, 1, {}, 'forever', []]);
    await settle();
    t.mock.timers.tick(699);
    await settle();
    assert.equal(peer.pending.length, 0);
    t.mock.timers.tick(1);
    assert.equal((await peer.next())[4], 'wamp.error.timeout');
  });

  it('CALL timeout with progressive results: each progress report restarts it', async (t) => {
    mockClock(t);
    const application = app(t);
    const routes = new RPCRouteSet();
    const steps: Array<() => void> = [];
    const step = (): Promise<void> => new Promise((resolve) => steps.push(resolve));
    routes.route('slow.stream', async function* () {
      await step();
      yield new RPCProgressReport({ args: ['one'] });
      await step();
      yield new RPCProgressReport({ args: ['two'] });
      await step();
      yield new RPCResult({ args: ['done'] });
    });
    application.addRPCRoutes(routes);
    const peer = connectTestPeer(application);
    await join(peer);
    peer.send([CALL, 1, { timeout: 1000, receive_progress: true }, 'slow.stream', []]);
    await settle();

    t.mock.timers.tick(800);
    steps.shift()!();
    assert.deepEqual(await peer.next(), [RESULT, 1, { progress: true }, ['one']]);
    t.mock.timers.tick(800); // 1600 ms since the CALL, 800 since the last result
    await settle();
    assert.equal(peer.pending.length, 0, 'the progress report restarted the timeout');
    steps.shift()!();
    assert.deepEqual(await peer.next(), [RESULT, 1, { progress: true }, ['two']]);
    t.mock.timers.tick(999);
    await settle();
    assert.equal(peer.pending.length, 0);
    t.mock.timers.tick(1);
    assert.deepEqual((await peer.next()).slice(0, 5), [ERROR, CALL, 1, {}, 'wamp.error.timeout']);
    steps.shift()?.();
    await settle();
    assert.equal(peer.pending.length, 0, 'nothing after the timeout');
  });

  it('session.call timeout: rejects with wamp.error.timeout at the deadline', async (t) => {
    mockClock(t);
    const application = app(t);
    const peer = connectTestPeer(application);
    await join(peer);
    peer.send([REGISTER, 1, {}, 'client.slow']);
    const registered = await peer.next();
    assert.equal(registered[0], REGISTERED);
    const session = [...application.sessions][0]!;
    let outcome: unknown;
    session.call('client.slow', { args: [1], timeout: 2000 }).then(
      (result) => (outcome = result),
      (error: unknown) => (outcome = error),
    );
    const invocation = await peer.next();
    assert.equal(invocation[0], INVOCATION);
    assert.equal(invocation[2], registered[2]);
    t.mock.timers.tick(1999);
    await settle();
    assert.equal(outcome as unknown, undefined, "not before the deadline");
    t.mock.timers.tick(1);
    await settle();
    assert.ok(outcome instanceof WampError, `expected a WampError, got ${String(outcome)}`);
    assert.equal(outcome.uri, 'wamp.error.timeout');
  });
});
