/**
 * The session as handlers see it (src/model/session.ts): an interface, not
 * the engine's class. Type-level checks run in `npm run typecheck`; the
 * runtime ones drive the engine through the in-memory transport.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Application,
  Realm,
  RPCRouteSet,
  silentLogger,
  TopicRouteSet,
  type PendingSession,
  type RealmRef,
  type Session,
  type TransportInfo,
} from '../src/index.js';
import { connectTestPeer, type TestPeer } from '../src/testing.js';

declare module '../src/index.js' {
  interface SessionData {
    cart?: { items: string[] };
  }
}

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<_T extends true>(): void {}

const HELLO = 1;
const WELCOME = 2;
const SUBSCRIBE = 32;
const SUBSCRIBED = 33;
const EVENT = 36;
const CALL = 48;
const RESULT = 50;

async function join(peer: TestPeer, realm = 'realm1'): Promise<void> {
  peer.send([HELLO, realm, { roles: { caller: {}, subscriber: {} } }]);
  const welcome = await peer.next();
  assert.equal(welcome[0], WELCOME, `expected WELCOME, got ${JSON.stringify(welcome)}`);
}

/** A hand-made session: what a unit test of an application's handler can now pass in. */
function fakeSession(transportInfo: TransportInfo): Session {
  const realm: RealmRef = { name: 'realm1', context: undefined, publish: () => 1, clearRetained: () => false };
  return {
    id: 7,
    realmName: 'realm1',
    realm,
    connection: { transportInfo, serializer: undefined as never, bufferedAmount: 0, closed: false, close: () => {} },
    transportInfo,
    authid: 'ada',
    authrole: 'user',
    authmethod: 'ticket',
    authprovider: 'static',
    authextra: undefined,
    identity: undefined,
    hello: { agent: undefined, roles: {}, details: {} },
    logger: silentLogger,
    data: {},
    closed: false,
    droppedEvents: 0,
    sendEvent: () => false,
    call: () => Promise.reject(new Error('no callee')),
    hasRegistration: () => false,
    clientSupports: () => false,
    close: () => {},
    abort: () => {},
  };
}

describe('Session, the interface handlers see', () => {
  it('is an interface: a plain object can stand for a session, and SessionData augmentation types session.data', () => {
    expectType<Equal<Session['data']['cart'], { items: string[] } | undefined>>();
    expectType<Equal<Session['realm'], RealmRef>>();
    expectType<Equal<PendingSession['realm'], RealmRef>>();
    const info = { transport: 'memory', peerAddress: '10.1.2.3' } as TransportInfo;
    const session = fakeSession(info);
    session.data.cart = { items: ['tea'] };
    assert.deepEqual(session.data.cart.items, ['tea']);
    assert.equal(session.transportInfo.peerAddress, '10.1.2.3');
  });

  it('session.transportInfo is the transport info of the connection carrying the session', async () => {
    const app = new Application();
    const seen: TransportInfo[] = [];
    app.addRPCRoutes(
      new RPCRouteSet().route('whereami', (request) => {
        seen.push(request.session.transportInfo);
        return request.session.transportInfo.peerAddress;
      }),
    );
    const peer = connectTestPeer(app, { transportInfo: { peerAddress: '10.0.0.9' } });
    await join(peer);
    peer.send([CALL, 1, {}, 'whereami']);
    assert.deepEqual(await peer.next(), [RESULT, 1, {}, ['10.0.0.9']]);
    const [session] = [...app.sessions];
    assert.equal(seen[0], session!.connection.transportInfo);
    await app.close();
  });

  it('session.realm publishes to its own realm only, and carries its name and context', async () => {
    const app = new Application();
    const rooms = new Realm('rooms');
    rooms.context = { tag: 'rooms-context' };
    rooms.addTopicRoutes(new TopicRouteSet().route('news', {}));
    rooms.addRPCRoutes(
      new RPCRouteSet().route('announce', (request) => {
        const realm = request.session.realm;
        realm.publish('news', { args: [realm.name, (realm.context as { tag: string }).tag] });
        return 'ok';
      }),
    );
    app.addRealm(rooms);
    app.addTopicRoutes(new TopicRouteSet().route('news', {}));
    const inRooms = connectTestPeer(app);
    const inDefault = connectTestPeer(app);
    await join(inRooms, 'rooms');
    await join(inDefault, 'realm1');
    for (const peer of [inRooms, inDefault]) {
      peer.send([SUBSCRIBE, 1, {}, 'news']);
      assert.equal((await peer.next())[0], SUBSCRIBED);
    }
    inRooms.send([CALL, 2, {}, 'announce']);
    const event = await inRooms.next();
    assert.deepEqual([event[0], event[4]], [EVENT, ['rooms', 'rooms-context']]);
    assert.deepEqual(await inRooms.next(), [RESULT, 2, {}, ['ok']]);
    assert.equal(inDefault.pending.length, 0, 'the default realm heard nothing');
    await app.close();
  });
});
