import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Application,
  jsonSerializer,
  msgpackSerializer,
  TopicRouteSet,
  WampError,
  type Serializer,
  type Transport,
  type TransportInfo,
} from '../src/index.js';
import { deferred, within } from './helpers/pubsub.js';
import { RawClient } from './helpers/raw-client.js';
import { serve } from './helpers/server.js';

const [SUBSCRIBE, SUBSCRIBED, UNSUBSCRIBE, UNSUBSCRIBED, PUBLISH, PUBLISHED, EVENT, ERROR] = [32, 33, 34, 35, 16, 17, 36, 8];

async function rawSession(app: Application, t: Parameters<typeof serve>[1], protocol = 'wamp.2.json') {
  const { url } = await serve(app, t);
  const client = await RawClient.connect(url, protocol);
  t?.after(() => client.close());
  const welcome = await client.hello();
  assert.equal(welcome[0], 2);
  return { client, welcome, session: app.getSession(welcome[1])! };
}

describe('broker protocol', () => {
  it('runs whenSubscribed callbacks right after SUBSCRIBED, so their events reach the new subscriber', async (t) => {
    const app = new Application();
    const ran: string[] = [];
    app.addTopicRoutes(
      new TopicRouteSet()
        .route('game.score', async function* ({ session, whenSubscribed }) {
          whenSubscribed(() => {
            ran.push('game.score');
            session.sendEvent('game.score', { args: [3, 1] });
          });
          yield;
        })
        .route('game.refused', async function* ({ whenSubscribed }) {
          whenSubscribed(() => ran.push('game.refused'));
          throw new WampError('game.error.closed');
          yield;
        }),
    );
    const { client } = await rawSession(app, t);
    client.send([32, 1, {}, 'game.score']);
    const [subscribed, event] = [await client.next(), await client.next()];
    assert.equal(subscribed[0], 33);
    assert.deepEqual([event[0], event[1], event[4]], [36, subscribed[2], [3, 1]]);
    client.send([32, 2, {}, 'game.refused']);
    assert.equal((await client.next())[4], 'game.error.closed');
    assert.deepEqual(ran, ['game.score']);
  });

  it('announces the broker features it implements', async (t) => {
    const { welcome } = await rawSession(new Application(), t);
    assert.deepEqual(welcome[2].roles.broker.features, {
      pattern_based_subscription: true,
      publisher_exclusion: true,
      subscriber_blackwhite_listing: true,
      publisher_identification: true,
      event_retention: true,
    });
  });

  it('gives small sequential subscription ids and answers a duplicate SUBSCRIBE with the existing one', async (t) => {
    const app = new Application();
    let opened = 0;
    app.addTopicRoutes(
      new TopicRouteSet().prefixRoute('', async function* () {
        opened++;
        yield;
      }),
    );
    const { client } = await rawSession(app, t, 'wamp.2.msgpack');
    client.send([SUBSCRIBE, 1, {}, 'a']);
    assert.deepEqual(await client.next(), [SUBSCRIBED, 1, 1]);
    client.send([SUBSCRIBE, 2, {}, 'b']);
    assert.deepEqual(await client.next(), [SUBSCRIBED, 2, 2]);
    client.send([SUBSCRIBE, 3, {}, 'a']);
    assert.deepEqual(await client.next(), [SUBSCRIBED, 3, 1]);
    // The same URI with another match policy is another subscription.
    client.send([SUBSCRIBE, 4, { match: 'prefix' }, 'a']);
    assert.deepEqual(await client.next(), [SUBSCRIBED, 4, 3]);
    assert.equal(opened, 3);
  });

  it('answers duplicates of a SUBSCRIBE whose handler is still opening with the same id, and sends no EVENT before SUBSCRIBED', async (t) => {
    const app = new Application();
    const gate = deferred();
    let opened = 0;
    app.addTopicRoutes(
      new TopicRouteSet().route('slow', async function* () {
        opened++;
        await gate.promise;
        yield;
      }),
    );
    const { client } = await rawSession(app, t);
    client.send([SUBSCRIBE, 1, {}, 'slow']);
    client.send([SUBSCRIBE, 2, {}, 'slow']);
    // Messages are handled in order: once this CALL is answered, both SUBSCRIBEs are pending.
    client.send([48, 3, {}, 'no.such.procedure']);
    assert.equal((await client.next())[4], 'wamp.error.no_such_procedure');
    app.publish('slow', { args: ['before SUBSCRIBED'] });
    gate.resolve();
    assert.deepEqual(await client.next(), [SUBSCRIBED, 1, 1]);
    assert.deepEqual(await client.next(), [SUBSCRIBED, 2, 1]);
    app.publish('slow', { args: ['after'] });
    const event = await client.next();
    assert.equal(event[0], EVENT);
    assert.deepEqual(event[4], ['after']);
    assert.equal(opened, 1);
  });

  it('runs the close part of a subscription whose session ended while it was opening, and sends nothing', async (t) => {
    const app = new Application();
    const gate = deferred();
    const started = deferred();
    const closed = deferred();
    app.addTopicRoutes(
      new TopicRouteSet().route('slow', async function* () {
        started.resolve();
        await gate.promise;
        yield;
        closed.resolve();
      }),
    );
    const { client, session } = await rawSession(app, t);
    client.send([SUBSCRIBE, 1, {}, 'slow']);
    await within(started.promise);
    client.ws.terminate();
    await within(client.closed);
    while (!session.closed) await new Promise((resolve) => setImmediate(resolve));
    gate.resolve();
    await within(closed.promise);
  });

  it('answers UNSUBSCRIBE once, then treats the id as unknown; no EVENT follows UNSUBSCRIBED', async (t) => {
    const app = new Application();
    app.addTopicRoutes(new TopicRouteSet().route('news', {}).route('marker', {}));
    const { client } = await rawSession(app, t);
    client.send([UNSUBSCRIBE, 1, 99]);
    const unknown = await client.next();
    assert.deepEqual(unknown.slice(0, 5), [ERROR, UNSUBSCRIBE, 1, {}, 'wamp.error.no_such_subscription']);
    client.send([SUBSCRIBE, 2, {}, 'news']);
    const [, , id] = await client.next();
    client.send([SUBSCRIBE, 3, {}, 'marker']);
    await client.next();
    client.send([UNSUBSCRIBE, 4, id]);
    assert.deepEqual(await client.next(), [UNSUBSCRIBED, 4]);
    app.publish('news', { args: ['late'] });
    app.publish('marker');
    assert.equal((await client.next())[1], 2); // the marker's EVENT (subscription 2), not the news
    client.send([UNSUBSCRIBE, 5, id]);
    assert.equal((await client.next())[4], 'wamp.error.no_such_subscription');
  });

  it('refuses invalid topics, unknown match policies and too many subscriptions', async (t) => {
    const app = new Application({ events: { maxSubscriptions: 2 } });
    app.addTopicRoutes(new TopicRouteSet().prefixRoute('', {}));
    const { client } = await rawSession(app, t);
    client.send([SUBSCRIBE, 1, {}, 'not a uri']);
    assert.deepEqual((await client.next()).slice(0, 5), [ERROR, SUBSCRIBE, 1, {}, 'wamp.error.invalid_uri']);
    client.send([SUBSCRIBE, 2, { match: 'regex' }, 'a']);
    assert.deepEqual((await client.next()).slice(0, 5), [ERROR, SUBSCRIBE, 2, {}, 'wamp.error.invalid_argument']);
    client.send([SUBSCRIBE, 3, { match: 'wildcard' }, 'a..c']);
    assert.equal((await client.next())[0], SUBSCRIBED);
    client.send([SUBSCRIBE, 4, { match: 'prefix', __proto__: { polluted: true } }, 'a.']);
    assert.equal((await client.next())[0], SUBSCRIBED);
    client.send([SUBSCRIBE, 5, {}, 'a.b']);
    assert.deepEqual((await client.next()).slice(0, 5), [ERROR, SUBSCRIBE, 5, {}, 'serverwamp.error.too_many_subscriptions']);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });

  it('replies to PUBLISH only when asked to, and refuses bad URIs', async (t) => {
    const app = new Application();
    app.addTopicRoutes(new TopicRouteSet().route('chat', { publish: (request) => void request.forward() }));
    const { client } = await rawSession(app, t);
    client.send([PUBLISH, 1, {}, 'nowhere', ['no reply expected']]);
    client.send([PUBLISH, 2, {}, 'chat', ['no reply expected either']]);
    client.send([PUBLISH, 3, { acknowledge: true }, 'not a uri']);
    assert.deepEqual((await client.next()).slice(0, 5), [ERROR, PUBLISH, 3, {}, 'wamp.error.invalid_uri']);
    client.send([PUBLISH, 4, { acknowledge: true }, 'nowhere']);
    assert.deepEqual((await client.next()).slice(0, 5), [ERROR, PUBLISH, 4, {}, 'wamp.error.not_authorized']);
    client.send([PUBLISH, 5, { acknowledge: true, exclude_me: false }, 'chat', ['hello'], { from: 'me' }]);
    client.send([SUBSCRIBE, 7, {}, 'chat']);
    const published = await client.next();
    assert.equal(published[0], PUBLISHED);
    assert.equal(published[1], 5);
    assert.ok(Number.isSafeInteger(published[2]) && published[2] > 0);
    assert.deepEqual(await client.next(), [SUBSCRIBED, 7, 1]);
  });
});

describe('fan-out encoding', () => {
  /** An in-memory transport through the public `app.accept` seam, recording every frame. */
  function memoryConnection(app: Application, serializer: Serializer) {
    const frames: Array<string | Uint8Array> = [];
    const transport: Transport = { send: (frame) => frames.push(frame), close: () => {}, bufferedAmount: 0 };
    const info: TransportInfo = {
      transport: 'memory',
      peerAddress: '127.0.0.1',
      peerPort: 0,
      httpHeaders: {},
      httpCookies: {},
      httpPath: '/',
      httpQuery: new URLSearchParams(),
      peerCertificate: undefined,
      secure: false,
      protocol: serializer.protocol,
    };
    const connection = app.accept(transport, serializer, info);
    const send = (msg: unknown[]) => connection.receive(serializer.encode(msg));
    return { frames, send, connection };
  }

  it('encodes each EVENT once per serializer in use and sends the same frame to every session speaking it', async () => {
    const app = new Application();
    app.addTopicRoutes(new TopicRouteSet().route('ticks', {}));
    const json = jsonSerializer();
    const msgpack = msgpackSerializer();
    let encodings = 0;
    const counting = (serializer: Serializer): Serializer => ({
      ...serializer,
      encode(message) {
        if (message[0] === EVENT) encodings++;
        return serializer.encode(message);
      },
    });
    const sessions = [counting(json), counting(json), counting(json), counting(msgpack), counting(msgpack)];
    // Sessions of one protocol share one serializer instance, as in the application.
    sessions[1] = sessions[0]!;
    sessions[2] = sessions[0]!;
    sessions[4] = sessions[3]!;
    const peers = sessions.map((serializer) => memoryConnection(app, serializer));
    for (const peer of peers) {
      peer.send([1, 'realm1', { roles: { subscriber: {} } }]);
      peer.send([SUBSCRIBE, 1, {}, 'ticks']);
    }
    await new Promise((resolve) => setImmediate(resolve));
    for (const peer of peers) peer.frames.length = 0;

    app.publish('ticks', { args: ['AAPL', 187.5] });
    assert.equal(encodings, 2);
    assert.ok(peers.every((peer) => peer.frames.length === 1));
    assert.equal(peers[0]!.frames[0], peers[2]!.frames[0]);
    assert.equal(peers[3]!.frames[0], peers[4]!.frames[0]);
    for (const peer of peers) peer.connection.transportClosed();
  });
});
