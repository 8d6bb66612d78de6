/**
 * The WAMP session meta API, as real clients use it: counting, listing and
 * inspecting sessions, join and leave events, and killing sessions, limited by
 * the realm's authorizer.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Application, Realm } from '../src/index.js';
import { connectAutobahn, connectWampy } from './helpers/clients.js';
import { RawClient } from './helpers/raw-client.js';
import { serve } from './helpers/server.js';

function createApp(): Application {
  const app = new Application();
  app.enableSessionMetaAPI();
  const admins = new Realm('admins').enableSessionMetaAPI();
  // Only the realm's own session named "boss" may kill.
  admins.addTransportAuthenticator(({ transportInfo }) => ({ authid: String(transportInfo.httpHeaders['x-user'] ?? 'nobody'), authrole: 'staff' }));
  admins.setAuthorizer(({ session, uri }) => !uri.startsWith('wamp.session.kill') || session.authid === 'boss');
  app.addRealm(admins);
  app.addRealm(new Realm('plain'));
  return app;
}

describe('session meta API', () => {
  it('announces session_meta_api only in realms that serve it', async (t) => {
    const { url } = await serve(createApp(), t);
    const withMeta = await RawClient.connect(url);
    const [, , details] = await withMeta.hello('realm1');
    assert.equal(details.roles.dealer.features.session_meta_api, true);
    assert.equal(details.roles.broker.features.session_meta_api, true);
    const without = await RawClient.connect(url);
    const [, , plain] = await without.hello('plain');
    assert.equal(plain.roles.dealer.features.session_meta_api, undefined);
    without.send([48, 1, {}, 'wamp.session.count']);
    assert.equal((await without.next())[4], 'wamp.error.no_such_procedure');
    withMeta.close();
    without.close();
  });

  it('counts, lists and describes sessions, and sends join and leave events (autobahn-js, wampy)', async (t) => {
    const { url } = await serve(createApp(), t);
    const watcher = await connectAutobahn(url);
    const joins: any[] = [];
    const leaves: any[] = [];
    let notify: () => void = () => {};
    const changed = (): Promise<void> => new Promise((resolve) => (notify = resolve));
    await watcher.session.subscribe('wamp.session.on_join', (args: any[]) => {
      joins.push(args[0]);
      notify();
    });
    await watcher.session.subscribe('wamp.session.on_leave', (args: any[]) => {
      leaves.push(args);
      notify();
    });
    assert.equal(await watcher.session.call('wamp.session.count'), 1);

    const joined = changed();
    const other = await connectWampy(url, { serializer: 'msgpack' });
    await joined;
    // wampy's msgpack decoder (msgpackr) hands 64-bit integers to applications as BigInt.
    const otherId = Number(other.getSessionId());
    assert.equal(joins[0].session, otherId);
    assert.equal(joins[0].authrole, 'anonymous');
    assert.equal(joins[0].transport.protocol, 'wamp.2.msgpack');

    assert.equal(await watcher.session.call('wamp.session.count'), 2);
    assert.equal(await watcher.session.call('wamp.session.count', [['admin']]), 0);
    assert.deepEqual([...(await watcher.session.call('wamp.session.list'))].sort(), [watcher.session.id, otherId].sort());
    const got = await watcher.session.call('wamp.session.get', [otherId]);
    assert.equal(got.authid, joins[0].authid);
    await assert.rejects(watcher.session.call('wamp.session.get', [12345]), (e: any) => e.error === 'wamp.error.no_such_session');
    const fromWampy = await other.call('wamp.session.count');
    assert.deepEqual(fromWampy.argsList, [2]);

    const left = changed();
    await other.disconnect();
    await left;
    assert.deepEqual(leaves, [[otherId, joins[0].authid, 'anonymous']]);
    await watcher.close();
  });

  it('kills sessions with GOODBYE wamp.close.killed, only for those the authorizer allows', async (t) => {
    const { url } = await serve(createApp(), t);
    // Raw clients, because the transport authenticator reads a header autobahn-js cannot send in Node.
    const staff = await RawClient.connect(url, 'wamp.2.json', { 'x-user': 'carol' });
    const [, staffId] = await staff.hello('admins');
    const chief = await RawClient.connect(url, 'wamp.2.json', { 'x-user': 'boss' });
    const [, chiefId] = await chief.hello('admins');
    staff.send([48, 1, {}, 'wamp.session.kill', [chiefId]]);
    assert.deepEqual((await staff.next()).slice(0, 5), [8, 48, 1, {}, 'wamp.error.not_authorized']);
    chief.send([48, 1, {}, 'wamp.session.kill', [chiefId]]);
    assert.equal((await chief.next())[4], 'wamp.error.no_such_session', 'a session cannot kill itself');
    chief.send([48, 2, {}, 'wamp.session.kill', [staffId], { reason: 'not a uri' }]);
    assert.equal((await chief.next())[4], 'wamp.error.invalid_uri');
    chief.send([48, 3, {}, 'wamp.session.kill', [staffId], { message: 'bye, carol' }]);
    assert.deepEqual(await staff.next(), [6, { message: 'bye, carol' }, 'wamp.close.killed']);
    assert.deepEqual(await chief.next(), [50, 3, {}]);
    staff.close();
    chief.close();
  });

  it('kills by authid, by authrole and all, answering ids and counts', async (t) => {
    const { url } = await serve(createApp(), t);
    const chief = await RawClient.connect(url, 'wamp.2.json', { 'x-user': 'boss' });
    await chief.hello('admins');
    const staff = await Promise.all(['ann', 'ann', 'bob'].map((user) => RawClient.connect(url, 'wamp.2.json', { 'x-user': user })));
    const ids = await Promise.all(staff.map(async (client) => (await client.hello('admins'))[1] as number));
    chief.send([48, 1, {}, 'wamp.session.kill_by_authid', ['ann']]);
    const [, , , [killed]] = await chief.next();
    assert.deepEqual([...killed].sort(), [ids[0], ids[1]].sort());
    chief.send([48, 2, {}, 'wamp.session.kill_by_authrole', ['staff']]);
    assert.deepEqual(await chief.next(), [50, 2, {}, [1]]);
    chief.send([48, 3, {}, 'wamp.session.kill_all']);
    assert.deepEqual(await chief.next(), [50, 3, {}, [0]]);
    for (const client of staff) assert.equal((await client.next())[2], 'wamp.close.killed');
    chief.close();
  });
});
