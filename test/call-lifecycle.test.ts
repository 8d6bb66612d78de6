/**
 * Progressive results, cancel, timeout and disconnects, as autobahn-js and
 * wampy see them, and what the procedure sees (its AbortSignal, its generator
 * closed). Nothing is ever sent twice or after the call ended.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it, type TestContext } from 'node:test';
import { Application, RPCErrorResult, RPCProgressReport, RPCResult, RPCRouteSet, type Session } from '../src/index.js';
import { autobahn, connectAutobahn, connectWampy } from './helpers/clients.js';
import { RawClient } from './helpers/raw-client.js';
import { serve } from './helpers/server.js';

/** What the server-side procedures report back to the test. */
class Probe {
  readonly aborts: Array<{ procedure: string; reason: string }> = [];
  readonly closedGenerators: string[] = [];
  #waiters: Array<() => void> = [];

  abort(procedure: string, reason: unknown): void {
    this.aborts.push({ procedure, reason: reason instanceof DOMException ? reason.name : String(reason) });
    this.#notify();
  }
  closed(procedure: string): void {
    this.closedGenerators.push(procedure);
    this.#notify();
  }
  #notify(): void {
    for (const waiter of this.#waiters.splice(0)) waiter();
  }
  async until(condition: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 5000;
    while (!condition()) {
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }
}

function createApp(probe: Probe, options: ConstructorParameters<typeof Application>[0] = {}): Application {
  const app = new Application(options);
  const routes = new RPCRouteSet();
  routes.route('countdown', async function* ({ signal }) {
    try {
      for (const timeLeft of [3, 2, 1]) {
        yield new RPCProgressReport({ kwargs: { timeLeft } });
        await sleep(5, undefined, { signal });
      }
      yield new RPCResult({ kwargs: { liftoffStatus: 'SUCCESS' } });
    } finally {
      probe.closed('countdown');
    }
  });
  routes.route('stream.returns', async function* () {
    yield new RPCProgressReport({ args: ['step'] });
    return 'done';
  });
  routes.route('stream.last', async function* () {
    yield new RPCProgressReport({ args: ['first'] });
    yield new RPCProgressReport({ args: ['last'] });
  });
  routes.route('stream.empty', async function* () {});
  routes.route('stream.error', async function* () {
    yield new RPCProgressReport({ args: ['working'] });
    yield new RPCErrorResult('app.error.failed', { args: ['gave up'] });
  });
  routes.route('stream.plain', async function* () {
    yield 'a plain value is final';
    assert.fail('not reached');
  });
  routes.route('forever', { params: { label: { default: 'forever' } } }, async ({ label }, { signal, procedure }) => {
    signal.addEventListener('abort', () => probe.abort(String(label ?? procedure), signal.reason));
    await new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
  });
  routes.route('forever.generator', async function* ({ signal }) {
    signal.addEventListener('abort', () => probe.abort('forever.generator', signal.reason));
    try {
      yield new RPCProgressReport({ args: ['started'] });
      await new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    } finally {
      probe.closed('forever.generator');
    }
  });
  routes.route('stubborn', async ({ signal }) => {
    // Ignores its signal for a while, then answers anyway.
    signal.addEventListener('abort', () => probe.abort('stubborn', signal.reason));
    await sleep(150);
    return 'finished anyway';
  });
  routes.route('slow.default.timeout', { timeout: 50 }, async ({ signal }) => {
    signal.addEventListener('abort', () => probe.abort('slow.default.timeout', signal.reason));
    await sleep(2000, undefined, { signal }).catch(() => {});
  });
  routes.route('after', { params: ['ms', 'value'] }, async ({ ms, value }) => {
    await sleep(Number(ms));
    return value;
  });
  routes.route('whoami', ({ caller, session }) => ({ ...caller, sameSession: caller.session === session.id }));
  app.addRPCRoutes(routes);
  return app;
}

async function setup(t: TestContext, options: ConstructorParameters<typeof Application>[0] = {}): Promise<{ url: string; probe: Probe; app: Application }> {
  const probe = new Probe();
  const app = createApp(probe, options);
  const { url } = await serve(app, t);
  return { url, probe, app };
}

describe('progressive results', () => {
  it('autobahn-js receives progress only when it asks for it', async (t) => {
    const { url } = await setup(t);
    const client = await connectAutobahn(url);
    const progress: unknown[] = [];
    const result = await client.session
      .call('countdown', [], {}, { receive_progress: true })
      .then(null, null, (update: any) => progress.push(update.kwargs.timeLeft));
    assert.deepEqual(progress, [3, 2, 1]);
    assert.deepEqual(result.kwargs, { liftoffStatus: 'SUCCESS' });
    const plain = await client.session.call('countdown');
    assert.deepEqual(plain.kwargs, { liftoffStatus: 'SUCCESS' });
    await client.close();
  });

  for (const serializer of ['json', 'msgpack'] as const) {
    it(`wampy (${serializer}) receives progress through progress_callback, and only the result without it`, async (t) => {
      const { url } = await setup(t);
      const wampy = await connectWampy(url, { serializer });
      const progress: unknown[] = [];
      const result = await wampy.call('countdown', null, { progress_callback: (update) => void progress.push(update.argsDict?.['timeLeft']) });
      assert.deepEqual(progress, [3, 2, 1]);
      assert.deepEqual(result.argsDict, { liftoffStatus: 'SUCCESS' });
      // wampy throws on progress it did not ask for; the server must not send any.
      const plain = await wampy.call('countdown');
      assert.deepEqual(plain.argsDict, { liftoffStatus: 'SUCCESS' });
      await wampy.disconnect();
    });
  }

  it('sends progress frames only to callers with receive_progress', async (t) => {
    const { url } = await setup(t);
    const raw = await RawClient.connect(url);
    await raw.hello();
    raw.send([48, 1, { receive_progress: true }, 'stream.returns']);
    assert.deepEqual(await raw.next(), [50, 1, { progress: true }, ['step']]);
    assert.deepEqual(await raw.next(), [50, 1, {}, ['done']]);
    raw.send([48, 2, {}, 'stream.returns']);
    assert.deepEqual(await raw.next(), [50, 2, {}, ['done']]);
    raw.close();
  });

  it('a generator that ends without a final result: its return value, else its last report, else an empty result', async (t) => {
    const { url } = await setup(t);
    const raw = await RawClient.connect(url);
    await raw.hello();
    raw.send([48, 1, {}, 'stream.last']);
    assert.deepEqual(await raw.next(), [50, 1, {}, ['last']]);
    raw.send([48, 2, {}, 'stream.empty']);
    assert.deepEqual(await raw.next(), [50, 2, {}]);
    raw.send([48, 3, { receive_progress: true }, 'stream.error']);
    assert.deepEqual(await raw.next(), [50, 3, { progress: true }, ['working']]);
    assert.deepEqual(await raw.next(), [8, 48, 3, {}, 'app.error.failed', ['gave up']]);
    raw.send([48, 4, {}, 'stream.plain']);
    assert.deepEqual(await raw.next(), [50, 4, {}, ['a plain value is final']]);
    raw.close();
  });
});

describe('cancel', () => {
  for (const mode of [undefined, 'skip', 'killnowait'] as const) {
    it(`autobahn-js cancel (${mode ?? 'no mode'}) stops the procedure and keeps the connection`, async (t) => {
      const { url, probe } = await setup(t);
      const client = await connectAutobahn(url);
      const call = client.session.call('forever.generator', [], {}, { receive_progress: true });
      // autobahn-js rejects a non-kill cancel locally, before any reply.
      const rejected = assert.rejects(call, (error: any) => error.error === 'Cancelled');
      await sleep(50);
      call.cancel(mode === undefined ? undefined : { mode });
      await rejected;
      await probe.until(() => probe.closedGenerators.includes('forever.generator'), 'the generator to close');
      assert.deepEqual(probe.aborts, [{ procedure: 'forever.generator', reason: 'AbortError' }]);
      // autobahn closes the connection (3002) on an ERROR for a call it already dropped; none came.
      assert.equal(await client.session.call('after', [1, 'still connected']), 'still connected');
      await client.close();
    });
  }

  it('autobahn-js cancel in kill mode waits for the procedure and gets wamp.error.canceled', async (t) => {
    const { url, probe } = await setup(t);
    const client = await connectAutobahn(url);
    const call = client.session.call('forever');
    await sleep(50);
    call.cancel({ mode: 'kill' });
    await assert.rejects(call, (error: any) => {
      assert.ok(error instanceof autobahn.Error);
      assert.equal(error.error, 'wamp.error.canceled');
      return true;
    });
    assert.deepEqual(probe.aborts, [{ procedure: 'forever', reason: 'AbortError' }]);
    assert.equal(await client.session.call('after', [1, 'ok']), 'ok');
    await client.close();
  });

  it('kill mode lets a procedure that finishes anyway deliver its result', async (t) => {
    const { url, probe } = await setup(t);
    const client = await connectAutobahn(url);
    const call = client.session.call('stubborn');
    await sleep(30);
    call.cancel({ mode: 'kill' });
    assert.equal(await call, 'finished anyway');
    assert.deepEqual(probe.aborts.map((a) => a.procedure), ['stubborn']);
    await client.close();
  });

  for (const mode of [undefined, 'skip', 'kill', 'killnowait'] as const) {
    it(`wampy cancel (${mode ?? 'no mode'}) gets wamp.error.canceled and stops the procedure`, async (t) => {
      const { url, probe } = await setup(t);
      const wampy = await connectWampy(url, { serializer: 'msgpack' });
      const call = wampy.call('forever');
      const requestId = wampy.getOpStatus().reqId;
      await sleep(50);
      wampy.cancel(requestId, mode === undefined ? undefined : { mode });
      await assert.rejects(call, (error: any) => {
        assert.equal(error.errorUri, 'wamp.error.canceled');
        return true;
      });
      await probe.until(() => probe.aborts.length === 1, 'the abort');
      assert.equal(probe.aborts[0]!.reason, 'AbortError');
      assert.deepEqual((await wampy.call('after', [1, 'ok'])).argsList, ['ok']);
      await wampy.disconnect();
    });
  }

  it('cancelReply "always" answers every non-kill cancel, and a CANCEL for a finished call is ignored', async (t) => {
    const { url } = await setup(t, { cancelReply: 'always' });
    const raw = await RawClient.connect(url);
    // Announce exactly what autobahn-js announces: with "always" it still gets the ERROR.
    await raw.hello('realm1', {
      roles: { caller: { features: { call_canceling: true } }, callee: { features: { registration_revocation: true } } },
    });
    raw.send([48, 1, {}, 'forever']);
    raw.send([49, 1, { mode: 'skip' }]);
    assert.deepEqual(await raw.next(), [8, 48, 1, {}, 'wamp.error.canceled', ['the call was canceled']]);
    raw.send([48, 2, {}, 'after', [1, 'x']]);
    assert.deepEqual(await raw.next(), [50, 2, {}, ['x']]);
    raw.send([49, 2, {}]);
    raw.send([49, 99, {}]);
    assert.ok(await raw.silent(200), 'no reply to a CANCEL of a finished or unknown call');
    raw.close();
  });
});

describe('timeouts', () => {
  it('a CALL timeout aborts the procedure and answers wamp.error.timeout (autobahn-js)', async (t) => {
    const { url, probe } = await setup(t);
    const client = await connectAutobahn(url);
    await assert.rejects(client.session.call('forever', [], {}, { timeout: 50 }), (error: any) => {
      assert.equal(error.error, 'wamp.error.timeout');
      return true;
    });
    await probe.until(() => probe.aborts.length === 1, 'the abort');
    assert.deepEqual(probe.aborts, [{ procedure: 'forever', reason: 'TimeoutError' }]);
    await client.close();
  });

  it('a CALL timeout answers wamp.error.timeout (wampy)', async (t) => {
    const { url } = await setup(t);
    const wampy = await connectWampy(url);
    await assert.rejects(wampy.call('forever', null, { timeout: 50 }), (error: any) => {
      assert.equal(error.errorUri, 'wamp.error.timeout');
      return true;
    });
    await wampy.disconnect();
  });

  it('a route timeout applies when the caller sets none, and the application default after it', async (t) => {
    const { url, probe } = await setup(t, { callTimeout: 60 });
    const raw = await RawClient.connect(url);
    await raw.hello();
    raw.send([48, 1, {}, 'slow.default.timeout']);
    const error = await raw.next();
    assert.deepEqual(error.slice(0, 5), [8, 48, 1, {}, 'wamp.error.timeout']);
    assert.match(error[5][0], /timed out after 50 ms/);
    raw.send([48, 2, {}, 'forever', ['app default']]);
    const second = await raw.next();
    assert.match(second[5][0], /timed out after 60 ms/);
    await probe.until(() => probe.aborts.length === 2, 'both aborts');
    assert.ok(await raw.silent(100), 'nothing after the timeout ERROR');
    raw.close();
  });
});

describe('the caller going away', () => {
  it('a dropped connection aborts the procedures of that session', async (t) => {
    const { url, probe } = await setup(t);
    const raw = await RawClient.connect(url);
    await raw.hello();
    raw.send([48, 1, {}, 'forever', ['first']]);
    raw.send([48, 2, { receive_progress: true }, 'forever.generator']);
    assert.deepEqual(await raw.next(), [50, 2, { progress: true }, ['started']]);
    raw.ws.terminate();
    await probe.until(() => probe.aborts.length === 2 && probe.closedGenerators.length === 1, 'both aborts');
    assert.deepEqual(probe.aborts.map((a) => a.reason), ['AbortError', 'AbortError']);
  });

  it('GOODBYE mid-call: the procedure is aborted and nothing follows the GOODBYE reply', async (t) => {
    const { url, probe } = await setup(t);
    const raw = await RawClient.connect(url);
    await raw.hello();
    raw.send([48, 1, {}, 'after', [100, 'too late']]);
    raw.send([48, 2, {}, 'forever']);
    raw.send([6, {}, 'wamp.close.normal']);
    assert.deepEqual(await raw.next(), [6, {}, 'wamp.close.goodbye_and_out']);
    await probe.until(() => probe.aborts.length === 1, 'the abort');
    assert.ok(await raw.silent(300), 'no RESULT after GOODBYE, even once the procedure returns');
    raw.close();
  });

  it('a session closed by the server sends nothing more for its calls', async (t) => {
    const { url, app } = await setup(t);
    const raw = await RawClient.connect(url);
    await raw.hello();
    raw.send([48, 1, {}, 'after', [80, 'too late']]);
    await sleep(20);
    const [session] = [...app.sessions] as Session[];
    session!.close('wamp.close.system_shutdown');
    assert.deepEqual(await raw.next(), [6, {}, 'wamp.close.system_shutdown']);
    assert.ok(await raw.silent(250));
    raw.close();
  });
});

describe('concurrency limits and unsupported call forms', () => {
  it('refuses calls beyond maxConcurrentCalls with serverwamp.error.too_many_calls', async (t) => {
    const { url } = await setup(t, { maxConcurrentCalls: 2 });
    const raw = await RawClient.connect(url);
    await raw.hello();
    raw.send([48, 1, {}, 'after', [100, 1]]);
    raw.send([48, 2, {}, 'after', [100, 2]]);
    raw.send([48, 3, {}, 'after', [1, 3]]);
    assert.deepEqual((await raw.next()).slice(0, 5), [8, 48, 3, {}, 'serverwamp.error.too_many_calls']);
    assert.deepEqual(await raw.next(), [50, 1, {}, [1]]);
    assert.deepEqual(await raw.next(), [50, 2, {}, [2]]);
    raw.close();
  });

  it('a progressive call invocation (not announced) is a protocol violation', async (t) => {
    const { url } = await setup(t);
    const raw = await RawClient.connect(url);
    await raw.hello();
    raw.send([48, 1, { progress: true }, 'after', [1, 'a']]);
    const abort = await raw.next();
    assert.deepEqual([abort[0], abort[2]], [3, 'wamp.error.protocol_violation']);
    assert.match(abort[1].message, /CALL\.Options\.progress/);
    await raw.closed;
  });

  it('a reused request id of a call in progress is a protocol violation', async (t) => {
    const { url } = await setup(t);
    const raw = await RawClient.connect(url);
    await raw.hello();
    raw.send([48, 1, {}, 'forever']);
    raw.send([48, 1, {}, 'forever']);
    const abort = await raw.next();
    assert.equal(abort[2], 'wamp.error.protocol_violation');
    assert.match(abort[1].message, /request id 1 is already in use/);
  });
});

describe('caller identification and custom handlers', () => {
  it('procedures see the caller session id, authid and authrole', async (t) => {
    const { url } = await setup(t);
    const client = await connectAutobahn(url);
    const me = await client.session.call('whoami');
    assert.equal(me.kwargs.session, client.session.id);
    assert.equal(me.kwargs.authid, client.details.authid);
    assert.equal(me.kwargs.authrole, 'anonymous');
    assert.equal(me.kwargs.sameSession, true);
    await client.close();
  });

  it('a custom RPC handler answers every call, with progress, instead of the routes', async (t) => {
    const app = new Application();
    const routes = new RPCRouteSet();
    routes.route('add_stuff', () => 'the route, not the handler');
    app.addRPCRoutes(routes);
    app.setRPCHandler(async function* (request) {
      if (request.procedure !== 'add_stuff') {
        yield new RPCErrorResult('myapp.custom_error');
        return;
      }
      let total = 0;
      for (const num of request.args) {
        if (typeof num !== 'number') {
          yield new RPCErrorResult({ args: ['Numbers only!'] });
          return;
        }
        total += num;
        yield new RPCProgressReport({ args: [`Added ${num}`] });
      }
      yield new RPCResult({ args: [total] });
    });
    const { url } = await serve(app, t);
    const client = await connectAutobahn(url);
    const progress: string[] = [];
    const total = await client.session
      .call('add_stuff', [1, 2, 3], {}, { receive_progress: true })
      .then(null, null, (update: string) => progress.push(update));
    assert.equal(total, 6);
    assert.deepEqual(progress, ['Added 1', 'Added 2', 'Added 3']);
    await assert.rejects(client.session.call('add_stuff', [1, 'x']), (e: any) => e.error === 'wamp.error.runtime_error' && e.args[0] === 'Numbers only!');
    await assert.rejects(client.session.call('other'), (e: any) => e.error === 'myapp.custom_error');
    await client.close();
  });
});
