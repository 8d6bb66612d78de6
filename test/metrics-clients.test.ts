/**
 * The metrics count what real clients (autobahn-js, wampy) did: sessions,
 * calls by route and outcome, server→client calls, events, bytes. Checked
 * through `app.metrics` and through the Prometheus text, read by a parser.
 */
import type { Socket } from 'node:net';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Application, RPCRouteSet, TopicRouteSet, WampError, silentLogger } from '../src/index.js';
import { connectClient, type SerializerName } from './helpers/clients.js';
import { connectCallee } from './helpers/callees.js';
import { EventLog, subscribe } from './helpers/pubsub.js';
import { scraped } from './helpers/prometheus.js';
import { RawClient } from './helpers/raw-client.js';
import { RawSocketClient } from './helpers/rawsocket-client.js';
import { serve, serveRawSocket } from './helpers/server.js';

async function eventually(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`${what} did not happen within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function metricsApp(): Application {
  const app = new Application({ logger: silentLogger, metrics: { errorURIs: ['app.error.failed'] } });
  const routes = new RPCRouteSet();
  routes.route('math.add', { params: ['a', 'b'] }, ({ a, b }) => Number(a) + Number(b));
  routes.route('fail', () => {
    throw new WampError('app.error.failed');
  });
  routes.route('slow', { timeout: 50 }, (request) => new Promise((resolve) => request.signal.addEventListener('abort', () => resolve(0))));
  app.addRPCRoutes(routes);
  const topics = new TopicRouteSet();
  topics.route('news', {});
  app.addTopicRoutes(topics);
  return app;
}

const KINDS: { client: 'autobahn' | 'wampy'; serializer: SerializerName }[] = [
  { client: 'autobahn', serializer: 'json' },
  { client: 'wampy', serializer: 'msgpack' },
];

for (const kind of KINDS) {
  test(`${kind.client}/${kind.serializer}: the metrics match what the clients did`, async (t) => {
    const app = metricsApp();
    const { url } = await serve(app, t);
    const metrics = app.metrics!;
    const client = await connectClient(url, kind);
    const callee = await connectCallee(app, url, kind);
    assert.equal(metrics.value('serverwamp_sessions_open', { realm: '(default)', transport: 'websocket' }), 2);

    for (let i = 0; i < 3; i++) assert.deepEqual((await client.call('math.add', [i, 1])).args, [i + 1]);
    for (let i = 0; i < 2; i++) await assert.rejects(client.call('fail'), { error: 'app.error.failed' });
    await assert.rejects(client.call('slow'), { error: 'wamp.error.timeout' });
    await assert.rejects(client.call('no.such.procedure'), { error: 'wamp.error.no_such_procedure' });

    const events = new EventLog();
    await subscribe(client, 'news', events.push);
    app.publish('news', { args: ['one'] });
    app.publish('news', { args: ['two'] });
    app.publish('nobody.listens');
    await events.waitFor(2);

    await callee.register('client.echo', ({ args }) => ({ args }));
    assert.deepEqual((await callee.session.call('client.echo', { args: ['hi'] })).args, ['hi']);
    await assert.rejects(callee.session.call('client.echo', { args: ['late'], timeout: 1, signal: AbortSignal.abort() }));

    const calls = (labels: Record<string, string>): number => metrics.value('serverwamp_calls_total', labels);
    assert.equal(calls({ procedure: 'math.add', outcome: 'ok', error: '' }), 3);
    assert.equal(calls({ procedure: 'fail', outcome: 'error', error: 'app.error.failed' }), 2);
    assert.equal(calls({ procedure: 'slow', outcome: 'timeout', error: 'wamp.error.timeout' }), 1);
    assert.equal(calls({ procedure: '(unknown)', outcome: 'error', error: 'wamp.error.no_such_procedure' }), 1);
    assert.equal(calls({}), 7);
    assert.equal(metrics.value('serverwamp_call_duration_seconds', { procedure: 'math.add' }), 3);
    assert.equal(metrics.value('serverwamp_call_duration_seconds'), 6, 'a duration for each call that ran');
    assert.equal(metrics.value('serverwamp_server_calls_total', { outcome: 'ok' }), 1);
    assert.equal(metrics.value('serverwamp_events_published_total', { realm: '(default)', origin: 'local' }), 3);
    assert.equal(metrics.value('serverwamp_events_delivered_total'), 2);
    assert.equal(metrics.value('serverwamp_events_dropped_total'), 0);
    assert.ok(metrics.value('serverwamp_received_bytes_total', { transport: 'websocket' }) > 0);
    assert.ok(metrics.value('serverwamp_sent_bytes_total', { transport: 'websocket' }) > 0);

    // The scrape says the same, read by an independent parser.
    const text = metrics.prometheus();
    assert.equal(scraped(text, 'serverwamp_calls_total', { procedure: 'math.add', outcome: 'ok' }), 3);
    assert.equal(scraped(text, 'serverwamp_calls_total', { error: 'app.error.failed' }), 2);
    assert.equal(scraped(text, 'serverwamp_events_delivered_total'), 2);
    assert.equal(scraped(text, 'serverwamp_sessions_total'), 2);

    await client.close();
    await callee.close();
    await eventually(() => metrics.value('serverwamp_sessions_open') === 0, 'both sessions closing');
    assert.equal(metrics.value('serverwamp_sessions_total', { realm: '(default)', transport: 'websocket' }), 2);
  });
}

test('bytes received and sent are the octets on the wire: what the client socket wrote and read, live and after close', async (t) => {
  const app = metricsApp();
  const { url } = await serve(app, t);
  const client = await RawClient.connect(url);
  const socket = (client.ws as unknown as { _socket: Socket })._socket;
  const metrics = app.metrics!;
  const onWire = (): [number, number] => [
    metrics.value('serverwamp_received_bytes_total', { transport: 'websocket' }),
    metrics.value('serverwamp_sent_bytes_total', { transport: 'websocket' }),
  ];
  client.send([1, 'realm1', { roles: { caller: {}, subscriber: {} } }]);
  await client.next();
  client.send([48, 1, {}, 'no.such.procédure€😀', ['é€😀']]);
  await client.next();
  client.send([32, 2, {}, 'news']);
  await client.next();
  app.publish('news', { args: ['é€😀 for every subscriber'] });
  await client.next();
  // Live: read from the open connection's socket at the scrape.
  await eventually(() => onWire()[0] === socket.bytesWritten && onWire()[1] === socket.bytesRead, 'the live counts matching the client socket');
  assert.ok(socket.bytesWritten > 200 && socket.bytesRead > 300);
  client.ws.close();
  await client.closed;
  // Closed: added once for good, the closing handshake included.
  await eventually(() => metrics.value('serverwamp_sessions_open') === 0, 'the session ending');
  await eventually(() => onWire()[0] === socket.bytesWritten && onWire()[1] === socket.bytesRead, 'the final counts matching the client socket');
});

test('over RawSocket, bytes are the octets of its TCP socket, counted under rawsocket', async (t) => {
  const app = metricsApp();
  const { port } = await serveRawSocket(app, t);
  const client = await RawSocketClient.open(port);
  assert.equal((await client.hello())[0], 2);
  client.send([48, 1, {}, 'math.add', [1, 2]]);
  assert.equal((await client.next())[0], 50);
  const metrics = app.metrics!;
  const onWire = (): [number, number] => [
    metrics.value('serverwamp_received_bytes_total', { transport: 'rawsocket' }),
    metrics.value('serverwamp_sent_bytes_total', { transport: 'rawsocket' }),
  ];
  await eventually(() => onWire()[0] === client.socket.bytesWritten && onWire()[1] === client.socket.bytesRead, 'the live counts matching');
  assert.equal(metrics.value('serverwamp_sessions_open', { transport: 'rawsocket' }), 1);
  client.socket.end();
  await client.closed;
  await eventually(() => metrics.value('serverwamp_sessions_open') === 0, 'the session ending');
  assert.deepEqual(onWire(), [client.socket.bytesWritten, client.socket.bytesRead]);
});

test('a canceled call counts as canceled, and a call whose session ended first as aborted', async (t) => {
  const app = new Application({ logger: silentLogger, metrics: true });
  const routes = new RPCRouteSet();
  let started = 0;
  routes.route('wait', (request) => {
    started++;
    return new Promise((resolve) => request.signal.addEventListener('abort', () => resolve(0)));
  });
  app.addRPCRoutes(routes);
  const { url } = await serve(app, t);
  const client = await RawClient.connect(url);
  client.send([1, 'realm1', { roles: { caller: { features: { call_canceling: true } } } }]);
  assert.equal((await client.next())[0], 2);
  client.send([48, 1, {}, 'wait', []]);
  client.send([49, 1, { mode: 'killnowait' }]);
  const reply = await client.next();
  assert.deepEqual([reply[0], reply[4]], [8, 'wamp.error.canceled']);
  client.send([48, 2, {}, 'wait', []]);
  await eventually(() => started === 2, 'the second call starting');
  client.ws.terminate();
  const metrics = app.metrics!;
  await eventually(() => metrics.value('serverwamp_calls_total', { outcome: 'aborted' }) === 1, 'the second call being aborted');
  assert.equal(metrics.value('serverwamp_calls_total', { procedure: 'wait', outcome: 'canceled', error: 'wamp.error.canceled' }), 1);
  assert.equal(metrics.value('serverwamp_calls_total', { procedure: 'wait', outcome: 'aborted', error: '' }), 1);
});
