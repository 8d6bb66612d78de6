/**
 * The outage of one master of a Redis Cluster under two nodes in sharded mode
 * (node A on node-redis `createCluster`, node B on ioredis `Cluster`), with
 * real WAMP clients: what each node reports and keeps doing while the shard
 * is down, and how it recovers when the master comes back with its nodes.conf.
 *
 * The layout is chosen, not left to chance (docs/scaling.md, "When one shard
 * of a Redis Cluster is down"): the backplane's shared keys (control channel,
 * node list, session registry) and every node's interest key on master G;
 * node A's inbox on master K1; the realm's retained keys and node C's inbox
 * (C on ioredis) on master K3; node B's inbox on G. The masters run with
 * `cluster-require-full-coverage no`, else the surviving masters refuse every
 * command once one is marked failed. G dies last: every node degrades, and
 * it comes back empty (no persistence). A failover to a replica:
 * test/redis-failover.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import { Cluster } from 'ioredis';
import { CLIENTS } from './helpers/clients.js';
import { EventLog, publish, subscribe } from './helpers/pubsub.js';
import { cleanupStack, meshed, startNode, until, type ClusterNode, type NodeState } from './helpers/redis-cluster.js';
import { chooseNodeLayout, redisClusterAvailable, startRedisCluster, type RedisCluster } from './helpers/redis-shards.js';
import { joinRealm, sessionIdOf, redisCli, warnings, infos } from './helpers/cluster-clients.js';

const AUTOBAHN = CLIENTS[0]!;
const WAMPY = CLIENTS[2]!;
const argsOf = (log: EventLog): unknown[] => log.events.map((e) => e.args[0]);
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** Generous bounds: a loaded 2-core machine runs three masters, two nodes and their clients. */
const DEGRADED_WITHIN = 10_000;
const RECOVERED_WITHIN = 20_000;
/**
 * Heartbeats every 200 ms (redis-node.ts), a node listed for 2 s: more than a heartbeat that waits
 * for a dead shard (its commands give up after 1 s), as with the defaults (1 s and 3 s).
 */
const NODE_TIMEOUT = 2000;
const DEGRADED_LOG = 'Redis backplane degraded';
const RECOVERED_LOG = 'Redis backplane recovered';



/** Waits until `check` holds; resolves to how long it took (ms). */
async function timed(check: () => Promise<boolean>, what: string, ms: number): Promise<number> {
  const started = performance.now();
  await until(check, what, ms);
  return performance.now() - started;
}



describe('one master of a Redis Cluster down under two sharded nodes', () => {
  let shards: RedisCluster;
  let observer: Cluster;
  let a: ClusterNode; // node-redis createCluster, its inbox on K1
  let b: ClusterNode; // ioredis Cluster, its inbox on G
  let c: ClusterNode; // ioredis Cluster, its inbox on K3
  /** The masters by role, as ports: G holds the shared keys and B's inbox, K1 A's inbox, K3 the retained keys. */
  let G: number;
  let K1: number;
  let K3: number;
  let prefix: string;
  let ready = false;
  const cleanup = cleanupStack();
  after(() => cleanup.stop());

  before(async (t) => {
    if (!redisClusterAvailable(t as unknown as TestContext)) return;
    shards = await startRedisCluster(cleanup.suite, {
      // A dead master is marked failed after 1 s, and its FAIL cleared soon after it is back (2 × that).
      config: ['--cluster-node-timeout', '1000', '--cluster-require-full-coverage', 'no'],
    });
    observer = new Cluster([{ host: '127.0.0.1', port: shards.ports[0]! }]);
    cleanup.suite.after(async () => void observer.disconnect());
    const ranges = await observer.cluster('SLOTS');
    const masterOf = async (key: string): Promise<number> => {
      const slot = Number(await observer.cluster('KEYSLOT', key));
      const [, , master] = ranges.find(([from, to]) => slot >= from && slot <= to)!;
      return master![1];
    };
    // The realm's retained keys share the hash tag {r:} whatever the prefix: their master is K3.
    K3 = await masterOf('retained:{r:}:events');
    const layout = await chooseNodeLayout(masterOf, 'outage', (shared) => {
      if (shared === K3) return undefined;
      K1 = shards.ports.find((port) => port !== shared && port !== K3)!;
      return [K1, shared, K3];
    });
    ({ prefix, shared: G } = layout);
    const [idA, idB, idC] = layout.ids as [string, string, string];
    const url = `redis://127.0.0.1:${G}`;
    [a, b, c] = await Promise.all([
      startNode(cleanup.suite, url, { client: 'redis', cluster: true, sharded: true, prefix, nodeId: idA, nodeTimeout: NODE_TIMEOUT }),
      startNode(cleanup.suite, url, { client: 'ioredis', cluster: true, sharded: true, prefix, nodeId: idB, nodeTimeout: NODE_TIMEOUT }),
      startNode(cleanup.suite, url, { client: 'ioredis', cluster: true, sharded: true, prefix, nodeId: idC, nodeTimeout: NODE_TIMEOUT }),
    ]);
    assert.deepEqual([a.nodeId, b.nodeId, c.nodeId], [idA, idB, idC]);
    await meshed([a, b, c]);
    ready = true;
  });

  /** Clients on both nodes: onA and onB subscribed to 'news.x' and 'news.y', a publisher on each node. */
  async function sessions(t: TestContext) {
    const [onA, onB, pubA, pubB] = await Promise.all([
      joinRealm(t, a.url, AUTOBAHN, 'user.a'),
      joinRealm(t, b.url, AUTOBAHN, 'user.b'),
      joinRealm(t, a.url, WAMPY, 'user.pa'),
      joinRealm(t, b.url, WAMPY, 'user.pb'),
    ]);
    const logs = { aX: new EventLog(), bY: new EventLog(), bX: new EventLog(), aY: new EventLog() };
    await subscribe(onA, 'news.x', logs.aX.push);
    await subscribe(onA, 'news.y', logs.aY.push);
    await subscribe(onB, 'news.y', logs.bY.push);
    await subscribe(onB, 'news.x', logs.bX.push);
    await until(async () => (await b.state('news.x')).nodesFor.includes(a.nodeId), 'A’s interest read by B');
    await until(async () => (await a.state('news.y')).nodesFor.includes(b.nodeId), 'B’s interest read by A');
    return { onA, onB, pubA, pubB, logs };
  }

  it('with every master up, publications cross both ways', async (t) => {
    if (!ready) return t.skip('no Redis Cluster');
    const { pubA, pubB, logs } = await sessions(t);
    await publish(pubB, 'news.x', ['b to a']);
    await publish(pubA, 'news.y', ['a to b']);
    await Promise.all([logs.aX.waitFor(1), logs.bY.waitFor(1)]);
    assert.deepEqual([argsOf(logs.aX), argsOf(logs.bY)], [['b to a'], ['a to b']]);
    assert.deepEqual([(await a.state()).health, (await b.state()).health], ['ok', 'ok']);
  });

  it('the master of A’s inbox dies: A degrades once, B counts what it cannot send, both keep serving; it comes back: A recovers and everything crosses again', async (t) => {
    if (!ready) return t.skip('no Redis Cluster');
    const { onA, pubA, pubB, logs } = await sessions(t);
    const before = { a: await a.state(), b: await b.state() };

    await shards.kill(K1);
    // Restarted below; here too, so that a failure above leaves the next test a whole cluster.
    t.after(() => shards.restart(K1));
    const toDegraded = await timed(async () => (await a.state()).health === 'degraded', 'A reporting degraded', DEGRADED_WITHIN);
    const degraded = await a.state();
    assert.equal(degraded.app, 'degraded', 'app.health() follows the backplane');

    // B to A's subscriber, past A's nodeTimeout: A is still listed (its registration is on a live
    // master), so B sends to A's inbox, whose master is down, and counts each as dropped.
    await pause(NODE_TIMEOUT + 1000);
    assert.deepEqual((await b.state('news.x')).nodesFor, [a.nodeId], 'B still sends news.x to A');
    const lost = ['lost 1', 'lost 2', 'lost 3'];
    for (const text of lost) await publish(pubB, 'news.x', [text]);
    await b.publish('news.x', { args: ['lost 4'] });
    await until(async () => (await b.state()).stats.dropped >= before.b.stats.dropped + 4, 'B counting the 4 publications for A as dropped', 15_000);

    // Local work goes on, on both nodes: RPC, and publications to local subscribers.
    assert.deepEqual((await onA.call('node.id')).args, [a.nodeId]);
    assert.deepEqual((await pubB.call('node.id')).args, [b.nodeId]);
    await publish(pubA, 'news.x', ['local on a']);
    await publish(pubB, 'news.y', ['local on b']);
    await Promise.all([logs.aX.waitFor(1), logs.bY.waitFor(1)]);

    // A to B: B's inbox is on a live master, so A still sends there although its own inbox is down.
    await publish(pubA, 'news.y', ['a to b while A’s shard is down']);
    await logs.bY.waitFor(2);

    // Still degraded, and logged once (not once per failed reconnection or heartbeat).
    const during = { a: await a.state(), b: await b.state() };
    assert.equal(during.a.health, 'degraded');
    assert.equal(warnings(during.a, DEGRADED_LOG) - warnings(before.a, DEGRADED_LOG), 1, JSON.stringify(during.a.logs.slice(before.a.logs.length)));
    assert.equal(during.b.health, 'ok', 'B’s own channels and keys are up');
    assert.deepEqual(argsOf(logs.aX), ['local on a'], 'nothing from B reached A’s subscriber');
    assert.deepEqual(argsOf(logs.bY), ['local on b', 'a to b while A’s shard is down']);

    // The master comes back on its port with its nodes.conf.
    const restarted = performance.now();
    await shards.restart(K1);
    const toAnswering = performance.now() - restarted;
    await until(async () => (await a.state()).health === 'ok', 'A healthy again', RECOVERED_WITHIN);
    const toRecovered = performance.now() - restarted;
    const recovered = await a.state();
    assert.equal(recovered.app, 'ok');
    assert.ok(recovered.stats.reconnects > before.a.stats.reconnects, 'A subscribed its inbox again');
    assert.equal(infos(recovered, RECOVERED_LOG) - infos(before.a, RECOVERED_LOG), 1);
    assert.equal(warnings(recovered, DEGRADED_LOG) - warnings(before.a, DEGRADED_LOG), 1, 'one warning for the whole outage');

    // Cross-node delivery resumes, both ways; nothing published during the outage arrives late.
    await until(async () => (await b.state('news.x')).nodesFor.includes(a.nodeId), 'A’s interest read by B again');
    await until(async () => (await a.state('news.y')).nodesFor.includes(b.nodeId), 'B’s interest read by A again');
    await publish(pubB, 'news.x', ['b to a after']);
    await publish(pubA, 'news.y', ['a to b after']);
    await Promise.all([logs.aX.waitFor(2, 10_000), logs.bY.waitFor(3, 10_000)]);
    await pause(500);
    assert.deepEqual(argsOf(logs.aX), ['local on a', 'b to a after']);
    assert.deepEqual(argsOf(logs.bY), ['local on b', 'a to b while A’s shard is down', 'a to b after']);

    // One subscriber on A's inbox (no duplicate subscription), none lost on B's.
    assert.deepEqual(await redisCli(K1, 'PUBSUB', 'SHARDNUMSUB', `${prefix}inbox:{${a.nodeId}}`), [`${prefix}inbox:{${a.nodeId}}`, '1']);
    assert.deepEqual(await redisCli(G, 'PUBSUB', 'SHARDNUMSUB', `${prefix}inbox:{${b.nodeId}}`), [`${prefix}inbox:{${b.nodeId}}`, '1']);
    assert.equal((await b.state()).health, 'ok');
    t.diagnostic(`A degraded ${toDegraded.toFixed(0)} ms after the kill; the master answered ${toAnswering.toFixed(0)} ms after its restart began, A was healthy after ${toRecovered.toFixed(0)} ms`);
  });

  it('the master of the realm’s retained keys and of C’s inbox dies: A and B stay healthy, publications cross and reach local subscribers; retaining fails into the log, never to the client; what A and B publish for C is dropped, never delivered late', async (t) => {
    if (!ready) return t.skip('no Redis Cluster');
    const { pubA, logs } = await sessions(t);
    const onC = await joinRealm(t, c.url, AUTOBAHN, 'user.c');
    const logC = new EventLog();
    await subscribe(onC, 'news.z', logC.push);
    await until(async () => (await a.state('news.z')).nodesFor.includes(c.nodeId) && (await b.state('news.z')).nodesFor.includes(c.nodeId), 'C’s interest read by A and B');
    const before = { a: await a.state(), b: await b.state() };
    await shards.kill(K3);
    t.after(() => shards.restart(K3));
    // The other masters mark it failed after cluster-node-timeout (1 s), and the clients notice.
    await pause(2000);

    // For C, whose inbox's master is down: A (node-redis) and B (ioredis) count what they cannot send.
    await publish(pubA, 'news.z', ['z lost 1']);
    await a.publish('news.z', { args: ['z lost 2'] });
    await b.publish('news.z', { args: ['z lost 3'] });
    await until(async () => (await a.state()).stats.dropped >= before.a.stats.dropped + 2, 'A counting its 2 publications for C as dropped', 15_000);
    await until(async () => (await b.state()).stats.dropped >= before.b.stats.dropped + 1, 'B counting its publication for C as dropped', 15_000);

    // Publishers asking for an acknowledgement get it (never an error about Redis). autobahn: wampy does not send `retain`.
    const [keepA, keepB] = await Promise.all([joinRealm(t, a.url, AUTOBAHN, 'user.ka'), joinRealm(t, b.url, AUTOBAHN, 'user.kb')]);
    await publish(keepA, 'news.y', ['kept from a'], {}, { retain: true });
    await publish(keepB, 'news.x', ['kept from b'], {}, { retain: true });
    await a.publish('news.x', { args: ['kept by app a'], retain: true });
    await Promise.all([logs.aX.waitFor(2, 10_000), logs.bY.waitFor(1, 10_000), logs.aY.waitFor(1, 10_000), logs.bX.waitFor(2, 10_000)]);
    assert.deepEqual(argsOf(logs.aY), ['kept from a'], 'local delivery on A');
    assert.deepEqual(argsOf(logs.bY), ['kept from a'], 'A to B');
    assert.deepEqual(argsOf(logs.aX).sort(), ['kept by app a', 'kept from b'], 'B to A, and local on A');
    assert.deepEqual(argsOf(logs.bX).sort(), ['kept by app a', 'kept from b'], 'local on B, and A to B');

    // Each publishing node logs its failed writes in bounded time (A at once: the link does not queue
    // a command for a master that is down; B after ioredis's redirections, about 1 s), and a late
    // subscriber's get_retained is answered with SUBSCRIBED and no retained event, the failed read logged.
    const errorsOn = (state: NodeState, text: string): number => state.logs.filter((log) => log.level === 'error' && log.msg === text).length;
    const STORE = 'retained event could not be stored';
    const READ = 'retained events could not be read';
    await until(async () => errorsOn(await a.state(), STORE) === errorsOn(before.a, STORE) + 2, 'A logging its 2 failed retained writes', 15_000);
    await until(async () => errorsOn(await b.state(), STORE) === errorsOn(before.b, STORE) + 1, 'B logging its failed retained write', 15_000);
    for (const [node, url] of [[a, a.url], [b, b.url]] as const) {
      const late = await joinRealm(t, url, AUTOBAHN, 'user.late');
      const lateLog = new EventLog();
      const reads = errorsOn(await node.state(), READ);
      await subscribe(late, 'news.x', lateLog.push, { get_retained: true });
      await until(async () => errorsOn(await node.state(), READ) === reads + 1, 'the failed read logged', 15_000);
      assert.deepEqual(lateLog.events, []);
    }

    // The backplane uses nothing on that master: both nodes stay healthy, and log no outage.
    for (let i = 0; i < 5; i++) {
      assert.deepEqual([(await a.state()).health, (await b.state()).health], ['ok', 'ok'], `sample ${i}`);
      await pause(200);
    }
    const during = { a: await a.state(), b: await b.state() };
    assert.equal(warnings(during.a, DEGRADED_LOG), warnings(before.a, DEGRADED_LOG), 'A logged no outage');
    assert.equal(warnings(during.b, DEGRADED_LOG), warnings(before.b, DEGRADED_LOG), 'B logged no outage');
    await shards.restart(K3);
    // C recovers; only what is published after reaches its subscriber.
    await until(async () => (await c.state()).health === 'ok', 'C healthy again', RECOVERED_WITHIN);
    await until(async () => (await a.state('news.z')).nodesFor.includes(c.nodeId), 'C’s interest read by A again');
    // A's own connection to that master may take a moment longer to be ready again.
    await until(async () => {
      await a.publish('news.z', { args: ['z after'] });
      await pause(200);
      return logC.events.length > 0;
    }, 'a publication from A reaching C again', 15_000);
    await pause(500);
    assert.ok(argsOf(logC).every((text) => text === 'z after'), `nothing published during the outage arrived late: ${JSON.stringify(argsOf(logC))}`);
    // Back (empty: no persistence): retaining works again.
    const lateA = await joinRealm(t, a.url, AUTOBAHN, 'user.la');
    await until(async () => {
      await a.publish('news.after', { args: ['kept after'], retain: true });
      const found = new EventLog();
      const subscription = await subscribe(lateA, 'news.after', found.push, { get_retained: true });
      await pause(300);
      await subscription.unsubscribe();
      return JSON.stringify(argsOf(found)) === JSON.stringify(['kept after']);
    }, 'retaining working again once the master is back', 15_000);
  });
  it('the master of the shared keys, of every interest key and of B’s inbox dies: every node degrades as when Redis is unreachable, RPC and local publications go on; it comes back empty: every node recovers on its own, registers itself and its sessions again, and publications cross again', async (t) => {
    if (!ready) return t.skip('no Redis Cluster');
    const { onA, onB, pubA, pubB, logs } = await sessions(t);
    const ids = { a: sessionIdOf(onA), b: sessionIdOf(onB) };
    await until(async () => (await b.remote({ action: 'locate', sessionId: ids.a })).nodeId === a.nodeId, 'A’s session registered');
    const before = { a: await a.state(), b: await b.state(), c: await c.state() };

    const killed = performance.now();
    await shards.kill(G);
    t.after(() => shards.restart(G));
    // Every node's registration and node list are on G: every node degrades.
    await until(async () => (await Promise.all([a, b, c].map((node) => node.state()))).every((state) => state.health === 'degraded'), 'A, B and C degraded', DEGRADED_WITHIN);
    const toDegraded = performance.now() - killed;
    for (const [node, state] of [[a, before.a], [b, before.b], [c, before.c]] as const) {
      const now = await node.state();
      assert.equal(now.app, 'degraded', 'app.health() follows the backplane');
      assert.equal(warnings(now, DEGRADED_LOG) - warnings(state, DEGRADED_LOG), 1, JSON.stringify(now.logs.slice(state.logs.length)));
    }
    // Local work goes on: RPC, and publications to local subscribers.
    assert.deepEqual((await onA.call('node.id')).args, [a.nodeId]);
    assert.deepEqual((await pubB.call('node.id')).args, [b.nodeId]);
    await publish(pubA, 'news.x', ['local on a']);
    await publish(pubB, 'news.y', ['local on b']);
    await Promise.all([logs.aX.waitFor(1), logs.bY.waitFor(1)]);

    // It comes back empty (no persistence): the node list, the interest keys, the session registry are gone.
    const restarted = performance.now();
    await shards.restart(G);
    await until(async () => (await Promise.all([a, b, c].map((node) => node.state()))).every((state) => state.health === 'ok'), 'A, B and C healthy again', RECOVERED_WITHIN);
    const toRecovered = performance.now() - restarted;
    await meshed([a, b, c]);
    for (const [node, state] of [[a, before.a], [b, before.b], [c, before.c]] as const) {
      const now = await node.state();
      assert.equal(now.app, 'ok');
      assert.equal(infos(now, RECOVERED_LOG) - infos(state, RECOVERED_LOG), 1, 'one recovery logged');
    }
    // Each node registered its sessions again: a session on the other node is found.
    await until(async () => (await b.remote({ action: 'locate', sessionId: ids.a })).nodeId === a.nodeId, 'A’s session registered again', RECOVERED_WITHIN);
    await until(async () => (await a.remote({ action: 'locate', sessionId: ids.b })).nodeId === b.nodeId, 'B’s session registered again', RECOVERED_WITHIN);
    // Interest is read again, and publications cross both ways.
    await until(async () => (await b.state('news.x')).nodesFor.includes(a.nodeId), 'A’s interest read by B again', RECOVERED_WITHIN);
    await until(async () => (await a.state('news.y')).nodesFor.includes(b.nodeId), 'B’s interest read by A again', RECOVERED_WITHIN);
    await publish(pubB, 'news.x', ['b to a after']);
    await publish(pubA, 'news.y', ['a to b after']);
    await Promise.all([logs.aX.waitFor(2, 10_000), logs.bY.waitFor(2, 10_000)]);
    // A new interest announced after the restart reaches the others (the control channel is subscribed again).
    const logZ = new EventLog();
    await subscribe(onA, 'news.after.z', logZ.push);
    await until(async () => (await b.state('news.after.z')).nodesFor.includes(a.nodeId), 'A’s new interest read by B', 10_000);
    await publish(pubB, 'news.after.z', ['z']);
    await logZ.waitFor(1, 10_000);
    await pause(300);
    assert.deepEqual(argsOf(logs.aX), ['local on a', 'b to a after']);
    assert.deepEqual(argsOf(logs.bY), ['local on b', 'a to b after']);
    assert.deepEqual(await redisCli(G, 'PUBSUB', 'SHARDNUMSUB', `${prefix}inbox:{${b.nodeId}}`), [`${prefix}inbox:{${b.nodeId}}`, '1']);
    t.diagnostic(`A, B and C degraded ${toDegraded.toFixed(0)} ms after the kill; healthy ${toRecovered.toFixed(0)} ms after the restart began`);
  });
});
