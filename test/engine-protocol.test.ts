/**
 * The engine through the in-memory transport of `serverwamp/testing`: no
 * sockets, no real clients, the exact messages a peer sees.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Application, RPCRouteSet, TopicRouteSet, type Session } from '../src/index.js';
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

const roles = { caller: {}, callee: {}, subscriber: {}, publisher: {} };

async function join(peer: TestPeer, realm = 'realm1'): Promise<number> {
  peer.send([HELLO, realm, { roles }]);
  const welcome = await peer.next();
  assert.equal(welcome[0], WELCOME, `expected WELCOME, got ${JSON.stringify(welcome)}`);
  return welcome[1] as number;
}

function appWithRoutes(): Application {
  const app = new Application();
  const routes = new RPCRouteSet();
  routes.route('math.add', { params: ['a', 'b'] }, ({ a, b }) => Number(a) + Number(b));
  routes.route('big', () => 'x'.repeat(4096));
  app.addRPCRoutes(routes);
  return app;
}

describe('engine over the in-memory transport', () => {
  for (const protocol of ['wamp.2.json', 'wamp.2.msgpack', 'wamp.2.cbor'] as const) {
    it(`HELLO → WELCOME, CALL → RESULT (${protocol})`, async () => {
      const app = appWithRoutes();
      const peer = connectTestPeer(app, { protocol });
      const sessionId = await join(peer);
      assert.ok(Number.isSafeInteger(sessionId) && sessionId > 0);
      assert.equal([...app.sessions].length, 1);
      peer.send([CALL, 1, {}, 'math.add', [2, 3]]);
      assert.deepEqual(await peer.next(), [RESULT, 1, {}, [5]]);
      await app.close();
      assert.deepEqual(await peer.closed, { code: 1001, reason: 'server shutting down' });
    });
  }

  it('WELCOME announces the router roles and the session sees the transport info it was given', async () => {
    const app = new Application();
    app.addTransportAuthenticator(({ transportInfo }) => ({ authid: String(transportInfo.httpHeaders['x-user']), authrole: 'user' }));
    const peer = connectTestPeer(app, { transportInfo: { httpHeaders: { 'x-user': 'ada' }, peerAddress: '10.0.0.7' } });
    peer.send([HELLO, 'realm1', { roles }]);
    const [type, , details] = (await peer.next()) as [number, number, Record<string, unknown>];
    assert.equal(type, WELCOME);
    assert.equal(details['authid'], 'ada');
    assert.equal(details['authrole'], 'user');
    assert.ok(typeof details['roles'] === 'object' && details['roles'] !== null && 'dealer' in details['roles']);
    const session: Session = [...app.sessions][0]!;
    assert.equal(session.connection.transportInfo.transport, 'memory');
    assert.equal(session.connection.transportInfo.peerAddress, '10.0.0.7');
    await app.close();
  });

  it('SUBSCRIBE → SUBSCRIBED, then a publication arrives as EVENT', async () => {
    const app = new Application();
    const topics = new TopicRouteSet();
    topics.route('news', async function* () {
      yield;
    });
    app.addTopicRoutes(topics);
    const peer = connectTestPeer(app);
    await join(peer);
    peer.send([SUBSCRIBE, 1, {}, 'news']);
    const subscribed = await peer.next();
    assert.equal(subscribed[0], SUBSCRIBED);
    assert.equal(subscribed[1], 1);
    const subscriptionId = subscribed[2];
    const publicationId = app.publish('news', { args: ['hello'] });
    const event = await peer.next();
    assert.equal(event[0], EVENT);
    assert.equal(event[1], subscriptionId);
    assert.deepEqual(event.slice(2), [publicationId, {}, ['hello']]);
    await app.close();
  });

  it('GOODBYE is answered with GOODBYE and the transport stays open for a new session', async () => {
    const app = appWithRoutes();
    const peer = connectTestPeer(app);
    await join(peer);
    peer.send([GOODBYE, {}, 'wamp.close.close_realm']);
    assert.deepEqual(await peer.next(), [GOODBYE, {}, 'wamp.close.goodbye_and_out']);
    assert.equal(peer.isClosed, false);
    assert.equal([...app.sessions].length, 0);
    await join(peer);
    assert.equal([...app.sessions].length, 1);
    await app.close();
  });

  it('a client that drops the transport ends its session', async () => {
    const app = appWithRoutes();
    const peer = connectTestPeer(app);
    await join(peer);
    peer.disconnect();
    assert.equal(peer.connection.closed, true);
    assert.equal([...app.sessions].length, 0);
    await app.close();
  });

  it('an undecodable frame gets ABORT protocol_violation and close code 1002', async () => {
    const app = appWithRoutes();
    const peer = connectTestPeer(app);
    peer.sendFrame('{not json');
    const abort = await peer.next();
    assert.equal(abort[0], ABORT);
    assert.equal(abort[2], 'wamp.error.protocol_violation');
    assert.equal((await peer.closed).code, 1002);
    await app.close();
  });

  it('the engine, not the adapter, aborts a reply over the maximum length the peer announced', async () => {
    const app = appWithRoutes();
    const peer = connectTestPeer(app, { maxMessageLength: 1024 });
    await join(peer);
    peer.send([CALL, 1, {}, 'big', []]);
    const abort = await peer.next();
    assert.equal(abort[0], ABORT);
    assert.equal(abort[2], 'wamp.error.payload_size_exceeded');
    assert.match(String((abort[1] as Record<string, unknown>)['message']), /1024-octet maximum/);
    await peer.closed;
    assert.equal(peer.pending.length, 0, 'nothing over the limit was sent');
    assert.equal([...app.sessions].length, 0);
    await app.close();
  });

  it('a multi-octet reply is measured in UTF-8 octets, not UTF-16 units', async () => {
    const app = new Application();
    const routes = new RPCRouteSet();
    // 400 units of 3 octets each: 1200 octets of payload, under 1024 units but over 1024 octets.
    routes.route('wide', () => '€'.repeat(400));
    app.addRPCRoutes(routes);
    const peer = connectTestPeer(app, { maxMessageLength: 1024 });
    await join(peer);
    peer.send([CALL, 1, {}, 'wide', []]);
    const abort = await peer.next();
    assert.equal(abort[2], 'wamp.error.payload_size_exceeded');
    await app.close();
  });

  it('an event over the maximum length is dropped, the session and later events go on', async () => {
    const app = new Application();
    const topics = new TopicRouteSet();
    topics.route('feed', async function* () {
      yield;
    });
    app.addTopicRoutes(topics);
    const peer = connectTestPeer(app, { maxMessageLength: 1024 });
    await join(peer);
    peer.send([SUBSCRIBE, 1, {}, 'feed']);
    assert.equal((await peer.next())[0], SUBSCRIBED);
    app.publish('feed', { args: ['€'.repeat(400)] }); // over 1024 octets in UTF-8 only
    app.publish('feed', { args: ['small'] });
    const event = await peer.next();
    assert.equal(event[0], EVENT);
    assert.deepEqual(event[4], ['small']);
    assert.equal(peer.isClosed, false);
    await app.close();
  });

  it('a reply under the maximum length is sent', async () => {
    const app = appWithRoutes();
    const peer = connectTestPeer(app, { maxMessageLength: 8192 });
    await join(peer);
    peer.send([CALL, 1, {}, 'big', []]);
    const result = await peer.next();
    assert.equal(result[0], RESULT);
    await app.close();
  });
});
