/**
 * `app.close()` step by step on a mock clock, over the in-memory peer: the
 * refusals during the drain, the deadline to the millisecond, GOODBYE after
 * the last RESULT, the bounded wait for GOODBYE replies, and misuse.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { Application, RPCRouteSet, ServerwampError, silentLogger, type ApplicationOptions } from '../src/index.js';
import { connectTestPeer, type TestPeer } from '../src/testing.js';

const HELLO = 1;
const WELCOME = 2;
const ABORT = 3;
const GOODBYE = 6;
const ERROR = 8;
const CALL = 48;
const RESULT = 50;
const REGISTER = 64;
const REGISTERED = 65;
const INVOCATION = 68;

const roles = { caller: {}, callee: {} };

function mockClock(t: TestContext): void {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'] });
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

async function join(peer: TestPeer): Promise<void> {
  peer.send([HELLO, 'realm1', { roles }]);
  const welcome = await peer.next();
  assert.equal(welcome[0], WELCOME, `expected WELCOME, got ${JSON.stringify(welcome)}`);
}

/** An application whose `slow` procedure runs until `finish()` (or its signal aborts). */
function slowApp(options: ApplicationOptions = {}): { app: Application; finish: (value: string) => void; aborted: string[] } {
  const app = new Application({ logger: silentLogger, ...options });
  const waiting: Array<(value: string) => void> = [];
  const aborted: string[] = [];
  const routes = new RPCRouteSet();
  routes.route('slow', (request) => {
    request.signal.addEventListener('abort', () => aborted.push(String((request.signal.reason as Error).message)));
    return new Promise<string>((resolve) => waiting.push(resolve));
  });
  routes.route('quick', () => 'quick');
  app.addRPCRoutes(routes);
  return { app, finish: (value) => waiting.shift()?.(value), aborted };
}

describe('app.close() on a mock clock', () => {
  it('a call in flight delivers its RESULT before GOODBYE; the reply closes the transport', async (t) => {
    mockClock(t);
    const { app, finish } = slowApp();
    const peer = connectTestPeer(app);
    await join(peer);
    peer.send([CALL, 1, {}, 'slow']);
    await settle();
    const closing = app.close({ timeout: 5000 });
    t.mock.timers.tick(2000);
    await settle();
    assert.equal(peer.pending.length, 0, 'nothing is sent while the call runs');
    finish('done');
    await settle();
    assert.deepEqual(await peer.next(), [RESULT, 1, {}, ['done']]);
    assert.deepEqual(await peer.next(), [GOODBYE, {}, 'wamp.close.system_shutdown']);
    peer.send([GOODBYE, {}, 'wamp.close.goodbye_and_out']);
    assert.deepEqual(await peer.closed, { code: 1000, reason: '' });
    await closing;
  });

  it('at the deadline a running call gets ERROR wamp.error.canceled, then GOODBYE; its signal aborts', async (t) => {
    mockClock(t);
    const { app, aborted } = slowApp();
    const peer = connectTestPeer(app);
    await join(peer);
    peer.send([CALL, 7, {}, 'slow']);
    await settle();
    const closing = app.close({ timeout: 3000, reason: 'myapp.close.restart', message: 'back soon' });
    t.mock.timers.tick(2999);
    await settle();
    assert.equal(peer.pending.length, 0, 'nothing before the deadline');
    t.mock.timers.tick(1);
    await settle();
    const error = await peer.next();
    assert.deepEqual(error.slice(0, 4), [ERROR, CALL, 7, {}]);
    assert.equal(error[4], 'wamp.error.canceled');
    assert.deepEqual(await peer.next(), [GOODBYE, { message: 'back soon' }, 'myapp.close.restart']);
    assert.deepEqual(aborted, ['the call was canceled: the server is shutting down']);
    peer.send([GOODBYE, {}, 'wamp.close.goodbye_and_out']);
    await closing;
  });

  it('during the drain a CALL gets serverwamp.error.shutting_down and a HELLO gets ABORT', async (t) => {
    mockClock(t);
    const { app, finish } = slowApp();
    const peer = connectTestPeer(app);
    await join(peer);
    peer.send([CALL, 1, {}, 'slow']);
    await settle();
    const closing = app.close();
    peer.send([CALL, 2, {}, 'quick']);
    const refused = await peer.next();
    assert.deepEqual(refused.slice(0, 5), [ERROR, CALL, 2, {}, 'serverwamp.error.shutting_down']);
    assert.match(String((refused[5] as unknown[])[0]), /shutting down/);

    const late = connectTestPeer(app);
    late.send([HELLO, 'realm1', { roles }]);
    const abort = await late.next();
    assert.deepEqual(abort, [ABORT, { message: 'the server is shutting down' }, 'wamp.close.system_shutdown']);
    assert.equal((await late.closed).code, 1000);

    finish('done');
    await settle();
    assert.equal((await peer.next())[0], RESULT);
    assert.equal((await peer.next())[0], GOODBYE);
    peer.send([GOODBYE, {}, 'wamp.close.goodbye_and_out']);
    await closing;
  });

  it('a client that does not answer GOODBYE is closed with 1001 after goodbyeWait', async (t) => {
    mockClock(t);
    const { app } = slowApp();
    const peer = connectTestPeer(app);
    await join(peer);
    const idle = connectTestPeer(app); // no HELLO yet
    let done = false;
    const closing = app.close({ goodbyeWait: 500 }).then(() => (done = true));
    await settle();
    assert.equal((await peer.next())[0], GOODBYE);
    assert.deepEqual(await idle.closed, { code: 1001, reason: 'server shutting down' });
    t.mock.timers.tick(499);
    await settle();
    assert.equal(peer.isClosed, false);
    t.mock.timers.tick(1);
    await settle();
    assert.deepEqual(await peer.closed, { code: 1001, reason: 'server shutting down' });
    await closing;
    assert.equal(done, true);
  });

  it('pending session.calls to a client reject with wamp.error.canceled when its session is told GOODBYE', async (t) => {
    mockClock(t);
    const app = new Application({ logger: silentLogger });
    const peer = connectTestPeer(app);
    await join(peer);
    peer.send([REGISTER, 1, {}, 'client.proc']);
    assert.equal((await peer.next())[0], REGISTERED);
    const session = [...app.sessions][0]!;
    const pending = session.call('client.proc');
    assert.equal((await peer.next())[0], INVOCATION);
    const closing = app.close({ timeout: 0, goodbyeWait: 0 });
    await assert.rejects(pending, (error: Error & { uri?: string }) => error.uri === 'wamp.error.canceled');
    await closing;
  });

  it('a second close() returns the same promise; Symbol.asyncDispose closes too; accept() after close closes', async (t) => {
    mockClock(t);
    const app = new Application({ logger: silentLogger });
    const first = app.close({ timeout: 0 });
    assert.equal(app.close(), first);
    assert.equal(app.close({ timeout: -1 } as never), first, 'later options are ignored, not checked');
    assert.equal(app[Symbol.asyncDispose](), first);
    await first;
    const peer = connectTestPeer(app);
    assert.deepEqual(await peer.closed, { code: 1001, reason: 'server shutting down' });

    const other = new Application({ logger: silentLogger });
    const disposed = other[Symbol.asyncDispose]();
    assert.equal(other.close(), disposed);
    await disposed;
  });

  it('invalid options throw ServerwampError and start nothing', async () => {
    const app = new Application({ logger: silentLogger });
    const bad: unknown[] = [{ timeout: -1 }, { timeout: 2 ** 31 }, { reason: 'not a uri!' }, { message: 'x'.repeat(1001) }, { tmeout: 5 }, 'soon'];
    for (const options of bad) {
      assert.throws(() => app.close(options as never), (error: unknown) => error instanceof ServerwampError, JSON.stringify(options).slice(0, 40));
    }
    assert.throws(() => app.close({ tmeout: 5 } as never), /tmeout is not an option \(did you mean timeout\?\)/);
    await app.close({ timeout: 0 });
  });
});
