/**
 * The Redis backplane (issue 11) on a real redis-server: applications in
 * separate processes, one on node-redis and one on ioredis, with real
 * autobahn-js and wampy clients on each. Publications cross exactly once
 * with their audience and bytes intact, only to nodes that subscribe,
 * retained events are shared and outlive their publisher, and a Redis
 * restart loses (and counts) only what was published while it was down.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import { CLIENTS, connectClient, type UniformClient } from './helpers/clients.js';
import { EventLog, publish, subscribe } from './helpers/pubsub.js';
import { RawClient } from './helpers/raw-client.js';
import { createClient, type RedisClientType } from 'redis';
import { redisAvailable, type RedisServer } from './helpers/redis-server.js';
import { startNode, startTwoNodes, until, type ClusterNode, type TwoNodes } from './helpers/redis-cluster.js';

const AUTOBAHN = CLIENTS[0]!; // autobahn/json
const AUTOBAHN_MSGPACK = CLIENTS[1]!;
const WAMPY = CLIENTS[2]!; // wampy/json
const WAMPY_MSGPACK = CLIENTS[3]!;
/** How long a test waits for a duplicate or an echo that must not come: generous, and bounded. */
const SETTLE_MS = 300;
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
const argsOf = (log: EventLog): unknown[] => log.events.map((e) => e.args[0]);

async function join(url: string, kind: (typeof CLIENTS)[number], authid: string, realm = 'realm1'): Promise<UniformClient> {
  // wampy refuses to send an authid without a challenge callback; none is ever called here.
  return connectClient(url, kind, { realm, authid, authmethods: ['anonymous'], onChallenge: () => '' } as { realm: string });
}

async function clients(t: TestContext, ...joining: Promise<UniformClient>[]): Promise<UniformClient[]> {
  const joined = await Promise.all(joining);
  t.after(() => Promise.all(joined.map((c) => c.close())));
  return joined;
}

function sessionId(client: UniformClient): number {
  return client.name.startsWith('autobahn') ? client.raw.session.id : client.raw.getSessionId();
}

/** A plain node-redis client of the test's own, to look into Redis or write to it as a stranger would. */
async function redisClient(t: TestContext, url: string): Promise<RedisClientType> {
  const client = (await createClient({ url }).connect()) as RedisClientType;
  t.after(() => client.destroy());
  return client;
}

/** Waits until `from` would send `topic` to each of `to` (their interest reached it). */
async function propagated(from: ClusterNode, topic: string, to: readonly ClusterNode[], realm?: string): Promise<void> {
  await until(async () => {
    const { nodesFor } = await from.state(topic, realm);
    return to.every((node) => nodesFor.includes(node.nodeId));
  }, `interest in ${topic} reaching the publishing node`);
}

describe('the Redis backplane between processes', () => {
  let redis: RedisServer;
  let a: ClusterNode; // node-redis
  let b: ClusterNode; // ioredis
  let ready = false;
  let cluster: TwoNodes | undefined;
  after(async () => {
    await cluster?.stop();
  });

  before(async (t) => {
    if (!redisAvailable(t as unknown as TestContext)) return;
    cluster = await startTwoNodes();
    ({ redis, a, b } = cluster);
    ready = true;
  });

  it('app.publish, realm.publish and a client PUBLISH reach exact, prefix and wildcard subscribers of both nodes, each once', async (t) => {
    if (!ready) return t.skip('no redis-server');
    const [onA, onB, wampyB, otherB, publisherA] = await clients(
      t,
      join(a.url, AUTOBAHN, 'user.a'),
      join(b.url, AUTOBAHN_MSGPACK, 'user.b'),
      join(b.url, WAMPY, 'user.w'),
      join(b.url, WAMPY_MSGPACK, 'user.o', 'other'),
      join(a.url, WAMPY, 'user.p'),
    );
    const logs = { aExact: new EventLog(), bExact: new EventLog(), bPrefix: new EventLog(), bWildcard: new EventLog(), wExact: new EventLog(), other: new EventLog() };
    await subscribe(onA!, 'news', logs.aExact.push);
    await subscribe(onB!, 'news', logs.bExact.push);
    await subscribe(onB!, 'news.', logs.bPrefix.push, { match: 'prefix' });
    await subscribe(onB!, 'news..flash', logs.bWildcard.push, { match: 'wildcard' });
    await subscribe(wampyB!, 'news', logs.wExact.push);
    await subscribe(otherB!, 'news', logs.other.push);
    await propagated(a, 'news', [b], '');
    await propagated(a, 'news', [b], 'other');
    await propagated(a, 'news.x.flash', [b], '');

    const id = await a.publish('news', { args: ['app.publish'] });
    await a.publish('news', { args: ['realm.publish'] }, 'other');
    await publish(publisherA!, 'news', ['client publish']);
    await a.publish('news.sport.flash', { args: ['flash'] });
    await Promise.all([logs.bExact.waitFor(2), logs.wExact.waitFor(2), logs.bPrefix.waitFor(1), logs.bWildcard.waitFor(1), logs.other.waitFor(2)]);
    await settle();
    assert.deepEqual(argsOf(logs.aExact), ['app.publish', 'client publish']);
    assert.deepEqual(argsOf(logs.bExact), ['app.publish', 'client publish']);
    assert.deepEqual(argsOf(logs.wExact), ['app.publish', 'client publish']);
    assert.deepEqual(argsOf(logs.other), ['app.publish', 'realm.publish'], 'realm.publish reaches its realm only, on the other node too');
    assert.deepEqual(argsOf(logs.bPrefix), ['flash']);
    assert.deepEqual(argsOf(logs.bWildcard), ['flash']);
    assert.equal(logs.bExact.events[0]!.details['publication'], id, 'one publication id on every node');
    assert.equal(logs.bWildcard.events[0]!.details['topic'], 'news.sport.flash');
  });

  it('keeps audiences across nodes: eligible/exclude by session, authid and authrole, exclude_me and disclose_me', async (t) => {
    if (!ready) return t.skip('no redis-server');
    const [publisher, adminA, adminB, userB, guestB] = await clients(
      t,
      join(a.url, AUTOBAHN, 'user.pub'),
      join(a.url, WAMPY, 'admin.x'),
      join(b.url, AUTOBAHN_MSGPACK, 'admin.y'),
      join(b.url, WAMPY_MSGPACK, 'user.z'),
      join(b.url, AUTOBAHN, 'guest.g'),
    );
    const receivers = [publisher!, adminA!, adminB!, userB!, guestB!];
    const logs = receivers.map(() => new EventLog());
    await Promise.all(receivers.map((c, i) => subscribe(c, 'news', logs[i]!.push)));
    await propagated(a, 'news', [b]);
    const pub = (tag: string, options: Record<string, unknown>): Promise<unknown> => publish(publisher!, 'news', [tag], {}, options);

    await pub('admins', { eligible_authrole: ['admin'] });
    await pub('not admins', { exclude_authrole: ['admin'] });
    await pub('only z', { eligible_authid: ['user.z'] });
    await pub('all but y', { exclude_authid: ['admin.y'] });
    await pub('session of guest', { eligible: [sessionId(guestB!)] });
    await pub('not the guest session', { exclude: [sessionId(guestB!)] });
    await pub('disclosed', { eligible_authid: ['user.z'], disclose_me: true });
    await pub('me too', { exclude_me: false, eligible_authrole: ['user'] });
    await Promise.all([logs[0]!.waitFor(1), logs[1]!.waitFor(3), logs[2]!.waitFor(2), logs[3]!.waitFor(6), logs[4]!.waitFor(3)]);
    await settle();
    assert.deepEqual(argsOf(logs[0]!), ['me too'], 'the publisher only with exclude_me: false, once');
    assert.deepEqual(argsOf(logs[1]!), ['admins', 'all but y', 'not the guest session']);
    assert.deepEqual(argsOf(logs[2]!), ['admins', 'not the guest session']);
    assert.deepEqual(argsOf(logs[3]!), ['not admins', 'only z', 'all but y', 'not the guest session', 'disclosed', 'me too']);
    assert.deepEqual(argsOf(logs[4]!), ['not admins', 'all but y', 'session of guest']);
    assert.equal(Number(logs[3]!.events[4]!.details['publisher']), sessionId(publisher!), 'disclose_me travels with the publication');
    assert.equal(logs[3]!.events[3]!.details['publisher'], undefined);
  });

  it('carries binary payloads and 64-bit integers unchanged to msgpack and JSON subscribers of the other node', async (t) => {
    if (!ready) return t.skip('no redis-server');
    // A raw msgpack peer reads EVENT frames with an independent decoder: bytes and int64 as they are on the wire.
    const raw = await RawClient.connect(b.url, 'wamp.2.msgpack');
    t.after(() => raw.close());
    await raw.hello('realm1', { roles: { subscriber: {} }, authid: 'user.raw', authmethods: ['anonymous'] });
    raw.send([32, 1, {}, 'news']);
    const [, , subscriptionId] = await raw.next();
    const [jsonB, publisherA] = await clients(t, join(b.url, AUTOBAHN, 'user.j'), join(a.url, AUTOBAHN_MSGPACK, 'user.p'));
    const json = new EventLog();
    await subscribe(jsonB!, 'news', json.push);
    await propagated(a, 'news', [b]);

    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    await a.publish('news', { args: [bytes] });
    // A client's own msgpack bytes, published on node a: the same bytes on node b.
    await publish(publisherA!, 'news', [Uint8Array.from([0, 255, 1, 254])]);
    // JSON has no 64-bit integers: only the msgpack subscriber can get this one.
    await a.publish('news', { args: ['big'], kwargs: { big: 2n ** 60n + 1n } });
    const events = [await raw.next(5000), await raw.next(5000), await raw.next(5000)];
    await json.waitFor(2);
    await settle();
    assert.ok(events.every((event) => event[0] === 36 && event[1] === subscriptionId));
    assert.deepEqual([...(events[0]![4][0] as Uint8Array)], [...bytes]);
    assert.deepEqual([...(events[1]![4][0] as Uint8Array)], [0, 255, 1, 254]);
    assert.equal(events[2]![5].big, 2n ** 60n + 1n, 'a 64-bit integer, not a rounded double');
    assert.ok(await raw.silent(100), 'nothing more');
    // The JSON subscriber gets the WAMP binary convention (autobahn leaves the decoding to the application).
    assert.deepEqual(argsOf(json), ['\0' + Buffer.from(bytes).toString('base64'), '\0' + Buffer.from([0, 255, 1, 254]).toString('base64')]);
  });

  it('keeps per-topic order from one publishing node and never duplicates', async (t) => {
    if (!ready) return t.skip('no redis-server');
    const [onB] = await clients(t, join(b.url, WAMPY, 'user.o'));
    const log = new EventLog();
    await subscribe(onB!, 'news', log.push);
    await propagated(a, 'news', [b]);
    const ids = await Promise.all(Array.from({ length: 200 }, (_, i) => a.publish('news', { args: [i] })));
    await log.waitFor(200);
    await settle();
    assert.deepEqual(argsOf(log), ids.map((_, i) => i));
  });

  it('keeps order and once-only on both nodes when the publishing node writes to Redis before its own fan-out (ioredis)', async (t) => {
    if (!ready) return t.skip('no redis-server');
    // B's client (ioredis) sends a publication the moment B hands it over, which B does before delivering it locally.
    const [onA, onB, publisherB] = await clients(t, join(a.url, WAMPY, 'user.a'), join(b.url, AUTOBAHN, 'user.b'), join(b.url, WAMPY, 'user.p'));
    const logs = [new EventLog(), new EventLog()];
    await subscribe(onA!, 'news', logs[0]!.push);
    await subscribe(onB!, 'news', logs[1]!.push);
    await propagated(b, 'news', [a]);
    const burst = Array.from({ length: 150 }, (_, i) => b.publish('news', { args: [i] }));
    const fromClient = Array.from({ length: 50 }, (_, i) => publish(publisherB!, 'news', [150 + i]));
    await Promise.all([...burst, ...fromClient]);
    await Promise.all(logs.map((log) => log.waitFor(200)));
    await settle();
    const expected = Array.from({ length: 200 }, (_, i) => i);
    for (const [i, log] of logs.entries()) {
      const seen = argsOf(log) as number[];
      assert.equal(seen.length, 200, `node ${i === 0 ? 'A' : 'B'}: each once`);
      assert.deepEqual([...seen].sort((x, y) => x - y), expected);
      // Server-side and client publications travel apart (IPC, WebSocket), so order is checked within each.
      assert.deepEqual(seen.filter((n) => n < 150), expected.slice(0, 150), 'app.publish order kept');
      assert.deepEqual(seen.filter((n) => n >= 150), expected.slice(150), 'client PUBLISH order kept');
    }
  });

  it('sends a publication only to nodes subscribed to it, with no pattern subscription in Redis', async (t) => {
    if (!ready) return t.skip('no redis-server');
    const probe = await redisClient(t, redis.url);
    assert.equal(await probe.sendCommand(['PUBSUB', 'NUMPAT']), 0, 'no PSUBSCRIBE anywhere');
    const channels = ((await probe.sendCommand(['PUBSUB', 'CHANNELS'])) as string[]).sort();
    assert.deepEqual(channels, ['serverwamp:control', `serverwamp:inbox:{${a.nodeId}}`, `serverwamp:inbox:{${b.nodeId}}`].sort());

    const before = (await a.state()).stats.published;
    for (let i = 0; i < 20; i++) await a.publish('news.nobody.listens', { args: [i] });
    await a.publish('news', { args: ['nobody on b either'] }, 'other');
    assert.deepEqual((await a.state('news.nobody.listens')).nodesFor, []);
    assert.equal((await a.state()).stats.published, before, 'nothing sent to a node without a matching subscription');

    const [onB] = await clients(t, join(b.url, AUTOBAHN, 'user.b', 'other'));
    const log = new EventLog();
    await subscribe(onB!, 'news.', log.push, { match: 'prefix' });
    await propagated(a, 'news.now.listens', [b], 'other');
    assert.deepEqual((await a.state('news.now.listens', 'realm1')).nodesFor, [], 'interest is per realm');
    await a.publish('news.now.listens', { args: ['sent'] });
    await log.waitFor(1);
    await until(async () => (await a.state()).stats.published === before + 1, 'the send counted');
  });

  it('ignores and counts malformed messages on a node inbox, and goes on delivering', async (t) => {
    if (!ready) return t.skip('no redis-server');
    const [onB] = await clients(t, join(b.url, AUTOBAHN, 'user.b'));
    const log = new EventLog();
    await subscribe(onB!, 'news', log.push);
    await propagated(a, 'news', [b]);
    const probe = await redisClient(t, redis.url);
    const inbox = `serverwamp:inbox:{${b.nodeId}}`;
    const before = (await b.state()).stats.decodeErrors;
    const hostile = ['', 'P', 'Pnot base64!', 'P' + Buffer.from([0xc1, 0xff]).toString('base64'), 'P' + Buffer.from('\x93\x01\x02\x03').toString('base64'), 'Zwhat', 'N', 'x'.repeat(100_000)];
    for (const message of hostile) await probe.sendCommand(['PUBLISH', inbox, message]);
    await probe.sendCommand(['PUBLISH', 'serverwamp:control', '{"t":"interest","n":{"__proto__":1}}']);
    await probe.sendCommand(['PUBLISH', 'serverwamp:control', 'not json']);
    await until(async () => (await b.state()).stats.decodeErrors === before + hostile.length + 2, 'malformed messages counted');
    await a.publish('news', { args: ['still delivered'] });
    await log.waitFor(1);
    assert.deepEqual(argsOf(log), ['still delivered']);
    assert.equal((await b.state()).health, 'ok');
  });

  it('sends no EVENT after UNSUBSCRIBED, and stops sending to a node whose last subscriber left', async (t) => {
    if (!ready) return t.skip('no redis-server');
    const [onB] = await clients(t, join(b.url, AUTOBAHN_MSGPACK, 'user.b'));
    const log = new EventLog();
    const subscription = await subscribe(onB!, 'news..flash', log.push, { match: 'wildcard' });
    await propagated(a, 'news.x.flash', [b]);
    await a.publish('news.x.flash', { args: ['before'] });
    await log.waitFor(1);
    await subscription.unsubscribe();
    for (let i = 0; i < 20; i++) await a.publish('news.x.flash', { args: ['after'] });
    await settle();
    assert.deepEqual(argsOf(log), ['before']);
    await until(async () => (await a.state('news.x.flash')).nodesFor.length === 0, 'the interest withdrawn');
  });

  it('shares retained events: a late subscriber on any node gets the latest, also after the publishing node died', async (t) => {
    if (!ready) return t.skip('no redis-server');
    const c = await startNode(t, redis.url, { client: 'ioredis' });
    const [publisher] = await clients(t, join(c.url, AUTOBAHN_MSGPACK, 'user.p'));
    await c.publish('news.retained', { args: ['older'], retain: true });
    await publish(publisher!, 'news.retained', ['latest', Uint8Array.from([1, 2, 3])], {}, { retain: true });
    await c.publish('news.retained', { args: ['admins only'], retain: true, eligible: [] });
    // Each is stored when its script has run in Redis: wait for that, then kill the node without a word.
    const probe = await redisClient(t, redis.url);
    // realm1 is served by the default realm, whose URI is ''.
    await until(async () => String(await probe.sendCommand(['HGET', 'serverwamp:retained:{r:}:events', 'news.retained'])).includes('eligible'), 'the events stored');
    await c.kill();
    for (const [node, kind] of [[a, AUTOBAHN_MSGPACK], [b, AUTOBAHN_MSGPACK]] as const) {
      const [late] = await clients(t, join(node.url, kind, 'user.late'));
      const logs = [new EventLog(), new EventLog()];
      await subscribe(late!, 'news.retained', logs[0]!.push, { get_retained: true });
      await subscribe(late!, 'news.', logs[1]!.push, { get_retained: true, match: 'prefix' });
      await Promise.all(logs.map((log) => log.waitFor(1)));
      await settle();
      for (const log of logs) {
        assert.deepEqual(log.events.map((e) => e.args.map((arg) => (arg instanceof Uint8Array ? [...arg] : arg))), [['latest', [1, 2, 3]]]);
        assert.equal(log.events[0]!.details['retained'], true);
      }
    }
    // The SIGKILLed node leaves the listing once its registration expires (nodeTimeout 600 ms here).
    await until(async () => !(await a.state()).nodes.includes(c.nodeId) && !(await b.state()).nodes.includes(c.nodeId), 'the dead node leaving');
  });

  // Last: it restarts Redis under the nodes.
  it('survives a Redis restart: local delivery goes on, remote publications are dropped and counted, then resume', async (t) => {
    if (!ready) return t.skip('no redis-server');
    const [onA, onB] = await clients(t, join(a.url, AUTOBAHN, 'user.a'), join(b.url, WAMPY_MSGPACK, 'user.b'));
    const logs = [new EventLog(), new EventLog()];
    await subscribe(onA!, 'news', logs[0]!.push);
    await subscribe(onB!, 'news', logs[1]!.push);
    await propagated(a, 'news', [b]);
    await propagated(b, 'news', [a]);
    const before = [(await a.state()).stats, (await b.state()).stats];

    await redis.stop();
    await until(async () => (await a.state()).health === 'degraded' && (await b.state()).health === 'degraded', 'both nodes degraded');
    for (let i = 0; i < 5; i++) await a.publish('news', { args: [`down ${i}`] });
    await b.publish('news', { args: ['down on b'] });
    await Promise.all([logs[0]!.waitFor(5), logs[1]!.waitFor(1)]);
    const during = [(await a.state()).stats, (await b.state()).stats];
    assert.equal(during[0]!.dropped - before[0]!.dropped, 5, 'each lost remote publication counted on a');
    assert.equal(during[1]!.dropped - before[1]!.dropped, 1, 'and on b');

    await redis.start();
    await until(async () => (await a.state()).health === 'ok' && (await b.state()).health === 'ok', 'both nodes healthy again', 15_000);
    await propagated(a, 'news', [b]);
    await propagated(b, 'news', [a]);
    await a.publish('news', { args: ['back from a'] });
    await b.publish('news', { args: ['back from b'] });
    await Promise.all([logs[0]!.waitFor(7), logs[1]!.waitFor(3)]);
    await settle();
    // Order holds per publishing node, not between two of them.
    assert.deepEqual(argsOf(logs[0]!).slice(0, 5), ['down 0', 'down 1', 'down 2', 'down 3', 'down 4']);
    assert.deepEqual(argsOf(logs[0]!).slice(5).sort(), ['back from a', 'back from b']);
    assert.deepEqual(argsOf(logs[1]!)[0], 'down on b');
    assert.deepEqual(argsOf(logs[1]!).slice(1).sort(), ['back from a', 'back from b']);
    const after = [(await a.state()).stats, (await b.state()).stats];
    assert.ok(after[0]!.reconnects > before[0]!.reconnects && after[1]!.reconnects > before[1]!.reconnects, 'the subscriptions were applied again');
  });
});
