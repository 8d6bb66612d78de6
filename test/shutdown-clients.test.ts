/**
 * `app.close()` as real clients see it (autobahn-js and wampy, each
 * serializer): a call in flight gets its RESULT before GOODBYE, a new call
 * during the drain is refused with `serverwamp.error.shutting_down`, a call
 * still running at the deadline gets `wamp.error.canceled`, then GOODBYE
 * `wamp.close.system_shutdown`, and every client promise settles. Also: what
 * each client does after that GOODBYE (reconnect or not), `server.close()`
 * after `attach`, `listen().close()`, and `await using`.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { Application, silentLogger } from '../src/index.js';
import { attach, attachRawSocket, listen } from '../src/node/index.js';
import { CLIENTS, connectAutobahn, connectWampy, type SerializerName } from './helpers/clients.js';
import { drainApp, within } from './helpers/drain.js';
import { RawSocketClient } from './helpers/rawsocket-client.js';

/** Generous: the refused call needs one round trip within it, on a loaded machine. */
const DEADLINE_MS = 3000;
const BOUND_MS = 30_000;

/** One client, reduced to what these tests look at. */
interface Caller {
  /** Resolves with the result's first argument; rejects with the error URI. */
  call(procedure: string): Promise<unknown>;
  /** Settles when the transport closes: the GOODBYE reason (autobahn) and whether it would reconnect. */
  readonly closed: Promise<{ reason: string | undefined; willRetry: boolean }>;
  stop(): Promise<void>;
}

async function autobahnCaller(url: string, serializer: SerializerName, reconnect = false): Promise<Caller> {
  const client = await connectAutobahn(url, { serializer, ...(reconnect ? { max_retries: 5, initial_retry_delay: 0.2 } : {}) });
  return {
    async call(procedure) {
      try {
        return await client.session.call(procedure);
      } catch (error) {
        throw new Error((error as { error: string }).error, { cause: error });
      }
    },
    closed: client.closed.then(({ details }) => ({ reason: details.reason as string, willRetry: details.will_retry === true })),
    stop: async () => {
      if (client.connection.isOpen) client.connection.close();
    },
  };
}

async function wampyCaller(url: string, serializer: SerializerName, reconnect = false): Promise<Caller> {
  let reconnecting = false;
  let onClose!: () => void;
  const closed = new Promise<void>((resolve) => (onClose = resolve));
  const wampy = await connectWampy(url, {
    serializer,
    autoReconnect: reconnect,
    reconnectInterval: 200,
    maxRetries: 5,
    onClose: () => onClose(),
    onReconnect: () => (reconnecting = true),
  });
  return {
    async call(procedure) {
      try {
        return (await wampy.call(procedure)).argsList?.[0];
      } catch (error) {
        throw new Error((error as { errorUri?: string }).errorUri ?? String(error), { cause: error });
      }
    },
    // wampy calls onClose only when it decided not to reconnect; it does not expose the GOODBYE reason.
    closed: closed.then(() => ({ reason: undefined, willRetry: reconnecting })),
    stop: async () => {
      await wampy.disconnect().catch(() => undefined);
    },
  };
}

function caller(kind: { client: 'autobahn' | 'wampy'; serializer: SerializerName }, url: string, reconnect = false): Promise<Caller> {
  return kind.client === 'autobahn' ? autobahnCaller(url, kind.serializer, reconnect) : wampyCaller(url, kind.serializer, reconnect);
}

function outcome(events: string[], name: string, promise: Promise<unknown>): Promise<void> {
  return promise.then(
    () => void events.push(`${name}:result`),
    (error: Error) => void events.push(`${name}:${error.message}`),
  );
}

describe('app.close() with real clients', () => {
  for (const kind of CLIENTS) {
    it(`${kind.client}/${kind.serializer}: RESULT before GOODBYE, refusal during the drain, canceled at the deadline`, async (t) => {
      const drain = drainApp();
      const listening = await listen(drain.app, { port: 0, host: '127.0.0.1', pingInterval: 0 });
      t.after(() => listening.close());
      const client = await caller(kind, listening.url);
      t.after(() => client.stop());

      const events: string[] = [];
      const slow = outcome(events, 'slow', client.call('drain.slow'));
      const stuck = outcome(events, 'stuck', client.call('drain.stuck'));
      // Its result arrives once the drain has started; the call it then makes must be refused.
      const afterClosing = client.call('drain.closing').then(() => outcome(events, 'quick', client.call('drain.quick')));
      const closed = client.closed.then((close) => void events.push(`closed:${close.reason ?? 'goodbye'}`));
      await drain.whenEntered(3);

      const started = Date.now();
      const closing = drain.app.close({ timeout: DEADLINE_MS });
      drain.release();
      await within(Promise.all([slow, stuck, afterClosing, closed, closing]), BOUND_MS, 'the client and close()');
      const took = Date.now() - started;

      const closeEvent = kind.client === 'autobahn' ? 'closed:wamp.close.system_shutdown' : 'closed:goodbye';
      assert.deepEqual(events.slice().sort(), ['slow:result', 'stuck:wamp.error.canceled', 'quick:serverwamp.error.shutting_down', closeEvent].sort());
      assert.equal(events.at(-1), closeEvent, `GOODBYE comes last: ${events.join(', ')}`);
      assert.ok(events.indexOf('slow:result') < events.indexOf('stuck:wamp.error.canceled'), events.join(', '));
      assert.deepEqual(drain.aborted, ['the call was canceled: the server is shutting down']);
      assert.ok(took >= DEADLINE_MS - 50, `the stuck call held the drain until the deadline (${took} ms)`);
    });
  }

  for (const kind of [CLIENTS[0]!, CLIENTS[2]!]) {
    it(`${kind.client}: after GOODBYE wamp.close.system_shutdown it does not reconnect, even when configured to`, async (t) => {
      const app = new Application({ logger: silentLogger });
      const listening = await listen(app, { port: 0, host: '127.0.0.1', pingInterval: 0 });
      t.after(() => listening.close());
      const client = await caller(kind, listening.url, true);
      t.after(() => client.stop());
      await within(app.close(), BOUND_MS, 'close()');
      const close = await within(client.closed, BOUND_MS, 'the client closing');
      assert.equal(close.willRetry, false);
      if (kind.client === 'autobahn') assert.equal(close.reason, 'wamp.close.system_shutdown');
    });
  }

  it('server.close() after attach() resolves while clients are connected, after their calls finish', async () => {
    const drain = drainApp();
    const server = createServer();
    attach(drain.app, server, { path: '/ws', pingInterval: 0 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`;
    const autobahn = await caller(CLIENTS[0]!, url);
    const wampy = await caller(CLIENTS[2]!, url);
    const events: string[] = [];
    const calls = [outcome(events, 'autobahn', autobahn.call('drain.slow')), outcome(events, 'wampy', wampy.call('drain.slow'))];
    await drain.whenEntered(2);
    const serverClosed = new Promise<Error | undefined>((resolve) => server.close(resolve));
    drain.release();
    assert.equal(await within(serverClosed, BOUND_MS, 'server.close()'), undefined);
    await within(Promise.all([...calls, autobahn.closed, wampy.closed]), BOUND_MS, 'the clients');
    assert.deepEqual(events.sort(), ['autobahn:result', 'wampy:result']);
    assert.equal(server.listening, false);
  });

  it('server.close() after attachRawSocket: the RawSocket call in flight gets its RESULT, then GOODBYE', async () => {
    const drain = drainApp();
    const server = createNetServer();
    attachRawSocket(drain.app, server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = await RawSocketClient.open((server.address() as AddressInfo).port);
    assert.equal((await client.hello())[0], 2);
    client.send([48, 1, {}, 'drain.slow']);
    await drain.whenEntered(1);
    const serverClosed = new Promise<Error | undefined>((resolve) => server.close(resolve));
    drain.release();
    assert.deepEqual(await client.next(10_000), [50, 1, {}, ['slow done']]);
    assert.deepEqual(await client.next(10_000), [6, {}, 'wamp.close.system_shutdown']);
    client.send([6, {}, 'wamp.close.goodbye_and_out']);
    assert.equal(await within(serverClosed, BOUND_MS, 'server.close()'), undefined);
  });

  it('listen().close() drains first: a call in flight gets its RESULT', async () => {
    const drain = drainApp();
    const listening = await listen(drain.app, { port: 0, host: '127.0.0.1', pingInterval: 0 });
    const client = await caller(CLIENTS[0]!, listening.url);
    const events: string[] = [];
    const call = outcome(events, 'slow', client.call('drain.slow'));
    await drain.whenEntered(1);
    const closing = listening.close();
    drain.release();
    await within(Promise.all([call, closing, client.closed]), BOUND_MS, 'listen().close()');
    assert.deepEqual(events, ['slow:result']);
    assert.equal(listening.server.listening, false);
  });

  it('await using: leaving the scope shuts the application down', async () => {
    let closed: Promise<{ reason: string | undefined }>;
    let listening: Awaited<ReturnType<typeof listen>>;
    {
      await using app = new Application({ logger: silentLogger });
      listening = await listen(app, { port: 0, host: '127.0.0.1', pingInterval: 0 });
      closed = (await caller(CLIENTS[0]!, listening.url)).closed;
    }
    assert.equal((await within(closed, BOUND_MS, 'the client')).reason, 'wamp.close.system_shutdown');
    await listening.close();
  });
});
