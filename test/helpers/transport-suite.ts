/**
 * The behaviours every transport must show, as one suite (the crossws
 * pattern): each transport's test file runs it with its own way of serving an
 * application and of connecting autobahn-js and a raw peer. A transport is
 * done when this suite passes on it.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { Application } from '../../src/index.js';
import type { AutobahnClient } from './clients.js';
import { EventLog, within } from './pubsub.js';
import { suiteApp } from './suite-app.js';
import { httpTransportSuite } from './transport-suite-http.js';

/** A peer that writes exact WAMP messages and reads the server's (JSON). */
export interface RawPeer {
  send(msg: unknown[]): void;
  /** Sends exact text as one message. */
  sendRaw(data: string): void;
  next(timeoutMs?: number): Promise<any[]>;
  hello(realm?: string): Promise<any[]>;
  readonly closed: Promise<unknown>;
  close(): void;
}

/** An application served over the transport under test. */
export interface ServedTransport {
  /** An autobahn-js session (JSON) over this transport. */
  autobahn(): Promise<AutobahnClient>;
  /** A raw peer over this transport, its transport handshake done. */
  raw(): Promise<RawPeer>;
  /** For WebSocket transports: the URL, for the upgrade-level tests (headers, cookies, subprotocols). */
  url?: string;
}

export interface TransportUnderTest {
  name: string;
  /** The `protocol` its TransportInfo reports for JSON. */
  jsonProtocol: string;
  /**
   * Serves `app` (the suite's application, `suiteApp()`). A transport served
   * by another process (Bun, Deno) ignores it and builds the same one there.
   */
  serve(app: Application, t: TestContext): Promise<ServedTransport>;
  /** Also run the WebSocket upgrade-level tests (transport-suite-http.ts); `serve` must give a `url`. */
  webSocket?: boolean;
  /** What `transportInfo.peerAddress` reports for a local client: `127.0.0.1`, or `''` where the runtime does not tell (workerd). */
  peerAddress?: string;
  /** `typeof transportInfo.peerPort`: `'number'`, or `'undefined'` where the runtime does not tell (workerd). */
  peerPort?: 'number' | 'undefined';
  /** Tests that cannot apply to this transport, by name, with the reason (reported as skipped). */
  notApplicable?: Readonly<Record<string, string>>;
}

/** The suite's `it`: a test the transport lists in `notApplicable` is skipped with its reason. */
export function suiteTest(transport: TransportUnderTest): (name: string, fn: (t: TestContext) => Promise<void>) => void {
  return (name, fn) => {
    const reason = transport.notApplicable?.[name];
    if (reason === undefined) it(name, fn);
    else it(name, { skip: `not applicable: ${reason}` }, fn);
  };
}

export function transportSuite(transport: TransportUnderTest): void {
  describe(`the ${transport.name} transport`, () => {
    const it = suiteTest(transport);
    async function autobahnSession(t: TestContext): Promise<AutobahnClient> {
      const served = await transport.serve(suiteApp(), t);
      return served.autobahn();
    }

    it('carries a call and its result, arguments and keyword arguments intact', async (t) => {
      const { session } = await autobahnSession(t);
      const result = await session.call('echo', [1, 'two', { three: [3] }], { 生肖: '鼠' });
      assert.deepEqual(result.kwargs, { args: [1, 'two', { three: [3] }], kwargs: { 生肖: '鼠' } });
    });

    it('carries an application error with its URI and payload', async (t) => {
      const { session } = await autobahnSession(t);
      await assert.rejects(session.call('refuse'), (error: any) => {
        assert.equal(error.error, 'app.error.refused');
        assert.deepEqual(error.args, ['not today']);
        assert.deepEqual(error.kwargs, { code: 7 });
        return true;
      });
    });

    it('carries progressive results before the final result', async (t) => {
      const { session } = await autobahnSession(t);
      const progress: unknown[] = [];
      const result = await session.call('countdown', [], {}, { receive_progress: true }).then(
        (value: unknown) => value,
        undefined,
        (report: any) => progress.push(report.kwargs.left),
      );
      assert.deepEqual(progress, [3, 2, 1]);
      assert.equal(result, 'liftoff');
    });

    it('delivers events to a subscriber, published by the application before the RESULT', async (t) => {
      const { session } = await autobahnSession(t);
      const log = new EventLog();
      const order: string[] = [];
      await session.subscribe('news', (args: unknown[]) => {
        order.push('event');
        log.push({ args, kwargs: {}, details: {} });
      });
      await session.call('announce', ['extra!']);
      order.push('result');
      await log.waitFor(1);
      assert.deepEqual(log.events[0]!.args, ['extra!']);
      assert.deepEqual(order, ['event', 'result']);
    });

    it('reports the transport, the peer address and the JSON protocol in transportInfo', async (t) => {
      const { session } = await autobahnSession(t);
      const result = await session.call('whereami');
      assert.deepEqual(result.kwargs, { transport: transport.name.toLowerCase(), peerAddress: transport.peerAddress ?? '127.0.0.1', protocol: transport.jsonProtocol });
    });

    it('answers a protocol violation with ABORT and closes the connection', async (t) => {
      const served = await transport.serve(suiteApp(), t);
      const peer = await served.raw();
      assert.equal((await peer.hello())[0], 2);
      peer.send([1, 'realm1', { roles: {} }]);
      const abort = await peer.next();
      assert.equal(abort[0], 3);
      assert.equal(abort[2], 'wamp.error.protocol_violation');
      await within(peer.closed, 5000, 'the close after ABORT');
    });

    it('answers a message that is not JSON with ABORT, without a stack trace', async (t) => {
      const served = await transport.serve(suiteApp(), t);
      const peer = await served.raw();
      peer.sendRaw('{not json');
      const abort = await peer.next();
      assert.deepEqual(abort.slice(0, 1), [3]);
      assert.equal(abort[2], 'wamp.error.protocol_violation');
      assert.doesNotMatch(JSON.stringify(abort), /at .*\.ts:\d+/);
      await within(peer.closed, 5000, 'the close after ABORT');
    });

    it('carries a client publication to another session', async (t) => {
      const served = await transport.serve(suiteApp(), t);
      const subscriber = await served.autobahn();
      const publisher = await served.autobahn();
      t.after(() => Promise.all([subscriber.close(), publisher.close()]));
      const log = new EventLog();
      await subscriber.session.subscribe('chat', (args: unknown[], kwargs: Record<string, unknown>) => log.push({ args, kwargs, details: {} }));
      await publisher.session.publish('chat', ['hi'], { from: 'pub' }, { acknowledge: true });
      await log.waitFor(1);
      assert.deepEqual(log.events[0], { args: ['hi'], kwargs: { from: 'pub' }, details: {} });
    });

    it('returns every result shape: nothing, a scalar, arguments and keyword arguments', async (t) => {
      const { session } = await autobahnSession(t);
      assert.equal(await session.call('nothing'), null);
      assert.equal(await session.call('scalar'), 42);
      const both = await session.call('echo', [[1, 2]], { k: null });
      assert.deepEqual(both.kwargs, { args: [[1, 2]], kwargs: { k: null } });
    });

    it('cancels a call in flight with ERROR wamp.error.canceled', async (t) => {
      const served = await transport.serve(suiteApp(), t);
      const peer = await served.raw();
      assert.equal((await peer.hello())[0], 2);
      peer.send([48, 7, {}, 'slow']);
      peer.send([49, 7, { mode: 'kill' }]);
      const error = await peer.next(10_000);
      assert.deepEqual(error.slice(0, 2), [8, 48]);
      assert.equal(error[2], 7);
      assert.equal(error[4], 'wamp.error.canceled');
      peer.close();
    });

    it('tells a session GOODBYE when the application closes', async (t) => {
      const served = await transport.serve(suiteApp(), t);
      const peer = await served.raw();
      assert.equal((await peer.hello())[0], 2);
      peer.send([48, 1, {}, 'shutdown']);
      assert.deepEqual((await peer.next(10_000)).slice(0, 2), [50, 1]);
      const goodbye = await peer.next(10_000);
      assert.equal(goodbye[0], 6);
      assert.equal(goodbye[2], 'wamp.close.system_shutdown');
      peer.send([6, {}, 'wamp.close.goodbye_and_out']);
      await within(peer.closed, 10_000, 'the close after GOODBYE');
    });
  });
  if (transport.webSocket === true) httpTransportSuite(transport);
}
