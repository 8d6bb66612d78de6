/**
 * The session engine built alone: a `Connection` with a hand-made host and
 * one `Realm`, over the in-memory transport, with no `Application`, no
 * socket and a mock clock. What the host is told is what an application
 * would be told.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { engineOptions } from '../src/application-options.js';
import { Connection, type ConnectionHost } from '../src/engine/connection.js';
import { Realm, RPCRouteSet, silentLogger, type Session } from '../src/index.js';
import { connectTestPeer } from '../src/testing.js';
import type { TransportHost } from '../src/transport.js';

const HELLO = 1;
const WELCOME = 2;
const ABORT = 3;
const GOODBYE = 6;
const CALL = 48;
const RESULT = 50;

interface Recorded {
  readonly host: ConnectionHost;
  readonly log: string[];
}

function standaloneHost(realm: Realm, helloTimeout = 0): Recorded {
  const log: string[] = [];
  let nextId = 100;
  const host: ConnectionHost = {
    logger: silentLogger,
    engineOptions: engineOptions({ helloTimeout }, 'engine-alone', () => log.push('dropped')),
    resolveRealm: (name) => (name === realm.name ? realm : undefined),
    newSessionId: () => nextId++,
    sessionOpened: (session: Session) => log.push(`opened ${session.id} ${session.realmName}`),
    sessionClosed: (session: Session) => log.push(`closed ${session.id}`),
    connectionClosed: () => log.push('connection closed'),
  };
  return { host, log };
}

/** What an adapter (here the test peer) hands transports to: the engine itself, not an Application. */
function acceptor(host: ConnectionHost): TransportHost {
  return { accept: (transport, serializer, transportInfo) => new Connection(host, transport, serializer, transportInfo) };
}

describe('the engine without an Application', () => {
  it('runs HELLO → WELCOME, a CALL, and GOODBYE, telling its host what an application would hear', async () => {
    const realm = new Realm('solo');
    realm.addRPCRoutes(new RPCRouteSet().route('echo', (request) => request.args[0]));
    const { host, log } = standaloneHost(realm);
    const peer = connectTestPeer(acceptor(host));
    peer.send([HELLO, 'solo', { roles: { caller: {} } }]);
    const welcome = await peer.next();
    assert.deepEqual([welcome[0], welcome[1]], [WELCOME, 100]);
    peer.send([CALL, 1, {}, 'echo', ['hi']]);
    assert.deepEqual(await peer.next(), [RESULT, 1, {}, ['hi']]);
    peer.send([GOODBYE, {}, 'wamp.close.close_realm']);
    assert.deepEqual(await peer.next(), [GOODBYE, {}, 'wamp.close.goodbye_and_out']);
    assert.deepEqual(log, ['opened 100 solo', 'closed 100']);
    peer.disconnect();
    assert.deepEqual(log, ['opened 100 solo', 'closed 100', 'connection closed']);
  });

  it('refuses a realm its host does not know with ABORT no_such_realm', async () => {
    const { host, log } = standaloneHost(new Realm('solo'));
    const peer = connectTestPeer(acceptor(host));
    peer.send([HELLO, 'elsewhere', { roles: { caller: {} } }]);
    const abort = await peer.next();
    assert.deepEqual([abort[0], abort[2]], [ABORT, 'wamp.error.no_such_realm']);
    await peer.closed;
    assert.deepEqual(log, ['connection closed']);
  });

  it('closes a connection that never says HELLO once helloTimeout passes on the mock clock', async (t: TestContext) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const { host, log } = standaloneHost(new Realm('solo'), 2_000);
    const peer = connectTestPeer(acceptor(host));
    t.mock.timers.tick(1_999);
    assert.equal(peer.isClosed, false);
    t.mock.timers.tick(1);
    assert.deepEqual(await peer.closed, { code: 1000, reason: 'no HELLO' });
    assert.deepEqual(log, ['connection closed']);
  });
});
