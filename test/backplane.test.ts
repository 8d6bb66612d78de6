/**
 * The scale-out seam (issue 10): two applications in one process, each on its
 * own port with real clients, joined by the in-process backplane. A
 * publication on one reaches the other's subscribers exactly once, with its
 * audience intact, and never comes back to where it was made.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import {
  Application,
  createLocalBackplane,
  MemoryRetainedStore,
  Realm,
  ServerwampError,
  TopicRouteSet,
  type ApplicationOptions,
  type Backplane,
  type LocalBackplaneHub,
  type RelayedPublication,
  type RetainedStore,
} from '../src/index.js';
import { CLIENTS, connectClient, type UniformClient } from './helpers/clients.js';
import { recordingLogger } from './helpers/auth.js';
import { EventLog, publish, subscribe } from './helpers/pubsub.js';
import { serve } from './helpers/server.js';

const AUTOBAHN = CLIENTS[0]!; // autobahn/json
const AUTOBAHN_MSGPACK = CLIENTS[1]!;
const WAMPY = CLIENTS[2]!; // wampy/json
const WAMPY_MSGPACK = CLIENTS[3]!;
/** How long a test waits for a duplicate or an echo that must not come: generous, and bounded. */
const SETTLE_MS = 250;

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

function topics(): TopicRouteSet {
  const forward = { publish: (request: { forward(): number }) => void request.forward() };
  return new TopicRouteSet().route('news', forward).prefixRoute('news.', forward).wildcardRoute('news..flash', forward);
}

/** An application on the hub: its sessions' authrole is the part of their claimed authid before the dot. */
function clusterApp(hub: LocalBackplaneHub, options: ApplicationOptions = {}): Application {
  const app = new Application({ backplane: hub.backplane(), ...options });
  const authenticate = (session: { authid: string | undefined }) =>
    session.authid === undefined ? undefined : { authid: session.authid, authrole: session.authid.split('.')[0]! };
  app.addTransportAuthenticator(authenticate);
  app.addTopicRoutes(topics());
  const other = new Realm('other');
  other.addTransportAuthenticator(authenticate);
  other.addTopicRoutes(topics());
  app.addRealm(other);
  return app;
}

async function join(url: string, kind: (typeof CLIENTS)[number], authid: string, realm = 'realm1'): Promise<UniformClient> {
  // wampy refuses to send an authid without a challenge callback; none is ever called here.
  const options = { realm, authid, authmethods: ['anonymous'], onChallenge: () => '' };
  return connectClient(url, kind, options);
}

function sessionId(client: UniformClient): number {
  return client.name.startsWith('autobahn') ? client.raw.session.id : client.raw.getSessionId();
}

interface Cluster {
  hub: LocalBackplaneHub;
  a: Application;
  b: Application;
  urlA: string;
  urlB: string;
}

async function cluster(t: TestContext, options: ApplicationOptions = {}): Promise<Cluster> {
  const hub = createLocalBackplane();
  const a = clusterApp(hub, options);
  const b = clusterApp(hub, options);
  const [{ url: urlA }, { url: urlB }] = await Promise.all([serve(a, t), serve(b, t)]);
  return { hub, a, b, urlA, urlB };
}

async function clients(t: TestContext, ...joining: Promise<UniformClient>[]): Promise<UniformClient[]> {
  const joined = await Promise.all(joining);
  t.after(() => Promise.all(joined.map((c) => c.close())));
  return joined;
}

const argsOf = (log: EventLog): unknown[] => log.events.map((e) => e.args[0]);

describe('two applications joined by the in-process backplane', () => {
  it('app.publish on one reaches exact, prefix and wildcard subscribers of both, each exactly once', async (t) => {
    const { a, b, urlA, urlB } = await cluster(t);
    const [onA, onB, wampyB] = await clients(t, join(urlA, AUTOBAHN, 'user.a'), join(urlB, AUTOBAHN_MSGPACK, 'user.b'), join(urlB, WAMPY, 'user.w'));
    const logs = { aExact: new EventLog(), bExact: new EventLog(), bPrefix: new EventLog(), bWildcard: new EventLog(), wExact: new EventLog() };
    await subscribe(onA!, 'news', logs.aExact.push);
    await subscribe(onB!, 'news', logs.bExact.push);
    await subscribe(onB!, 'news.', logs.bPrefix.push, { match: 'prefix' });
    await subscribe(onB!, 'news..flash', logs.bWildcard.push, { match: 'wildcard' });
    await subscribe(wampyB!, 'news', logs.wExact.push);

    const id = a.publish('news', { args: ['from a'] });
    b.publish('news.sport.flash', { args: ['from b'] });
    await Promise.all([logs.aExact.waitFor(1), logs.bExact.waitFor(1), logs.wExact.waitFor(1), logs.bPrefix.waitFor(1), logs.bWildcard.waitFor(1)]);
    await settle();
    assert.deepEqual(argsOf(logs.aExact), ['from a']);
    assert.deepEqual(argsOf(logs.bExact), ['from a']);
    assert.deepEqual(argsOf(logs.wExact), ['from a']);
    assert.deepEqual(argsOf(logs.bPrefix), ['from b']);
    assert.deepEqual(argsOf(logs.bWildcard), ['from b']);
    assert.equal(logs.bExact.events[0]!.details['publication'], id, 'one publication id on every node');
    assert.equal(logs.bWildcard.events[0]!.details['topic'], 'news.sport.flash');
  });

  it('realm.publish and a client PUBLISH reach the same realm on the other node only, once, and never echo', async (t) => {
    const { a, urlA, urlB } = await cluster(t);
    const [publisher, otherA, defaultB, otherB] = await clients(
      t,
      join(urlA, WAMPY, 'user.p', 'other'),
      join(urlA, AUTOBAHN, 'user.oa', 'other'),
      join(urlB, AUTOBAHN, 'user.d'),
      join(urlB, WAMPY_MSGPACK, 'user.ob', 'other'),
    );
    const logs = [new EventLog(), new EventLog(), new EventLog(), new EventLog()];
    await Promise.all([publisher!, otherA!, defaultB!, otherB!].map((c, i) => subscribe(c, 'news', logs[i]!.push)));

    a.getRealm('other')!.publish('news', { args: ['realm.publish'] });
    await publish(publisher!, 'news', ['client publish']);
    await Promise.all([logs[1]!.waitFor(2), logs[3]!.waitFor(2)]);
    await settle();
    assert.deepEqual(argsOf(logs[0]!), ['realm.publish'], 'the publisher is left out (exclude_me), on its node and the other');
    assert.deepEqual(argsOf(logs[1]!), ['realm.publish', 'client publish']);
    assert.deepEqual(argsOf(logs[3]!), ['realm.publish', 'client publish']);
    assert.deepEqual(argsOf(logs[2]!), [], 'the default realm of the other node is another realm');
  });

  it('relays each local publication once and never relays a relayed one', async (t) => {
    const hub = createLocalBackplane();
    const relayed: RelayedPublication[] = [];
    // Wrap one member's backplane to see what its application hands over.
    const spy = (inner: Backplane): Backplane => ({
      start: (node) => inner.start(node),
      publish: (p) => {
        relayed.push(p);
        return inner.publish(p);
      },
      close: () => inner.close(),
    });
    const a = new Application({ backplane: hub.backplane() });
    const b = new Application({ backplane: spy(hub.backplane()) });
    a.addTopicRoutes(topics());
    b.addTopicRoutes(topics());
    const { url } = await serve(b, t);
    t.after(() => a.close());
    const [client] = await clients(t, connectClient(url, AUTOBAHN));
    const log = new EventLog();
    await subscribe(client!, 'news', log.push);

    for (let i = 0; i < 20; i++) a.publish('news', { args: [i] });
    await log.waitFor(20);
    await settle();
    assert.equal(log.events.length, 20);
    assert.equal(relayed.length, 0, 'b relays nothing it received');
    b.publish('news', { args: ['own'] });
    const [own] = relayed as RelayedPublication[];
    assert.equal(relayed.length, 1);
    assert.equal(own!.origin, b.nodeId);
    assert.deepEqual(JSON.parse(JSON.stringify(own)), own, 'a relayed publication is plain data');
  });

  it('keeps audiences across nodes: eligible/exclude by authid and authrole, and eligible by session id', async (t) => {
    const { urlA, urlB } = await cluster(t);
    const [publisher, adminA, adminB, userB, guestB] = await clients(
      t,
      join(urlA, AUTOBAHN, 'user.pub'),
      join(urlA, WAMPY, 'admin.x'),
      join(urlB, AUTOBAHN_MSGPACK, 'admin.y'),
      join(urlB, WAMPY_MSGPACK, 'user.z'),
      join(urlB, AUTOBAHN, 'guest.g'),
    );
    const receivers = [adminA!, adminB!, userB!, guestB!];
    const logs = receivers.map(() => new EventLog());
    await Promise.all(receivers.map((c, i) => subscribe(c, 'news', logs[i]!.push)));
    const pub = (tag: string, options: Record<string, unknown>): Promise<unknown> => publish(publisher!, 'news', [tag], {}, options);

    await pub('admins', { eligible_authrole: ['admin'] });
    await pub('not admins', { exclude_authrole: ['admin'] });
    await pub('only z', { eligible_authid: ['user.z'] });
    await pub('all but y', { exclude_authid: ['admin.y'] });
    await pub('session of guest', { eligible: [sessionId(guestB!)] });
    await pub('not the guest session', { exclude: [sessionId(guestB!)] });
    await pub('disclosed', { eligible_authid: ['user.z'], disclose_me: true });
    await Promise.all([logs[0]!.waitFor(3), logs[1]!.waitFor(2), logs[2]!.waitFor(5), logs[3]!.waitFor(3)]);
    await settle();
    assert.deepEqual(argsOf(logs[0]!), ['admins', 'all but y', 'not the guest session']);
    assert.deepEqual(argsOf(logs[1]!), ['admins', 'not the guest session']);
    assert.deepEqual(argsOf(logs[2]!), ['not admins', 'only z', 'all but y', 'not the guest session', 'disclosed']);
    assert.deepEqual(argsOf(logs[3]!), ['not admins', 'all but y', 'session of guest']);
    assert.equal(Number(logs[2]!.events[4]!.details['publisher']), sessionId(publisher!), 'disclose_me travels with the publication');
  });

  it('exclude_me: false lets a publication reach its publisher once, not once more from the other node', async (t) => {
    const { urlA, urlB } = await cluster(t);
    const [publisher, other] = await clients(t, join(urlA, AUTOBAHN, 'user.p'), join(urlB, AUTOBAHN, 'user.o'));
    const logs = [new EventLog(), new EventLog()];
    await subscribe(publisher!, 'news', logs[0]!.push);
    await subscribe(other!, 'news', logs[1]!.push);
    await publish(publisher!, 'news', ['me too'], {}, { exclude_me: false });
    await Promise.all([logs[0]!.waitFor(1), logs[1]!.waitFor(1)]);
    await settle();
    assert.deepEqual(logs.map(argsOf), [['me too'], ['me too']]);
  });

  it('refuses a filter function with a backplane (ERR_INVALID_OPTION), before delivering anything', async (t) => {
    const { a, urlA } = await cluster(t);
    const [client] = await clients(t, join(urlA, AUTOBAHN, 'user.a'));
    const log = new EventLog();
    await subscribe(client!, 'news', log.push);
    const invalid = (error: unknown) => error instanceof ServerwampError && error.code === 'ERR_INVALID_OPTION' && /filter/.test(error.message);
    assert.throws(() => a.publish('news', { args: [1], filter: () => true }), invalid);
    assert.throws(() => a.getRealm('other')!.publish('news', { args: [2], filter: () => true }), invalid);
    a.publish('news', { args: [3] });
    await log.waitFor(1);
    await settle();
    assert.deepEqual(argsOf(log), [3]);
  });

  it('retains a publication once in a shared store, and a later subscriber on either node gets it once', async (t) => {
    const store = new MemoryRetainedStore({ scope: 'cluster' });
    const retained: string[] = [];
    const counting: RetainedStore = {
      scope: 'cluster',
      retain: (realm, publication, key) => {
        retained.push(`${realm} ${publication.publicationId}`);
        store.retain(realm, publication, key);
      },
      // Answers later, as a store over the network would.
      matching: async (realm, topic, match) => store.matching(realm, topic, match),
      clear: (realm, topic) => store.clear(realm, topic),
    };
    const { a, urlA, urlB } = await cluster(t, { retainedStore: counting });
    const [publisher] = await clients(t, join(urlA, AUTOBAHN, 'user.p'));
    a.publish('news', { args: ['server'], retain: true });
    await publish(publisher!, 'news', ['client'], {}, { retain: true, exclude_me: false });
    await settle();
    // app.publish retains in each of the node's two realms; the client's publication in its realm only.
    assert.equal(retained.length, 3, 'each publication stored once per realm, by the node that made it');
    assert.equal(new Set(retained).size, 3);
    for (const url of [urlA, urlB]) {
      const [late] = await clients(t, join(url, AUTOBAHN, 'user.late'));
      const log = new EventLog();
      await subscribe(late!, 'news', log.push, { get_retained: true });
      await log.waitFor(1);
      await settle();
      assert.deepEqual(argsOf(log), ['client']);
      assert.equal(log.events[0]!.details['retained'], true);
    }
  });

  it('with a store per node, a relayed retained publication is retained on the other node too, with its audience', async (t) => {
    const { a, urlB } = await cluster(t);
    a.publish('news', { args: ['for all'], retain: true });
    a.publish('news', { args: ['admins only'], retain: true, eligible: [] });
    await settle();
    const [late] = await clients(t, join(urlB, WAMPY, 'user.late'));
    const log = new EventLog();
    await subscribe(late!, 'news', log.push, { get_retained: true });
    await log.waitFor(1);
    await settle();
    assert.deepEqual(argsOf(log), ['for all']);
  });

  it('logs a failing backplane and still delivers locally', async (t) => {
    const logger = recordingLogger();
    const failing: Backplane = {
      start: () => undefined,
      publish: () => Promise.reject(new Error('redis is down')),
      close: () => undefined,
    };
    const app = new Application({ backplane: failing, logger });
    app.addTopicRoutes(topics());
    const { url } = await serve(app, t);
    const [client] = await clients(t, connectClient(url, WAMPY));
    const log = new EventLog();
    await subscribe(client!, 'news', log.push);
    app.publish('news', { args: ['still here'] });
    await log.waitFor(1);
    await settle();
    assert.ok(logger.records.some((r) => r.includes('redis is down') && r.includes('backplane publish failed')));
  });

  it('checks the scale-out options when the application is created', () => {
    const invalid = (key: string) => (error: unknown) =>
      error instanceof ServerwampError && error.code === 'ERR_INVALID_OPTION' && error.message.startsWith(key);
    assert.throws(() => new Application({ backplane: {} as Backplane }), invalid('backplane must be a Backplane'));
    assert.throws(() => new Application({ retainedStore: { scope: 'everywhere' } as never }), invalid('retainedStore must be'));
    assert.throws(() => new Application({ sessionDirectory: [] as never }), invalid('sessionDirectory must be'));
  });
});
