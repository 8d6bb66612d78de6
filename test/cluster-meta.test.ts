/**
 * The session meta API across two applications joined by the in-process
 * backplane (issue 11, step 2): count, list, get and the kills answer for
 * both nodes, honoring authrole and authid filters, and on_join/on_leave
 * reach a watcher on the other node. Real autobahn-js and wampy clients.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { Application, createLocalBackplane, Realm } from '../src/index.js';
import { connectAutobahn, connectWampy, type AutobahnClient } from './helpers/clients.js';
import { within } from './helpers/pubsub.js';
import { serve } from './helpers/server.js';

/** An application whose sessions are the authid they claim, with the authrole its part before the dot. */
function metaApp(backplane: ReturnType<ReturnType<typeof createLocalBackplane>['backplane']>): Application {
  const app = new Application({ backplane });
  const authenticate = (session: { authid: string | undefined }) =>
    session.authid === undefined ? undefined : { authid: session.authid, authrole: session.authid.split('.')[0]! };
  app.addTransportAuthenticator(authenticate);
  app.enableSessionMetaAPI();
  // A realm without the meta API on either node: its sessions are never reported.
  app.addRealm(new Realm('plain').addTransportAuthenticator(authenticate));
  return app;
}

async function pair(t: TestContext): Promise<{ a: Application; b: Application; urlA: string; urlB: string }> {
  const hub = createLocalBackplane();
  const a = metaApp(hub.backplane());
  const b = metaApp(hub.backplane());
  const [{ url: urlA }, { url: urlB }] = await Promise.all([serve(a, t), serve(b, t)]);
  return { a, b, urlA, urlB };
}

async function autobahnAs(t: TestContext, url: string, user: string, realm = 'realm1'): Promise<AutobahnClient> {
  const client = await connectAutobahn(url, { realm, authid: user, authmethods: ['anonymous'] });
  t.after(() => client.close().catch(() => undefined));
  return client;
}

async function wampyAs(t: TestContext, url: string, user: string): Promise<number> {
  const client = await connectWampy(url, { serializer: 'msgpack', authid: user, authmethods: ['anonymous'], onChallenge: () => '' });
  t.after(() => client.disconnect().catch(() => undefined));
  return Number(client.getSessionId());
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  assert.ok(check(), what);
}

const sorted = (ids: unknown): number[] => [...(ids as number[])].map(Number).sort((x, y) => x - y);

describe('the session meta API across two nodes', () => {
  it('count, list (with authrole filters) and get answer for both nodes', async (t) => {
    const { urlA, urlB } = await pair(t);
    const watcher = await autobahnAs(t, urlA, 'admin.root');
    const local = await autobahnAs(t, urlA, 'user.ann');
    const remoteUser = await autobahnAs(t, urlB, 'user.bob');
    const remoteAdmin = await autobahnAs(t, urlB, 'admin.eve');
    await autobahnAs(t, urlB, 'user.plain', 'plain');
    const all = [watcher, local, remoteUser, remoteAdmin].map((c) => Number(c.session.id));

    assert.equal(await watcher.session.call('wamp.session.count'), 4, 'the plain realm is another realm');
    assert.equal(await watcher.session.call('wamp.session.count', [['user']]), 2);
    assert.deepEqual(sorted(await watcher.session.call('wamp.session.list')), sorted(all));
    assert.deepEqual(sorted(await watcher.session.call('wamp.session.list', [['admin']])), sorted([all[0], all[3]]));
    const details = await watcher.session.call('wamp.session.get', [remoteAdmin.session.id]);
    assert.equal(details.session, remoteAdmin.session.id);
    assert.equal(details.authid, 'admin.eve');
    assert.equal(details.authrole, 'admin');
    await assert.rejects(watcher.session.call('wamp.session.get', [123456789]), (error: any) => error.error === 'wamp.error.no_such_session');
  });

  it('kill, kill_by_authid, kill_by_authrole and kill_all reach sessions on the other node', async (t) => {
    const { a, b, urlA, urlB } = await pair(t);
    const watcher = await autobahnAs(t, urlA, 'admin.root');
    const victim = await autobahnAs(t, urlB, 'user.bob');
    const twins = [await wampyAs(t, urlB, 'user.twin'), await wampyAs(t, urlA, 'user.twin')];
    const staff = [await autobahnAs(t, urlB, 'staff.x'), await autobahnAs(t, urlB, 'staff.y')];
    const bystander = await autobahnAs(t, urlA, 'guest.z');

    await watcher.session.call('wamp.session.kill', [victim.session.id], { reason: 'app.kicked', message: 'bye' });
    const { reason } = await within(victim.closed, 10_000, 'the victim to be closed');
    assert.equal(reason, 'closed');
    await assert.rejects(watcher.session.call('wamp.session.kill', [victim.session.id]), (error: any) => error.error === 'wamp.error.no_such_session');

    assert.deepEqual(sorted(await watcher.session.call('wamp.session.kill_by_authid', ['user.twin'])), sorted(twins));
    assert.equal(await watcher.session.call('wamp.session.kill_by_authrole', ['staff']), 2);
    await until(() => staff.every((s) => b.getSession(Number(s.session.id)) === undefined), 'both staff sessions left b');
    assert.equal(await watcher.session.call('wamp.session.kill_all'), 1, 'only the bystander is left besides the caller');
    await until(() => a.getSession(Number(bystander.session.id)) === undefined, 'the bystander left a');
    assert.equal(await watcher.session.call('wamp.session.count'), 1);
  });

  it('on_join and on_leave of a session on one node reach a watcher on the other', async (t) => {
    const { urlA, urlB } = await pair(t);
    const watcher = await autobahnAs(t, urlA, 'admin.root');
    const joins: number[] = [];
    const leaves: number[] = [];
    await watcher.session.subscribe('wamp.session.on_join', (args: any[]) => joins.push(Number(args[0].session)));
    await watcher.session.subscribe('wamp.session.on_leave', (args: any[]) => leaves.push(Number(args[0])));
    const remote = await autobahnAs(t, urlB, 'user.bob');
    const id = Number(remote.session.id);
    await until(() => joins.includes(id), 'on_join from the other node');
    await remote.close();
    await until(() => leaves.includes(id), 'on_leave from the other node');
    assert.deepEqual([joins, leaves], [[id], [id]], 'each once');
  });
});
