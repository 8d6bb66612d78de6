/**
 * The typed client (`serverwamp/client`) over real autobahn-js and wampy
 * sessions against a served application: every return convention with the
 * result rule (lists of length 0, 1 and 2 included), progress, cancel,
 * timeouts, errors, topics and server→client calls, the same for both
 * libraries (docs/typed-client.md).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CallError, TypedClientError, typedSession, type TypedSession } from '../src/client/index.js';
import { ServerwampError, TopicRouteSet, type Application } from '../src/index.js';
import { CLIENTS, autobahn, connectAutobahn, connectWampy, type SerializerName } from './helpers/clients.js';
import { serve, type Served } from './helpers/server.js';
import { createTypedApp, slowCalls, type TypedAPI, type TypedClientAPI } from './fixtures/typed-api.js';

type API = TypedSession<TypedAPI, TypedClientAPI>;

/** The same API, untyped: to send what the types refuse, as a client without them could. */
type Loose = { call(uri: string, params?: unknown, options?: unknown): Promise<unknown>; callResult(uri: string, params?: unknown): Promise<unknown> };

interface Opened {
  api: API;
  close(): Promise<void>;
}

async function open(url: string, client: 'autobahn' | 'wampy', serializer: SerializerName): Promise<Opened> {
  if (client === 'autobahn') {
    const ab = await connectAutobahn(url, { serializer });
    return { api: typedSession<TypedAPI, TypedClientAPI>(ab.session), close: () => ab.close() };
  }
  const wampy = await connectWampy(url, { serializer });
  return { api: typedSession<TypedAPI, TypedClientAPI>(wampy), close: async () => void (await wampy.disconnect()) };
}

/** Resolves when `condition` holds, polling; fails after a generous deadline (no timing is asserted). */
async function eventually(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail(`timed out waiting for ${what}`);
}

async function rejectsWith(promise: Promise<unknown>, uri: string): Promise<CallError> {
  const error = await promise.then(
    () => assert.fail(`expected ${uri}`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof CallError, `a CallError, not ${String(error)}`);
  assert.equal(error.uri, uri);
  return error;
}

const KINDS = CLIENTS.filter((kind) => kind.serializer !== 'cbor');

for (const { client, serializer } of KINDS) {
  describe(`the typed client over ${client} (${serializer})`, () => {
    let app: Application<unknown, TypedAPI>;
    let served: Served;
    let session: Opened;

    before(async () => {
      app = createTypedApp();
      served = await serve(app, undefined);
      session = await open(served.url, client, serializer);
    });
    after(async () => {
      await session.close();
      await served.close();
    });

    it('resolves call with the single value: a number, a string, null for void and for null, the object, the Map', async () => {
      const { api } = session;
      assert.equal(await api.call('math.add', { number1: 2, number2: 3 }), 5);
      assert.equal(await api.call('math.add', [2, 3]), 5);
      assert.equal(await api.call('math.scale', { value: 4 }), 8);
      assert.equal(await api.call('greet', { name: 'Ada' }), 'Hello, Ada');
      assert.equal(await api.call('nothing'), null);
      assert.equal(await api.call('nullish'), null);
      assert.deepEqual(await api.call('user.get', { id: 7 }), { id: '7', name: 'Ada' });
      assert.deepEqual(await api.call('user.get', [7]), { id: '7', name: 'Ada' });
      assert.deepEqual(await api.call('flags.get'), { a: true });
      assert.equal(await api.call('files.read.me'), 'files.read.me');
    });

    it('resolves callResult with the list as args whatever its length (0, 1, 2, 3), and an RPCResult as it is', async () => {
      const { api } = session;
      for (const count of [0, 1, 2, 3]) {
        const { args, kwargs } = await api.callResult('list.of', { count });
        assert.deepEqual(args, Array.from({ length: count }, (_, i) => `item${i}`), `count ${count}`);
        assert.deepEqual(kwargs, {});
      }
      for (const items of [[], ['one'], [1, 2], [{ a: 1 }], [[1, 2]]]) {
        assert.deepEqual((await api.callResult('list.echo', { items })).args, items);
      }
      assert.deepEqual(await api.callResult('pair.get'), { args: [1, 'one'], kwargs: {} });
      assert.deepEqual(await api.callResult('result.both'), { args: [1, 'a'], kwargs: { total: 2 } });
      // The other conventions through callResult: the RESULT's arguments as they are.
      assert.deepEqual(await api.callResult('math.add', [1, 1]), { args: [2], kwargs: {} });
      assert.deepEqual(await api.callResult('user.get', [1]), { args: [], kwargs: { id: '1', name: 'Ada' } });
      assert.deepEqual(await api.callResult('nothing'), { args: [], kwargs: {} });
    });

    it('gives one null item as no arguments with every client (autobahn-js cannot tell them apart)', async () => {
      assert.deepEqual((await session.api.callResult('list.echo', { items: [null] })).args, []);
      assert.deepEqual((await session.api.callResult('list.echo', { items: [null, null] })).args, [null, null]);
    });

    it('refuses, at run time too, a single value where the procedure answered several arguments', async () => {
      const loose = session.api as unknown as Loose;
      assert.equal(await loose.call('list.of', { count: 1 }), 'item0');
      const error = await loose.call('list.of', { count: 2 }).then(
        () => assert.fail('expected a TypedClientError'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof TypedClientError);
      assert.equal(error.code, 'ERR_RESULT_SHAPE');
      assert.match(error.message, /list\.of answered 2 positional and 0 keyword arguments.*callResult/);
    });

    it('reports progress typed, then the generator\'s return as the result', async () => {
      const seen: number[] = [];
      const result = await session.api.call('countdown', { from: 3 }, { onProgress: (progress) => seen.push(progress.kwargs.left) });
      assert.deepEqual(seen, [3, 2, 1]);
      assert.equal(result, 'liftoff');
      // Without onProgress, no progress is asked for.
      assert.equal(await session.api.call('countdown', { from: 2 }), 'liftoff');
    });

    it('cancels a call when its signal aborts: CANCEL reaches the procedure and the promise rejects with wamp.error.canceled', async () => {
      const before = slowCalls.aborted;
      const controller = new AbortController();
      const call = session.api.call('slow', { ms: 60_000 }, { signal: controller.signal });
      setTimeout(() => controller.abort(new Error('the user left')), 50);
      const error = await rejectsWith(call, 'wamp.error.canceled');
      assert.match(error.message, /canceled/);
      await eventually(() => slowCalls.aborted > before, 'the procedure to see the cancellation');
      // Already aborted: nothing is sent.
      await rejectsWith(session.api.call('slow', { ms: 1 }, { signal: AbortSignal.abort() }), 'wamp.error.canceled');
      // The session is still usable.
      assert.equal(await session.api.call('math.add', [1, 2]), 3);
    });

    it('passes timeout to the server, which gives the call up with wamp.error.timeout', async () => {
      await rejectsWith(session.api.call('slow', { ms: 60_000 }, { timeout: 100 }), 'wamp.error.timeout');
    });

    it('rejects with a CallError carrying the URI, args and kwargs', async () => {
      const error = await rejectsWith(session.api.call('fail', { code: 'E42' }), 'app.error.failed');
      assert.deepEqual(error.args, ['it failed']);
      assert.deepEqual(error.kwargs, { code: 'E42' });
      assert.equal(error.message, 'app.error.failed: it failed');
      assert.equal(await session.api.call('fail', { code: 'ok' }), 'fine');
      const loose = session.api as unknown as Loose;
      const invalid = await rejectsWith(loose.call('math.add', { number1: 'two', number2: 3 }), 'wamp.error.invalid_argument');
      assert.match(invalid.message, /invalid argument 'number1'/);
      await rejectsWith(loose.call('math.nope'), 'wamp.error.no_such_procedure');
    });

    it('subscribes, publishes and unsubscribes typed events, from clients and from the server', async () => {
      const other = await open(served.url, client, serializer);
      try {
        const messages: unknown[] = [];
        const stop = await session.api.subscribe('chat.room', (message) => messages.push(message));
        await other.api.publish('chat.room', { from: 'bob', text: 'hi' });
        await eventually(() => messages.length === 1, 'the chat event');
        assert.deepEqual(messages, [{ from: 'bob', text: 'hi' }]);

        const ticks: number[] = [];
        const stopTicks = await session.api.subscribe('ticker.ACME', (tick) => ticks.push(tick.price));
        app.publish('ticker.ACME', { kwargs: { price: 3 } });
        await eventually(() => ticks.length === 1, 'the ticker event');
        assert.deepEqual(ticks, [3]);

        await stop();
        await stopTicks();
        const seenByOther: unknown[] = [];
        const stopOther = await other.api.subscribe('chat.room', (message) => seenByOther.push(message));
        app.publish('chat.room', { kwargs: { from: 'server', text: 'bye' } });
        await eventually(() => seenByOther.length === 1, 'the event to the remaining subscriber');
        assert.equal(messages.length, 1, 'nothing after unsubscribing');
        await stopOther();
      } finally {
        await other.close();
      }
    });

    it('registers a declared client procedure that the server calls back', async () => {
      const asked: string[] = [];
      const unregister = await session.api.register('ui.confirm', async (question) => {
        asked.push(question);
        return question.endsWith('yes?');
      });
      assert.equal(await session.api.call('ask', { question: 'say yes?' }), 'confirmed');
      assert.equal(await session.api.call('ask', { question: 'say no' }), 'declined');
      assert.deepEqual(asked, ['say yes?', 'say no']);
      await unregister();
      await rejectsWith(session.api.call('ask', { question: 'anyone?' }), 'wamp.error.no_such_procedure');
    });
  });
}

describe('typed topics', () => {
  it('refuse an event that is not a Standard Schema', () => {
    for (const event of ['text', { parse() {} }, 42]) {
      assert.throws(
        () => new TopicRouteSet().route('chat.room', { event } as never),
        (error: unknown) => error instanceof ServerwampError && error.code === 'ERR_INVALID_OPTION' && /chat\.room.*event that is not a Standard Schema/.test(error.message),
      );
    }
  });
});

describe('typedSession', () => {
  it('refuses an object that is neither an autobahn-js session nor a wampy instance', () => {
    for (const client of [{}, { call() {} }, new autobahn.Connection({ url: 'ws://127.0.0.1:9/', realm: 'r' })]) {
      assert.throws(
        () => typedSession<TypedAPI>(client as object),
        (error: unknown) => error instanceof TypedClientError && error.code === 'ERR_UNSUPPORTED_CLIENT' && /autobahn-js Session or a Wampy instance/.test(error.message),
      );
    }
  });
});
