/**
 * Three applications in separate processes on one real redis-server (issue
 * 11): a and c on node-redis, b on ioredis, with real autobahn-js, wampy and
 * raw WAMP clients spread over them. Publications with audiences and
 * pattern subscriptions cross to both other nodes, node a reaches sessions
 * node c holds (sendEvent, call with progress, timeout and cancel, close,
 * abort), the session meta API answers for all three, retained events are
 * shared, and when c is SIGKILLed the other two go on while c's sessions
 * leave the listing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import { CLIENTS } from './helpers/clients.js';
import { EventLog, publish, subscribe } from './helpers/pubsub.js';
import { RawClient } from './helpers/raw-client.js';
import { redisAvailable } from './helpers/redis-server.js';
import { startNodes, until, type ClusterNode, type Nodes } from './helpers/redis-cluster.js';
import { joinRealm, sessionIdOf } from './helpers/cluster-clients.js';

const AUTOBAHN = CLIENTS[0]!;
const AUTOBAHN_MSGPACK = CLIENTS[1]!;
const WAMPY = CLIENTS[2]!;
const WAMPY_MSGPACK = CLIENTS[3]!;
/** How long a test waits for a duplicate that must not come: generous, and bounded. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 300));
const argsOf = (log: EventLog): unknown[] => log.events.map((e) => e.args[0]);
/** The test nodes' heartbeat (redis-node.ts) and the default nodeTimeout of 3 heartbeats. */
const HEARTBEAT_MS = 200;
const NODE_TIMEOUT_MS = 3 * HEARTBEAT_MS;


async function rawJoin(t: TestContext, url: string, authid: string): Promise<{ raw: RawClient; id: number }> {
  const raw = await RawClient.connect(url, 'wamp.2.json');
  t.after(() => raw.close());
  const welcome = await raw.hello('realm1', {
    roles: { callee: { features: { call_canceling: true, progressive_call_results: true } }, subscriber: {} },
    authid,
    authmethods: ['anonymous'],
  });
  assert.equal(welcome[0], 2, JSON.stringify(welcome));
  return { raw, id: Number(welcome[1]) };
}


/** Waits until `from` would send `topic` to each of `to`, and to no other node. */
async function propagated(from: ClusterNode, topic: string, to: readonly ClusterNode[]): Promise<void> {
  const want = to.map((node) => node.nodeId).sort();
  await until(async () => JSON.stringify((await from.state(topic)).nodesFor.sort()) === JSON.stringify(want), `interest in ${topic} reaching the publishing node`);
}

/** Waits until `from` finds session `id` on `holder`. */
async function registered(from: ClusterNode, id: number, holder: ClusterNode): Promise<void> {
  await until(async () => (await from.remote({ action: 'locate', sessionId: id })).nodeId === holder.nodeId, 'the session registered');
}

describe('three nodes on one redis-server', () => {
  let cluster: Nodes | undefined;
  let a: ClusterNode; // node-redis
  let b: ClusterNode; // ioredis
  let c: ClusterNode; // node-redis
  let ready = false;
  after(async () => {
    await cluster?.stop();
  });

  before(async (t) => {
    if (!redisAvailable(t as unknown as TestContext)) return;
    cluster = await startNodes(3, { meta: true });
    [a, b, c] = cluster.nodes as [ClusterNode, ClusterNode, ClusterNode];
    ready = true;
  });

  it('a publication from any node reaches exact, prefix and wildcard subscribers on the two others, each once, only where subscribed', async (t) => {
    if (!ready) return t.skip('no redis-server');
    const [exactB, prefixB, wildcardC, exactC, publisherA] = await Promise.all([
      // Pattern subscriptions from autobahn: wampy checks a topic URI strictly before sending it.
      joinRealm(t, b.url, WAMPY, 'user.be'),
      joinRealm(t, b.url, AUTOBAHN, 'user.bp'),
      joinRealm(t, c.url, AUTOBAHN_MSGPACK, 'user.cw'),
      joinRealm(t, c.url, AUTOBAHN, 'user.ce'),
      joinRealm(t, a.url, AUTOBAHN, 'user.pa'),
    ]);
    const logs = { exactB: new EventLog(), prefixB: new EventLog(), wildcardC: new EventLog(), exactC: new EventLog() };
    await subscribe(exactB, 'news', logs.exactB.push);
    await subscribe(prefixB, 'news.', logs.prefixB.push, { match: 'prefix' });
    await subscribe(wildcardC, 'news..flash', logs.wildcardC.push, { match: 'wildcard' });
    await subscribe(exactC, 'news', logs.exactC.push);
    await propagated(a, 'news', [b, c]);
    await propagated(a, 'news.x.flash', [b, c]);
    await propagated(a, 'news.only.prefix', [b]);
    await propagated(c, 'news', [b]);
    await propagated(b, 'news.y.flash', [c]);

    const id = await publish(publisherA, 'news', ['client on a']);
    await publish(publisherA, 'news.x.flash', ['flash from a']);
    await publish(publisherA, 'news.only.prefix', ['prefix only']);
    // Order is kept per publisher, not across publishers on different nodes (each reaches Redis
    // on its own connection): the next publisher starts once the previous one's events arrived.
    await Promise.all([logs.exactB.waitFor(1), logs.prefixB.waitFor(2), logs.wildcardC.waitFor(1), logs.exactC.waitFor(1)]);
    await c.publish('news', { args: ['app.publish on c'] });
    await Promise.all([logs.exactB.waitFor(2), logs.exactC.waitFor(2)]);
    await b.publish('news.y.flash', { args: ['realm.publish on b'] }, '');
    await Promise.all([logs.exactB.waitFor(2), logs.prefixB.waitFor(3), logs.wildcardC.waitFor(2), logs.exactC.waitFor(2)]);
    await settle();
    assert.deepEqual(argsOf(logs.exactB), ['client on a', 'app.publish on c']);
    assert.deepEqual(argsOf(logs.exactC), ['client on a', 'app.publish on c']);
    assert.deepEqual(argsOf(logs.prefixB), ['flash from a', 'prefix only', 'realm.publish on b']);
    assert.deepEqual(argsOf(logs.wildcardC), ['flash from a', 'realm.publish on b']);
    assert.equal(logs.exactC.events[0]!.details['publication'], id, 'the publication id the publisher got, on another node');
    assert.equal(logs.prefixB.events[0]!.details['publication'], logs.wildcardC.events[0]!.details['publication'], 'one id on every node');
    assert.deepEqual(
      logs.wildcardC.events.map((e) => e.details['topic']),
      ['news.x.flash', 'news.y.flash'],
    );
  });

  it('keeps audiences across three nodes: eligible/exclude by session, authid and authrole, exclude_me and disclose_me', async (t) => {
    if (!ready) return t.skip('no redis-server');
    const [publisher, adminA, adminB, userB, guestC, userC] = await Promise.all([
      joinRealm(t, a.url, AUTOBAHN, 'pub.p'),
      joinRealm(t, a.url, WAMPY, 'admin.x'),
      joinRealm(t, b.url, AUTOBAHN_MSGPACK, 'admin.y'),
      joinRealm(t, b.url, WAMPY_MSGPACK, 'user.z'),
      joinRealm(t, c.url, AUTOBAHN, 'guest.g'),
      joinRealm(t, c.url, WAMPY, 'user.q'),
    ]);
    const receivers = [publisher, adminA, adminB, userB, guestC, userC];
    const logs = receivers.map(() => new EventLog());
    await Promise.all(receivers.map((client, i) => subscribe(client, 'news.audience', logs[i]!.push)));
    await propagated(a, 'news.audience', [b, c]);
    const pub = (tag: string, options: Record<string, unknown>): Promise<unknown> => publish(publisher, 'news.audience', [tag], {}, options);

    await pub('admins', { eligible_authrole: ['admin'] });
    await pub('not admins', { exclude_authrole: ['admin'] });
    await pub('q and y', { eligible_authid: ['user.q', 'admin.y'] });
    await pub('all but z', { exclude_authid: ['user.z'] });
    await pub('sessions g and z', { eligible: [sessionIdOf(guestC), sessionIdOf(userB)] });
    await pub('not session q', { exclude: [sessionIdOf(userC)] });
    await pub('users and guests but q', { eligible_authrole: ['user', 'guest'], exclude: [sessionIdOf(userC)] });
    await pub('disclosed', { eligible_authrole: ['user'], disclose_me: true });
    await pub('me too', { exclude_me: false, eligible_authid: ['pub.p', 'user.q'] });
    const expected = [
      ['me too'],
      ['admins', 'all but z', 'not session q'],
      ['admins', 'q and y', 'all but z', 'not session q'],
      ['not admins', 'sessions g and z', 'not session q', 'users and guests but q', 'disclosed'],
      ['not admins', 'all but z', 'sessions g and z', 'not session q', 'users and guests but q'],
      ['not admins', 'q and y', 'all but z', 'disclosed', 'me too'],
    ];
    await Promise.all(logs.map((log, i) => log.waitFor(expected[i]!.length)));
    await settle();
    assert.deepEqual(logs.map(argsOf), expected);
    const disclosed = [logs[3]!, logs[5]!].map((log) => log.events.find((e) => e.args[0] === 'disclosed')!.details['publisher']);
    assert.deepEqual(disclosed.map(Number), [sessionIdOf(publisher), sessionIdOf(publisher)], 'disclose_me reaches both other nodes');
    assert.equal(logs[4]!.events[0]!.details['publisher'], undefined, 'no publisher unless disclosed');
  });

  it('node a reaches sessions node c holds: sendEvent, call with progress, timeout and cancel (INTERRUPT to the callee), close, abort', async (t) => {
    if (!ready) return t.skip('no redis-server');
    const subscriber = await joinRealm(t, c.url, WAMPY_MSGPACK, 'user.s');
    const log = new EventLog();
    await subscribe(subscriber, 'news.direct', log.push);
    const callee = await joinRealm(t, c.url, AUTOBAHN, 'user.callee');
    await callee.raw.session.register('ui.sum', (args: number[], _kwargs: unknown, details: any) => {
      for (const n of args) details.progress?.([n]);
      return args.reduce((x, y) => x + y, 0);
    });
    const { raw, id: rawId } = await rawJoin(t, c.url, 'user.raw');
    raw.send([64, 1, {}, 'ui.hang']);
    assert.equal((await raw.next())[0], 65, 'REGISTERED');
    await registered(a, sessionIdOf(subscriber), c);
    await registered(a, sessionIdOf(callee), c);
    await registered(a, rawId, c);

    const sent = await a.remote({ action: 'sendEvent', sessionId: sessionIdOf(subscriber), topic: 'news.direct', args: ['from a'] });
    assert.deepEqual([sent.value, sent.nodeId], [true, c.nodeId]);
    await log.waitFor(1);
    assert.deepEqual(argsOf(log), ['from a']);

    const sum = await a.remote({ action: 'call', sessionId: sessionIdOf(callee), topic: 'ui.sum', args: [1, 2, 3], progress: true, timeout: 5000 });
    assert.deepEqual([sum.value, sum.progress], [{ args: [6], kwargs: {} }, [1, 2, 3]]);

    const timedOut = await a.remote({ action: 'call', sessionId: rawId, topic: 'ui.hang', timeout: 300 });
    assert.equal(timedOut.error, 'wamp.error.timeout');
    const [invocation, interrupt] = [await raw.next(5000), await raw.next(5000)];
    assert.deepEqual([invocation[0], interrupt[0], interrupt[1]], [68, 69, invocation[1]], 'the holding node interrupts the invocation it gave up');

    const canceled = await a.remote({ action: 'call', sessionId: rawId, topic: 'ui.hang', cancelAfter: 300 });
    assert.equal(canceled.error, 'wamp.error.canceled');
    const [invocation2, interrupt2] = [await raw.next(5000), await raw.next(5000)];
    assert.deepEqual([invocation2[0], interrupt2[0], interrupt2[1]], [68, 69, invocation2[1]], 'the cancel reaches the callee as INTERRUPT');

    assert.equal((await a.remote({ action: 'close', sessionId: rawId })).error, undefined);
    const goodbye = await raw.next(5000);
    assert.deepEqual([goodbye[0], goodbye[2]], [6, 'app.close.remote']);
    raw.send([6, {}, 'wamp.close.goodbye_and_out']);

    const { raw: aborted, id: abortedId } = await rawJoin(t, c.url, 'user.abort');
    await registered(a, abortedId, c);
    assert.equal((await a.remote({ action: 'abort', sessionId: abortedId })).error, undefined);
    assert.equal((await aborted.next(5000))[0], 3, 'ABORT');
    await until(async () => (await a.remote({ action: 'locate', sessionId: abortedId })).nodeId === null, 'the aborted session leaving the registry');
    const gone = await a.remote({ action: 'sendEvent', sessionId: rawId, topic: 'news.direct' });
    assert.ok(gone.nodeId === null || gone.error === 'wamp.error.no_such_session', JSON.stringify(gone));
  });

  it('the session meta API counts, lists, gets and kills across the three nodes; on_join and on_leave cross too', async (t) => {
    if (!ready) return t.skip('no redis-server');
    // Authroles of this test only: sessions other tests leave behind are not counted.
    const watcher = await joinRealm(t, a.url, AUTOBAHN, 'mw.watcher');
    const joins = new EventLog();
    const leaves = new EventLog();
    await subscribe(watcher, 'wamp.session.on_join', joins.push);
    await subscribe(watcher, 'wamp.session.on_leave', leaves.push);
    await propagated(c, 'wamp.session.on_join', [a]);
    await propagated(b, 'wamp.session.on_leave', [a]);
    const onB = await Promise.all([joinRealm(t, b.url, WAMPY, 'mb.1'), joinRealm(t, b.url, AUTOBAHN_MSGPACK, 'mb.2')]);
    const onC = await Promise.all([joinRealm(t, c.url, AUTOBAHN, 'mc.1'), joinRealm(t, c.url, WAMPY_MSGPACK, 'mc.2')]);
    const ids = [...onB, ...onC].map(sessionIdOf);
    const roles = [['mb', 'mc']];
    assert.equal((await watcher.call('wamp.session.count', roles)).args[0], 4);
    assert.deepEqual(((await watcher.call('wamp.session.list', roles)).args[0] as number[]).map(Number).sort(), [...ids].sort());
    assert.equal((await watcher.call('wamp.session.count')).args[0] as number >= 5, true);
    const details = (await watcher.call('wamp.session.get', [ids[2]])).args[0] as Record<string, unknown>;
    assert.deepEqual([Number(details['session']), details['authid'], details['authrole']], [ids[2], 'mc.1', 'mc']);
    await until(() => ids.every((id) => joins.events.some((e) => Number((e.args[0] as { session: number }).session) === id)), 'on_join of every session, from b and c');

    await watcher.call('wamp.session.kill', [ids[2]]);
    await until(async () => !((await watcher.call('wamp.session.list', roles)).args[0] as number[]).map(Number).includes(ids[2]!), 'the killed session leaving');
    assert.deepEqual((await watcher.call('wamp.session.kill_by_authrole', ['mb'])).args[0], 2);
    await until(async () => (await watcher.call('wamp.session.count', roles)).args[0] === 1, 'two sessions of b killed');
    assert.deepEqual(((await watcher.call('wamp.session.list', roles)).args[0] as number[]).map(Number), [ids[3]]);
    await until(() => [ids[0], ids[1], ids[2]].every((id) => leaves.events.some((e) => Number(e.args[0]) === id)), 'on_leave of the killed sessions, from b and c');
  });

  // Last: it kills node c.
  it('shares retained events; a SIGKILLed node leaves the listing in time while the other two keep working', async (t) => {
    if (!ready) return t.skip('no redis-server');
    const retainer = await joinRealm(t, b.url, WAMPY, 'user.r');
    await publish(retainer, 'news.kept', ['from b'], {}, { retain: true });
    await c.publish('news.kept', { args: ['from c, later'], retain: true });
    const lateA = await joinRealm(t, a.url, AUTOBAHN, 'user.la');
    await until(async () => {
      const log = new EventLog();
      const subscription = await subscribe(lateA, 'news.kept', log.push, { get_retained: true });
      await settle();
      await subscription.unsubscribe();
      return log.events.length === 1 && log.events[0]!.args[0] === 'from c, later';
    }, 'the latest retained event read on a');

    // c holds a session and a subscription when it dies.
    const onC = await joinRealm(t, c.url, AUTOBAHN, 'user.dies');
    await subscribe(onC, 'news.after', () => undefined);
    const onB = await joinRealm(t, b.url, AUTOBAHN_MSGPACK, 'user.lives');
    const log = new EventLog();
    await subscribe(onB, 'news.after', log.push);
    await onB.raw.session.register('ui.echo', (args: unknown[]) => args[0]);
    await propagated(a, 'news.after', [b, c]);
    await registered(a, sessionIdOf(onC), c);
    await registered(a, sessionIdOf(onB), b);
    const watcher = await joinRealm(t, a.url, AUTOBAHN, 'admin.dead');
    assert.ok(((await watcher.call('wamp.session.list')).args[0] as number[]).map(Number).includes(sessionIdOf(onC)));

    const killed = performance.now();
    await c.kill();
    // The meta API leaves a dead node out at once (its inbox has no subscriber).
    assert.ok(!((await watcher.call('wamp.session.list')).args[0] as number[]).map(Number).includes(sessionIdOf(onC)), 'its session is not listed');
    await until(async () => !(await a.state()).nodes.includes(c.nodeId) && !(await b.state()).nodes.includes(c.nodeId), 'the dead node leaving the listing');
    const leftAfter = performance.now() - killed;
    t.diagnostic(`a SIGKILLed node left the listing of both others after ${Math.round(leftAfter)} ms (documented: nodeTimeout ${NODE_TIMEOUT_MS} ms + one heartbeat ${HEARTBEAT_MS} ms)`);
    // Generous for a loaded 2-core machine: what it proves is that the node leaves, not how fast.
    assert.ok(leftAfter < 10 * (NODE_TIMEOUT_MS + HEARTBEAT_MS), `left within 10 × the documented bound (${Math.round(leftAfter)} ms)`);
    assert.deepEqual((await a.state('news.after')).nodesFor, [b.nodeId], 'no more publications for the dead node');
    // Once its node left the listing, a session of it is no longer found: app.session(id) answers undefined.
    const onDead = await a.remote({ action: 'sendEvent', sessionId: sessionIdOf(onC), topic: 'news.after' });
    assert.equal(onDead.nodeId, null, JSON.stringify(onDead));

    // The other two go on: publications, remote calls, retained events c published.
    await a.publish('news.after', { args: ['a to b'] });
    await log.waitFor(1);
    assert.deepEqual(argsOf(log), ['a to b']);
    assert.deepEqual((await a.remote({ action: 'call', sessionId: sessionIdOf(onB), topic: 'ui.echo', args: ['still'], timeout: 5000 })).value, { args: ['still'], kwargs: {} });
    const lateB = await joinRealm(t, b.url, AUTOBAHN_MSGPACK, 'user.lb');
    const retained = new EventLog();
    await subscribe(lateB, 'news.kept', retained.push, { get_retained: true });
    await retained.waitFor(1);
    assert.deepEqual(argsOf(retained), ['from c, later'], 'the retained event outlives the node that published it');
    const states = [await a.state(), await b.state()];
    assert.deepEqual(states.map((s) => [s.health, s.nodes]), [['ok', [b.nodeId]], ['ok', [a.nodeId]]]);
  });
});
