/**
 * Remote sessions (issue 11, step 2) on the in-process backplane: two
 * applications in one process, real autobahn-js and wampy clients on each,
 * and `app.session(id)` on one reaching a session the other holds —
 * sendEvent, close, abort, and server→client calls with progress, timeout and
 * cancel, each failing with its documented WAMP error rather than hanging.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { Application, createLocalBackplane, NODE_UNREACHABLE, ServerwampError, WampError, TopicRouteSet, type Backplane } from '../src/index.js';
import { CLIENTS, connectClient, connectWampy, type UniformClient } from './helpers/clients.js';
import { CALLEE_CLIENTS, connectCallee, deferred, type TestCallee } from './helpers/callees.js';
import { EventLog, subscribe, within } from './helpers/pubsub.js';
import { serve } from './helpers/server.js';

const AUTOBAHN = CLIENTS[0]!;
const WAMPY_MSGPACK = CLIENTS[3]!;

interface Pair {
  a: Application;
  b: Application;
  /** b's backplane: closing it alone is b vanishing from the hub without a word. */
  planeB: Backplane;
  urlA: string;
  urlB: string;
}

async function pair(t: TestContext): Promise<Pair> {
  const hub = createLocalBackplane();
  const planeB = hub.backplane();
  const a = new Application({ backplane: hub.backplane() });
  const b = new Application({ backplane: planeB });
  for (const app of [a, b]) app.addTopicRoutes(new TopicRouteSet().route('job.events', {}));
  const [{ url: urlA }, { url: urlB }] = await Promise.all([serve(a, t), serve(b, t)]);
  return { a, b, planeB, urlA, urlB };
}

function sessionId(client: UniformClient): number {
  return Number(client.name.startsWith('autobahn') ? client.raw.session.id : client.raw.getSessionId());
}

async function client(t: TestContext, url: string, kind = AUTOBAHN): Promise<UniformClient> {
  const joined = await connectClient(url, kind);
  t.after(() => joined.close().catch(() => undefined));
  return joined;
}

async function callee(t: TestContext, app: Application, url: string, kind = CALLEE_CLIENTS[0]!): Promise<TestCallee> {
  const joined = await connectCallee(app, url, kind);
  t.after(() => joined.close().catch(() => undefined));
  return joined;
}

/** The WAMP error URI a promise rejects with. */
async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await within(promise, 10_000, 'the remote operation');
  } catch (error) {
    if (error instanceof WampError) return error.uri;
    throw error;
  }
  assert.fail('resolved, expected a WAMP error');
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  assert.ok(check(), what);
}

describe('app.session(id) across two applications on the in-process backplane', () => {
  it('finds a session on either node; undefined for an id no node holds', async (t) => {
    const { a, b, urlB } = await pair(t);
    const onB = await client(t, urlB);
    const id = sessionId(onB);
    const remote = await a.session(id);
    assert.equal(remote?.nodeId, b.nodeId);
    assert.equal(remote?.session, undefined, 'a remote session has no local Session object');
    const local = await b.session(id);
    assert.equal(local?.session, b.getSession(id));
    assert.equal(await a.session(12345), undefined);
    assert.equal(await a.session(Number.NaN), undefined);
  });

  it('sendEvent reaches a subscriber on the other node (autobahn and wampy/msgpack, bytes unchanged)', async (t) => {
    const { a, urlB } = await pair(t);
    for (const kind of [AUTOBAHN, WAMPY_MSGPACK]) {
      const onB = await client(t, urlB, kind);
      const log = new EventLog();
      await subscribe(onB, 'job.events', log.push);
      const handle = (await a.session(sessionId(onB)))!;
      const bytes = kind === WAMPY_MSGPACK ? new Uint8Array([0, 255, 7]) : 'text';
      assert.equal(await handle.sendEvent('job.events', { args: ['done', bytes], kwargs: { n: 1 } }), true, kind.client);
      assert.equal(await handle.sendEvent('not.subscribed', { args: [] }), false, 'no subscription: false, as locally');
      await log.waitFor(1);
      assert.deepEqual(log.events[0]!.args, ['done', bytes]);
      assert.deepEqual(log.events[0]!.kwargs, { n: 1 });
      await assert.rejects(handle.sendEvent('not a uri!'), (error: unknown) => error instanceof ServerwampError && error.code === 'ERR_INVALID_URI');
    }
  });

  it('close and abort end the remote session; afterwards its operations fail with no_such_session', async (t) => {
    const { a, b, urlB } = await pair(t);
    const closing = await client(t, urlB);
    const aborting = await client(t, urlB, WAMPY_MSGPACK);
    const [idC, idA] = [sessionId(closing), sessionId(aborting)];
    const handleC = (await a.session(idC))!;
    const handleA = (await a.session(idA))!;
    await handleC.close('app.close.maintenance', 'back soon');
    await handleA.abort(undefined, 'bye');
    await until(() => b.getSession(idC) === undefined && b.getSession(idA) === undefined, 'both sessions left b');
    assert.equal(await a.session(idC), undefined, 'the registry forgot it');
    assert.equal(await rejection(handleC.sendEvent('job.events')), 'wamp.error.no_such_session');
    assert.equal(await rejection(handleA.call('ui.ask')), 'wamp.error.no_such_session');
  });

  for (const kind of CALLEE_CLIENTS.slice(0, 3)) {
    it(`call reaches a ${kind.client}/${kind.serializer} callee on the other node, progress relayed`, async (t) => {
      const { a, b, urlB } = await pair(t);
      const remoteCallee = await callee(t, b, urlB, kind);
      await remoteCallee.register('ui.count', ({ args, progress }) => {
        for (let i = 1; i <= 3; i++) progress?.([i]);
        return { args: [`counted to ${String(args[0])}`], kwargs: { ok: true } };
      });
      const handle = (await a.session(remoteCallee.session.id))!;
      const progress: unknown[] = [];
      const result = await within(handle.call('ui.count', { args: [3], onProgress: (p) => progress.push(p.args[0]) }), 10_000, 'the call');
      assert.deepEqual(result, { args: ['counted to 3'], kwargs: { ok: true } });
      assert.deepEqual(progress, [1, 2, 3], 'every progress, in order, before the result');
      assert.equal(await rejection(handle.call('ui.nothing')), 'wamp.error.no_such_procedure');
    });
  }

  it("a call's traceparent option reaches the client on the other node (and, invalid, is left out)", async (t) => {
    const { a, urlB } = await pair(t);
    const wampy = await connectWampy(urlB);
    t.after(() => wampy.disconnect());
    const seen: Record<string, unknown>[] = [];
    await wampy.register('client.echo', ({ argsList = [], details }: { argsList?: unknown[]; details: Record<string, unknown> }) => {
      seen.push(details);
      return { argsList };
    });
    const handle = (await a.session(Number(wampy.getSessionId())))!;
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await within(handle.call('client.echo', { args: [1], traceparent, tracestate: 'vendor=1' }), 10_000, 'the call');
    await within(handle.call('client.echo', { args: [2], traceparent: 'not a traceparent', tracestate: 'vendor=1' }), 10_000, 'the call');
    assert.equal(seen[0]?._traceparent, traceparent);
    assert.equal(seen[0]?._tracestate, 'vendor=1');
    assert.equal(seen[1]?._traceparent, undefined);
    assert.equal(seen[1]?._tracestate, undefined);
  });

  it('a remote call times out with wamp.error.timeout, each time', async (t) => {
    const { a, b, urlB } = await pair(t);
    const remoteCallee = await callee(t, b, urlB);
    const never = deferred<undefined>();
    t.after(() => never.resolve(undefined));
    await remoteCallee.register('ui.slow', () => never.promise);
    const handle = (await a.session(remoteCallee.session.id))!;
    assert.equal(await rejection(handle.call('ui.slow', { timeout: 200 })), 'wamp.error.timeout');
    assert.equal(await rejection(handle.call('ui.slow', { timeout: 100 })), 'wamp.error.timeout', 'again: nothing stuck');
  });

  it('a remote call is canceled by its signal (before and while running)', async (t) => {
    const { a, b, urlB } = await pair(t);
    const remoteCallee = await callee(t, b, urlB);
    const started = deferred();
    const never = deferred<undefined>();
    t.after(() => never.resolve(undefined));
    await remoteCallee.register('ui.slow', () => {
      started.resolve();
      return never.promise;
    });
    const handle = (await a.session(remoteCallee.session.id))!;
    const controller = new AbortController();
    const call = handle.call('ui.slow', { signal: controller.signal });
    await within(started.promise, 10_000, 'the invocation');
    controller.abort();
    assert.equal(await rejection(call), 'wamp.error.canceled');
    assert.equal(await rejection(handle.call('ui.slow', { signal: AbortSignal.abort() })), 'wamp.error.canceled');
  });

  it('a call to a node that vanished fails with serverwamp.error.node_unreachable, not a hang', async (t) => {
    const { a, b, planeB, urlB } = await pair(t);
    const remoteCallee = await callee(t, b, urlB);
    const started = deferred();
    const never = deferred<undefined>();
    t.after(() => never.resolve(undefined));
    await remoteCallee.register('ui.slow', () => {
      started.resolve();
      return never.promise;
    });
    const handle = (await a.session(remoteCallee.session.id))!;
    const call = handle.call('ui.slow'); // no timeout: only the node leaving ends it
    await within(started.promise, 10_000, 'the invocation');
    await planeB.close();
    assert.equal(await rejection(call), NODE_UNREACHABLE);
    assert.equal(await rejection(handle.sendEvent('x')), NODE_UNREACHABLE, 'a later operation fails at once');
  });

  it('another node’s malformed messages are ignored, never thrown', async (t) => {
    const hub = createLocalBackplane();
    const plane = hub.backplane();
    const a = new Application({ backplane: hub.backplane() });
    t.after(() => a.close());
    // A fake node on the hub that sends garbage to a.
    plane.start({ nodeId: 'fake', logger: a.logger, deliver: () => undefined, onError: () => undefined, interests: () => [] });
    for (const junk of ['', 'AAAA', '!!!', 'kwEB', btoa('x'.repeat(100))]) assert.equal(await plane.sendToNode!(a.nodeId, junk), true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(await a.session(1), undefined, 'the application still answers');
  });
});
