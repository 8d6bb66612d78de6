import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { describe, it, type TestContext } from 'node:test';
import { Application, RPCRouteSet, TopicRouteSet, type DroppedEvent, type SlowConsumerOptions } from '../src/index.js';
import { CLIENTS, connectClient } from './helpers/clients.js';
import { EventLog, subscribe } from './helpers/pubsub.js';
import { RawClient } from './helpers/raw-client.js';
import { serve } from './helpers/server.js';

const LIMIT = 64 * 1024;
const PAYLOAD = 'x'.repeat(16 * 1024);
/** Events may be queued while less than LIMIT bytes wait, so the buffer never exceeds LIMIT plus one event. */
const BOUND = LIMIT + PAYLOAD.length + 1024;

/**
 * Serves a `firehose` topic with these slow-consumer options to two
 * subscribers: a raw client that stops reading its socket, and a real client
 * of `kind` that keeps reading. `publishBatch` publishes 20 events and waits
 * until the healthy client has them all.
 */
async function firehose(t: TestContext, slowConsumer: SlowConsumerOptions, kind: (typeof CLIENTS)[number]) {
  const app = new Application({ events: { slowConsumer } });
  app.addTopicRoutes(new TopicRouteSet().route('firehose', {}));
  const { url } = await serve(app, t);
  const stalled = await RawClient.connect(url);
  t.after(() => stalled.ws.terminate());
  const welcome = await stalled.hello();
  stalled.send([32, 1, {}, 'firehose']);
  assert.equal((await stalled.next())[0], 33);
  (stalled.ws as any)._socket.pause();
  const healthy = await connectClient(url, kind);
  t.after(() => healthy.close());
  const received = new EventLog();
  await subscribe(healthy, 'firehose', received.push);
  let published = 0;
  return {
    app,
    stalled,
    session: app.getSession(welcome[1])!,
    received,
    get published() {
      return published;
    },
    async publishBatch() {
      for (let i = 0; i < 20; i++) app.publish('firehose', { args: [published++, PAYLOAD] });
      const buffered = this.session.connection.bufferedAmount;
      await received.waitFor(published); // the healthy client is not held back
      return buffered;
    },
  };
}

describe('slow consumers', () => {
  it('drops and counts events to a client that stopped reading while the others keep receiving everything', async (t) => {
    const dropped: DroppedEvent[] = [];
    const scenario = await firehose(t, { eventBufferLimit: LIMIT, onDrop: (event) => dropped.push(event) }, CLIENTS[1]!);
    const { app, session, received } = scenario;

    // Bounded in count and time; stops once the stalled client has clearly been dropping for a while.
    let maxBuffered = 0;
    const deadline = Date.now() + 30_000;
    while (scenario.published < 6000 && Date.now() < deadline && session.droppedEvents < 200) {
      maxBuffered = Math.max(maxBuffered, await scenario.publishBatch());
    }
    const published = scenario.published;
    assert.ok(session.droppedEvents >= 200, `only ${session.droppedEvents} events were dropped after ${published}`);
    assert.ok(maxBuffered <= BOUND, `${maxBuffered} bytes were buffered for the stalled client`);
    assert.equal(app.droppedEvents, session.droppedEvents);
    assert.equal(dropped.length, session.droppedEvents);
    assert.equal(dropped[0]!.topic, 'firehose');
    assert.deepEqual(received.events.map((e) => e.args[0]), Array.from({ length: published }, (_, i) => i));

    // The stalled client is still connected: once it reads again, it gets every event that was kept, in order…
    (scenario.stalled.ws as any)._socket.resume();
    const kept: number[] = [];
    for (let i = 0; i < published - session.droppedEvents; i++) {
      const msg = await scenario.stalled.next(5000);
      assert.equal(msg[0], 36);
      kept.push(msg[4][0]);
    }
    assert.ok(kept.every((n, i) => i === 0 || n > kept[i - 1]!), 'kept events arrive in order');
    // …and new events again.
    app.publish('firehose', { args: ['last'] });
    assert.equal((await scenario.stalled.next(5000))[4][0], 'last');
    assert.equal(session.closed, false);
  });

  it("closes the connection of a client that stopped reading under the 'close' policy", async (t) => {
    const scenario = await firehose(t, { eventBufferLimit: LIMIT, policy: 'close' }, CLIENTS[3]!);
    const { app, session, received } = scenario;
    const deadline = Date.now() + 30_000;
    while (scenario.published < 6000 && Date.now() < deadline && !session.closed) {
      assert.ok((await scenario.publishBatch()) <= BOUND);
    }
    const published = scenario.published;
    assert.equal(session.closed, true);
    assert.equal(app.getSession(session.id), undefined);
    assert.equal(app.droppedEvents, 0);
    assert.equal(received.events.length, published);
  });

  it('closes the session rather than queue replies past bufferLimit, and never drops one silently', async (t) => {
    // Reading would pause first (readPauseLimit) and slow this client down instead: set above bufferLimit, the hard limit is reached.
    const app = new Application({
      events: { slowConsumer: { eventBufferLimit: LIMIT, bufferLimit: 4 * LIMIT, readPauseLimit: 8 * LIMIT } },
    });
    let calls = 0;
    app.addRPCRoutes(
      new RPCRouteSet().route('big', () => {
        calls++;
        return PAYLOAD;
      }),
    );
    const { url } = await serve(app, t);
    const client = await RawClient.connect(url);
    t.after(() => client.ws.terminate());
    const welcome = await client.hello();
    const session = app.getSession(welcome[1])!;
    (client.ws as any)._socket.pause();

    let requestId = 0;
    const deadline = Date.now() + 30_000;
    while (requestId < 5000 && Date.now() < deadline && !session.closed) {
      for (let i = 0; i < 10; i++) client.send([48, ++requestId, {}, 'big']);
      while (calls < requestId && !session.closed && Date.now() < deadline) await tick();
      assert.ok(session.connection.bufferedAmount <= 4 * LIMIT + PAYLOAD.length + 1024);
    }
    assert.equal(session.closed, true);
    assert.ok(calls < 5000);
  });
});
