/**
 * The engine's one outbox (src/engine/outbox.ts), driven with no sockets:
 * the in-memory peer of `serverwamp/testing` plays a slow consumer by
 * reporting what it has not yet read (`bufferedAmount`), and sees exactly
 * what the engine sends and how it closes the transport.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Application, RPCRouteSet, TopicRouteSet, type DroppedEvent, type Session } from '../src/index.js';
import { connectTestPeer, type TestPeer } from '../src/testing.js';

const HELLO = 1;
const WELCOME = 2;
const ABORT = 3;
const GOODBYE = 6;
const SUBSCRIBE = 32;
const SUBSCRIBED = 33;
const EVENT = 36;
const CALL = 48;
const RESULT = 50;

const EVENT_LIMIT = 10_000;
const BUFFER_LIMIT = 100_000;

const roles = { caller: {}, subscriber: {} };

async function join(peer: TestPeer): Promise<void> {
  peer.send([HELLO, 'realm1', { roles }]);
  const welcome = await peer.next();
  assert.equal(welcome[0], WELCOME, `expected WELCOME, got ${JSON.stringify(welcome)}`);
}

async function subscribe(peer: TestPeer, requestId: number, topic: string): Promise<number> {
  peer.send([SUBSCRIBE, requestId, {}, topic]);
  const subscribed = await peer.next();
  assert.equal(subscribed[0], SUBSCRIBED);
  return subscribed[2] as number;
}

function slowConsumerApp(policy: 'drop' | 'close', dropped: DroppedEvent[] = []): Application {
  const app = new Application({
    events: { slowConsumer: { eventBufferLimit: EVENT_LIMIT, bufferLimit: BUFFER_LIMIT, policy, onDrop: (event) => void dropped.push(event) } },
  });
  app.addTopicRoutes(new TopicRouteSet().route('ticks', {}));
  const routes = new RPCRouteSet();
  routes.route('ping', () => 'pong');
  routes.route('big', () => 'x'.repeat(4096));
  app.addRPCRoutes(routes);
  return app;
}

function onlySession(app: Application): Session {
  const sessions = [...app.sessions];
  assert.equal(sessions.length, 1);
  return sessions[0]!;
}

describe('engine outbox: one place for outbound flow control', () => {
  it('drops events past eventBufferLimit (policy drop), counts them per session, and resumes when the peer catches up', async () => {
    const dropped: DroppedEvent[] = [];
    const app = slowConsumerApp('drop', dropped);
    const peer = connectTestPeer(app);
    await join(peer);
    const subscription = await subscribe(peer, 1, 'ticks');
    const session = onlySession(app);

    peer.bufferedAmount = EVENT_LIMIT; // at the bound: events go, replies still do
    for (let i = 0; i < 3; i++) app.publish('ticks', { args: [i] });
    assert.equal(peer.pending.length, 0, 'no EVENT is queued past the bound');
    assert.equal(session.droppedEvents, 3);
    assert.equal(app.droppedEvents, 3);
    assert.deepEqual(dropped.map((event) => [event.session.id, event.topic]), [[session.id, 'ticks'], [session.id, 'ticks'], [session.id, 'ticks']]);
    peer.send([CALL, 2, {}, 'ping']);
    assert.deepEqual(await peer.next(), [RESULT, 2, {}, ['pong']], 'a reply is never dropped below bufferLimit');

    peer.bufferedAmount = 0;
    app.publish('ticks', { args: ['again'] });
    const event = await peer.next();
    assert.deepEqual([event[0], event[1], event[4]], [EVENT, subscription, ['again']]);
    assert.equal(session.droppedEvents, 3);
    assert.equal(peer.isClosed, false);
    await app.close();
  });

  it('closes a slow consumer at eventBufferLimit under policy close, without a closing handshake', async () => {
    const app = slowConsumerApp('close');
    const peer = connectTestPeer(app);
    await join(peer);
    await subscribe(peer, 1, 'ticks');
    const session = onlySession(app);
    peer.bufferedAmount = EVENT_LIMIT;
    app.publish('ticks', { args: [1] });
    assert.deepEqual(await peer.closed, { code: 1006, reason: '' }, 'terminated: a handshake would wait behind the buffer');
    assert.equal(session.closed, true);
    assert.equal([...app.sessions].length, 0);
  });

  it('closes the connection rather than drop a reply once the peer holds bufferLimit', async () => {
    const app = slowConsumerApp('drop');
    const peer = connectTestPeer(app);
    await join(peer);
    peer.bufferedAmount = BUFFER_LIMIT;
    peer.send([CALL, 1, {}, 'ping']);
    assert.deepEqual(await peer.closed, { code: 1006, reason: '' });
    assert.equal(peer.pending.length, 0, 'the RESULT was not sent past the bound');
    assert.equal([...app.sessions].length, 0);
  });

  it('never sends a frame over the peer maximum: an event is dropped and counted, a reply ends the session with ABORT', async () => {
    const app = slowConsumerApp('drop');
    const peer = connectTestPeer(app, { maxMessageLength: 1024 });
    await join(peer);
    const subscription = await subscribe(peer, 1, 'ticks');
    const session = onlySession(app);
    app.publish('ticks', { args: ['x'.repeat(2048)] });
    app.publish('ticks', { args: ['small'] });
    const event = await peer.next();
    assert.deepEqual([event[0], event[1], event[4]], [EVENT, subscription, ['small']], 'the oversized event is skipped, the next one goes');
    assert.equal(session.droppedEvents, 1);

    peer.send([CALL, 2, {}, 'big']);
    const abort = await peer.next();
    assert.equal(abort[0], ABORT);
    assert.equal(abort[2], 'wamp.error.payload_size_exceeded');
    assert.match(String((abort[1] as Record<string, unknown>)['message']), /1024-octet maximum/);
    assert.deepEqual(await peer.closed, { code: 1000, reason: 'wamp.error.payload_size_exceeded' });
  });

  it('counts dropped events per session: a new session on the same connection starts at zero', async () => {
    const app = slowConsumerApp('drop');
    const peer = connectTestPeer(app);
    await join(peer);
    await subscribe(peer, 1, 'ticks');
    peer.bufferedAmount = EVENT_LIMIT;
    app.publish('ticks', { args: [1] });
    const first = onlySession(app);
    assert.equal(first.droppedEvents, 1);

    peer.bufferedAmount = 0;
    peer.send([GOODBYE, {}, 'wamp.close.close_realm']);
    assert.equal((await peer.next())[0], GOODBYE);
    await join(peer);
    const second = onlySession(app);
    assert.notEqual(second, first);
    assert.equal(second.droppedEvents, 0);
    await app.close();
  });
});
