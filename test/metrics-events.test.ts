/**
 * Event metrics: publications made here and relayed from another node,
 * EVENTs delivered, and events dropped by reason (a slow consumer, an event
 * over the client's maximum, the backplane's own losses). Also: a custom
 * adapter's transport kind labels its sessions and bytes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Application, RPCRouteSet, TopicRouteSet, createLocalBackplane, silentLogger, type ApplicationOptions, type Backplane } from '../src/index.js';
import { connectTestPeer, type TestPeer } from '../src/testing.js';

function newsApp(options: ApplicationOptions = {}): Application {
  const app = new Application({ logger: silentLogger, metrics: true, ...options });
  const topics = new TopicRouteSet();
  topics.route('news', {
    publish(request) {
      request.forward();
    },
  });
  app.addTopicRoutes(topics);
  return app;
}

async function subscribed(app: Application, options: Parameters<typeof connectTestPeer>[1] = {}): Promise<TestPeer> {
  const peer = connectTestPeer(app, options);
  peer.send([1, 'realm1', { roles: { subscriber: {}, publisher: {} } }]);
  assert.equal((await peer.next())[0], 2);
  peer.send([32, 1, {}, 'news']);
  assert.equal((await peer.next())[0], 33);
  return peer;
}

test('events dropped for a slow consumer and for a client maximum are counted by reason; delivered counts what was queued', async () => {
  const app = newsApp({ events: { slowConsumer: { eventBufferLimit: 1000 } } });
  const slow = await subscribed(app, { transportInfo: { transport: 'carrier-pigeon' } });
  const small = await subscribed(app, { maxMessageLength: 4096 });
  const fast = await subscribed(app);
  slow.bufferedAmount = 10_000;
  app.publish('news', { args: ['short'] });
  app.publish('news', { args: ['x'.repeat(10_000)] });
  const metrics = app.metrics!;
  assert.equal(metrics.value('serverwamp_events_published_total', { realm: '(default)', origin: 'local' }), 2);
  assert.equal(metrics.value('serverwamp_events_dropped_total', { reason: 'slow_consumer' }), 2);
  assert.equal(metrics.value('serverwamp_events_dropped_total', { reason: 'too_large' }), 1);
  assert.equal(metrics.value('serverwamp_events_delivered_total', { realm: '(default)' }), 3);
  assert.equal((await fast.next())[0], 36);
  assert.equal((await small.next())[0], 36);
  // A custom adapter names its own transport kind; the application chose it, so it is a label.
  assert.equal(metrics.value('serverwamp_sessions_open', { transport: 'carrier-pigeon' }), 1);
  assert.ok(metrics.value('serverwamp_received_bytes_total', { transport: 'carrier-pigeon' }) > 0);
});

test('a client PUBLISH is counted once, and a publication relayed from another node counts as remote there', async () => {
  const hub = createLocalBackplane();
  const a = newsApp({ backplane: hub.backplane() });
  const b = newsApp({ backplane: hub.backplane() });
  const publisher = await subscribed(a);
  const remote = await subscribed(b);
  publisher.send([16, 2, { exclude_me: false }, 'news', ['hello']]);
  assert.equal((await publisher.next())[0], 36);
  assert.equal((await remote.next())[0], 36);
  assert.equal(a.metrics!.value('serverwamp_events_published_total', { origin: 'local' }), 1);
  assert.equal(a.metrics!.value('serverwamp_events_published_total', { origin: 'remote' }), 0);
  assert.equal(b.metrics!.value('serverwamp_events_published_total', { origin: 'remote' }), 1);
  assert.equal(b.metrics!.value('serverwamp_events_delivered_total'), 1);
  await a.close({ timeout: 0, goodbyeWait: 0 });
  await b.close({ timeout: 0, goodbyeWait: 0 });
});

test("a backplane's own losses (stats.dropped, as the Redis backplane keeps) are read at each scrape", async () => {
  const stats = { dropped: 0 };
  const backplane: Backplane & { stats: typeof stats } = {
    stats,
    start: () => undefined,
    publish: () => undefined,
    close: () => undefined,
  };
  const app = newsApp({ backplane });
  assert.equal(app.metrics!.value('serverwamp_events_dropped_total', { reason: 'backplane' }), 0);
  stats.dropped = 7;
  assert.match(app.metrics!.prometheus(), /^serverwamp_events_dropped_total\{reason="backplane"\} 7$/m);
  await app.close({ timeout: 0, goodbyeWait: 0 });
});

test('metrics off cost nothing per call: no clock is read; on, each call reads it twice', async () => {
  const original = performance.now;
  let reads = 0;
  performance.now = function now(this: typeof performance) {
    reads++;
    return original.call(this);
  };
  try {
    for (const metrics of [false, true]) {
      const app = new Application({ logger: silentLogger, metrics });
      const routes = new RPCRouteSet();
      routes.route('math.add', { params: ['a', 'b'] }, ({ a, b }) => Number(a) + Number(b));
      app.addRPCRoutes(routes);
      const peer = connectTestPeer(app);
      peer.send([1, 'realm1', { roles: { caller: {} } }]);
      assert.equal((await peer.next())[0], 2);
      reads = 0;
      for (let id = 1; id <= 100; id++) {
        peer.send([48, id, {}, 'math.add', [id, 1]]);
        assert.equal((await peer.next())[0], 50);
      }
      assert.equal(reads, metrics ? 200 : 0, `metrics ${metrics}`);
      await app.close({ timeout: 0, goodbyeWait: 0 });
    }
  } finally {
    performance.now = original;
  }
});

test('refusals by the limits are exported (serverwamp_refusals_total), and a rate-limited CALL is counted with its error URI', async () => {
  let now = 0;
  const app = new Application({ logger: silentLogger, metrics: true, limits: { callRate: { rate: 1, burst: 2 }, clock: () => now } });
  app.addRPCRoutes(new RPCRouteSet().route('echo', (request) => request.args[0] ?? null));
  const peer = connectTestPeer(app);
  peer.send([1, 'realm1', { roles: { caller: {} } }]);
  assert.equal((await peer.next())[0], 2);
  const replies = [];
  for (let id = 1; id <= 5; id++) {
    peer.send([48, id, {}, 'echo', [id]]);
    replies.push((await peer.next())[0]);
  }
  now += 1000;
  assert.deepEqual(replies, [50, 50, 8, 8, 8]);
  const metrics = app.metrics!;
  assert.equal(metrics.value('serverwamp_refusals_total', { kind: 'callRate' }), 3);
  assert.equal(metrics.value('serverwamp_calls_total', { error: 'serverwamp.error.rate_limited' }), 3);
  assert.equal(metrics.value('serverwamp_calls_total', { procedure: 'echo', outcome: 'ok' }), 2);
  await app.close({ timeout: 0, goodbyeWait: 0 });
});
