/**
 * A Redis Cluster master failing over to its replica (the production case:
 * 3 masters, each with 1 replica, `cluster-node-timeout` 1000 ms) under two
 * nodes in sharded mode, node A on node-redis `createCluster`, node B on
 * ioredis `Cluster`, with real WAMP clients on each: the replica takes over,
 * each node follows its inbox to the new master on its own, what was
 * published during the gap is delivered or counted (never both, never twice,
 * never out of order), retained events survive, RPC goes on; the old master
 * comes back as a replica and nothing changes for the nodes.
 *
 * The layout is chosen: node A's inbox and the realm's retained keys on
 * master M1, node B's inbox on master M2, the shared keys and both interest
 * keys on master G (never killed here).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import calculateSlot from 'cluster-key-slot';
import { CLIENTS, type UniformClient } from './helpers/clients.js';
import { EventLog, subscribe } from './helpers/pubsub.js';
import { cleanupStack, meshed, startNode, until, type ClusterNode, type NodeState } from './helpers/redis-cluster.js';
import { chooseNodeLayout, redisClusterAvailable, startRedisCluster, type RedisCluster } from './helpers/redis-shards.js';
import { joinRealm, redisCli, warnings } from './helpers/cluster-clients.js';

const AUTOBAHN = CLIENTS[0]!;
const WAMPY = CLIENTS[2]!;
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** Generous: a loaded 2-core machine runs six redis-servers, two nodes and their clients. */
const FAILOVER_WITHIN = 20_000;
const RECOVERED_WITHIN = 20_000;
const NODE_TIMEOUT = 2000;
const DEGRADED_LOG = 'Redis backplane degraded';



interface ClusterMember {
  port: number;
  master: boolean;
  failed: boolean;
  /** The slot ranges a master serves. */
  slots: [number, number][];
}

/** The cluster as the server on `port` sees it (`CLUSTER NODES`). */
async function members(port: number): Promise<ClusterMember[]> {
  return (await redisCli(port, 'CLUSTER', 'NODES')).map((line) => {
    const [, address, flags, , , , , , ...slots] = line.split(' ');
    const flagList = flags!.split(',');
    return {
      port: Number(address!.split('@')[0]!.split(':')[1]),
      master: flagList.includes('master'),
      failed: flagList.includes('fail') || flagList.includes('fail?'),
      slots: slots.filter((range) => !range.startsWith('[')).map((range) => {
        const [from, to] = range.split('-').map(Number);
        return [from!, to ?? from!] as [number, number];
      }),
    };
  });
}

/** The port of the live master serving `key`'s slot, as the server on `port` sees it, if any. */
async function masterOf(port: number, key: string): Promise<number | undefined> {
  const slot = calculateSlot(key);
  return (await members(port)).find((m) => m.master && !m.failed && m.slots.some(([from, to]) => slot >= from && slot <= to))?.port;
}

/** Samples a node's health every 50 ms: how long it was degraded, and how many times it went so. */
function watchHealth(t: TestContext, node: ClusterNode): { stop(): Promise<{ degradedMs: number; episodes: number }> } {
  let running = true;
  t.after(() => void (running = false));
  let degradedMs = 0;
  let episodes = 0;
  const loop = (async () => {
    let since: number | undefined;
    while (running) {
      const health = (await node.state()).health;
      const now = performance.now();
      if (health === 'degraded' && since === undefined) {
        since = now;
        episodes++;
      } else if (health === 'ok' && since !== undefined) {
        degradedMs += now - since;
        since = undefined;
      }
      await pause(50);
    }
    if (since !== undefined) degradedMs += performance.now() - since;
  })();
  // Handled here when the test ends early; `stop` still rejects with a failure.
  loop.catch(() => undefined);
  return {
    stop: async () => {
      running = false;
      await loop;
      return { degradedMs, episodes };
    },
  };
}

/**
 * Publishes `[tag, i, sentAt]` on `topic` from `node` every 50 ms until stopped; resolves to how
 * many it published.
 */
function publishing(t: TestContext, node: ClusterNode, topic: string, tag: string): { stop(): Promise<number> } {
  let running = true;
  t.after(() => void (running = false));
  let sent = 0;
  const loop = (async () => {
    while (running) {
      await node.publish(topic, { args: [tag, sent, Date.now()] });
      sent++;
      await pause(50);
    }
  })();
  // Handled here when the test ends early; `stop` still rejects with a failure.
  loop.catch(() => undefined);
  return {
    stop: async () => {
      running = false;
      await loop;
      return sent;
    },
  };
}

/** Calls `node.id` on each client every 100 ms until stopped; resolves to the slowest call (ms). Any failure rejects. */
function calling(t: TestContext, clients: readonly UniformClient[]): { stop(): Promise<number> } {
  let running = true;
  t.after(() => void (running = false));
  let slowest = 0;
  const loop = (async () => {
    while (running) {
      for (const client of clients) {
        const started = performance.now();
        await client.call('node.id');
        slowest = Math.max(slowest, performance.now() - started);
      }
      await pause(100);
    }
  })();
  // Handled here when the test ends early; `stop` still rejects with a failure.
  loop.catch(() => undefined);
  return {
    stop: async () => {
      running = false;
      await loop;
      return slowest;
    },
  };
}

/**
 * What one sender's gap publications came to on the receiving subscriber: each index at most
 * once, in increasing order; every one delivered or counted in the sender's `dropped`.
 */
function accountFor(log: EventLog, tag: string, sent: number, droppedDelta: number): { delivered: number; latest: number } {
  const received = log.events.filter((e) => e.args[0] === tag);
  const indices = received.map((e) => e.args[1] as number);
  for (let i = 1; i < indices.length; i++) assert.ok(indices[i]! > indices[i - 1]!, `${tag}: out of order or duplicated: ${JSON.stringify(indices)}`);
  assert.equal(indices.length + droppedDelta, sent, `${tag}: ${indices.length} delivered + ${droppedDelta} dropped ≠ ${sent} sent (${JSON.stringify(indices)})`);
  const latest = Math.max(0, ...received.map((e) => (e.details['receivedAt'] as number) - (e.args[2] as number)));
  return { delivered: indices.length, latest };
}


describe('a Redis Cluster master failing over to its replica under two sharded nodes', () => {
  let shards: RedisCluster;
  let a: ClusterNode; // node-redis createCluster, its inbox on M1
  let b: ClusterNode; // ioredis Cluster, its inbox on M2
  let G: number;
  let M1: number;
  let M2: number;
  let prefix: string;
  let ready = false;
  /** A server that is up, to ask about the cluster. */
  const live = (): number => G;
  const cleanup = cleanupStack();
  after(() => cleanup.stop());

  before(async (t) => {
    if (!redisClusterAvailable(t as unknown as TestContext)) return;
    shards = await startRedisCluster(cleanup.suite, { replicas: 1, config: ['--cluster-node-timeout', '1000'] });
    const first = shards.ports[0]!;
    // The realm's retained keys share the hash tag {r:} whatever the prefix: their master is M1.
    M1 = (await masterOf(first, 'retained:{r:}:events'))!;
    const masters = (await members(first)).filter((m) => m.master).map((m) => m.port);
    assert.equal(masters.length, 3);
    const layout = await chooseNodeLayout((key) => masterOf(first, key), 'failover', (shared) => {
      if (shared === M1) return undefined;
      M2 = masters.find((port) => port !== shared && port !== M1)!;
      return [M1, M2];
    });
    ({ prefix, shared: G } = layout);
    const [idA, idB] = layout.ids as [string, string];
    const url = `redis://127.0.0.1:${G}`;
    [a, b] = await Promise.all([
      startNode(cleanup.suite, url, { client: 'redis', cluster: true, sharded: true, prefix, nodeId: idA, nodeTimeout: NODE_TIMEOUT }),
      startNode(cleanup.suite, url, { client: 'ioredis', cluster: true, sharded: true, prefix, nodeId: idB, nodeTimeout: NODE_TIMEOUT }),
    ]);
    await meshed([a, b]);
    ready = true;
  });

  /** onA subscribed to 'gap.x' (B publishes it), onB to 'gap.y' (A publishes it); a publisher on each node; RPC callers. */
  async function sessions(t: TestContext) {
    const [onA, onB, pubA, pubB] = await Promise.all([
      joinRealm(t, a.url, AUTOBAHN, 'user.a'),
      joinRealm(t, b.url, AUTOBAHN, 'user.b'),
      joinRealm(t, a.url, WAMPY, 'user.pa'),
      joinRealm(t, b.url, WAMPY, 'user.pb'),
    ]);
    const logs = { aX: new EventLog(), bY: new EventLog() };
    // The arrival time goes with each event, to measure how late a gap publication arrived.
    const stamp = (log: EventLog) => (event: Parameters<EventLog['push']>[0]) => log.push({ ...event, details: { ...event.details, receivedAt: Date.now() } });
    await subscribe(onA, 'news.gap.x', stamp(logs.aX));
    await subscribe(onB, 'news.gap.y', stamp(logs.bY));
    await until(async () => (await b.state('news.gap.x')).nodesFor.includes(a.nodeId), 'A’s interest read by B');
    await until(async () => (await a.state('news.gap.y')).nodesFor.includes(b.nodeId), 'B’s interest read by A');
    return { onA, onB, pubA, pubB, logs };
  }

  /** Publications cross both ways now (retried: a subscription may still be on its way). */
  async function crossing(logs: { aX: EventLog; bY: EventLog }, tag: string): Promise<void> {
    await until(async () => {
      await b.publish('news.gap.x', { args: [tag, 0, Date.now()] });
      await pause(200);
      return logs.aX.events.some((e) => e.args[0] === tag);
    }, `${tag}: B to A`, RECOVERED_WITHIN);
    await until(async () => {
      await a.publish('news.gap.y', { args: [tag, 0, Date.now()] });
      await pause(200);
      return logs.bY.events.some((e) => e.args[0] === tag);
    }, `${tag}: A to B`, RECOVERED_WITHIN);
  }

  /**
   * Kills the master `port`, publishing both ways and calling RPC meanwhile, until its replica
   * serves `node`'s inbox and that node is healthy; checks the accounting. Resolves to the new master.
   */
  async function failover(t: TestContext, port: number, node: ClusterNode, ctx: Awaited<ReturnType<typeof sessions>>): Promise<number> {
    const inbox = `${prefix}inbox:{${node.nodeId}}`;
    const before = { a: await a.state(), b: await b.state() };
    const health = { a: watchHealth(t, a), b: watchHealth(t, b) };
    const fromB = publishing(t, b, 'news.gap.x', `b${port}`);
    const fromA = publishing(t, a, 'news.gap.y', `a${port}`);
    const rpc = calling(t, [ctx.onA, ctx.pubB]);
    await pause(300);

    const killedAt = performance.now();
    await shards.kill(port);
    let promoted: number | undefined;
    await until(async () => {
      promoted = await masterOf(live(), inbox);
      return promoted !== undefined && promoted !== port;
    }, 'the replica promoted', FAILOVER_WITHIN);
    const toPromoted = performance.now() - killedAt;
    await until(async () => (await node.state()).health === 'ok' && (await redisCli(promoted!, 'PUBSUB', 'SHARDNUMSUB', inbox))[1] === '1', 'the node healthy, its inbox subscribed on the new master', RECOVERED_WITHIN);
    const toHealthy = performance.now() - killedAt;
    // The publishers go on a while after recovery, then stop.
    await pause(1000);
    const [sentB, sentA, slowestCall] = await Promise.all([fromB.stop(), fromA.stop(), rpc.stop()]);
    const [healthA, healthB] = await Promise.all([health.a.stop(), health.b.stop()]);

    // Every gap publication is settled (delivered, or counted as dropped) within a bound: the
    // backplane gives a command up after 5 s.
    let after = { a: await a.state(), b: await b.state() };
    const tally = (state: NodeState, from: NodeState) => state.stats.published + state.stats.dropped - from.stats.published - from.stats.dropped;
    await until(async () => {
      after = { a: await a.state(), b: await b.state() };
      return tally(after.b, before.b) >= sentB && tally(after.a, before.a) >= sentA;
    }, 'every gap publication settled', 15_000).catch((error: Error) => {
      throw new Error(`${error.message}: B ${tally(after.b, before.b)} of ${sentB}, A ${tally(after.a, before.a)} of ${sentA}`);
    });
    await pause(300);
    after = { a: await a.state(), b: await b.state() };
    assert.deepEqual([tally(after.b, before.b), tally(after.a, before.a)], [sentB, sentA], 'each publication counted once');
    const onA = accountFor(ctx.logs.aX, `b${port}`, sentB, after.b.stats.dropped - before.b.stats.dropped);
    const onB = accountFor(ctx.logs.bY, `a${port}`, sentA, after.a.stats.dropped - before.a.stats.dropped);
    await crossing(ctx.logs, `after ${port}`);
    const toCrossing = performance.now() - killedAt;
    after = { a: await a.state(), b: await b.state() };

    // Still one subscription on the inbox: on the new master, and on no other live master.
    assert.deepEqual(await redisCli(promoted!, 'PUBSUB', 'SHARDNUMSUB', inbox), [inbox, '1']);
    for (const m of (await members(live())).filter((m) => m.master && !m.failed && m.port !== promoted)) {
      assert.deepEqual(await redisCli(m.port, 'PUBSUB', 'SHARDCHANNELS', inbox), [], `no subscription left on ${m.port}`);
    }
    assert.deepEqual([after.a.health, after.b.health, after.a.app, after.b.app], ['ok', 'ok', 'ok', 'ok']);
    // One warning at most per node for the whole failover, not one per failed reconnection.
    assert.ok(warnings(after.a, DEGRADED_LOG) - warnings(before.a, DEGRADED_LOG) <= 1, JSON.stringify(after.a.logs.slice(before.a.logs.length)));
    assert.ok(warnings(after.b, DEGRADED_LOG) - warnings(before.b, DEGRADED_LOG) <= 1, JSON.stringify(after.b.logs.slice(before.b.logs.length)));
    t.diagnostic(
      `kill ${port}: replica ${promoted} promoted after ${toPromoted.toFixed(0)} ms; node healthy and subscribed there after ${toHealthy.toFixed(0)} ms; crossing both ways after ${toCrossing.toFixed(0)} ms; ` +
        `A degraded ${healthA.episodes}× for ${healthA.degradedMs.toFixed(0)} ms, B ${healthB.episodes}× for ${healthB.degradedMs.toFixed(0)} ms; ` +
        `B→A ${onA.delivered}/${sentB} delivered (latest ${onA.latest} ms after its publish), A→B ${onB.delivered}/${sentA} (latest ${onB.latest} ms); slowest RPC ${slowestCall.toFixed(0)} ms`,
    );
    return promoted!;
  }

  it('the master of A’s inbox and of the retained keys dies: its replica takes over, A follows on its own, the gap is delivered or counted, retained events survive; the old master rejoins as a replica and nothing changes', async (t) => {
    if (!ready) return t.skip('no Redis Cluster');
    const ctx = await sessions(t);
    // A retained event on M1, replicated before the kill (WAIT: the replica acknowledged it).
    await a.publish('news.kept', { args: ['kept before'], retain: true }, '');
    await until(async () => (await redisCli(M1, 'HLEN', `${prefix}retained:{r:}:events`))[0] === '1', 'the retained event stored');
    assert.deepEqual(await redisCli(M1, 'WAIT', '1', '5000'), ['1']);

    const promoted = await failover(t, M1, a, ctx);

    // The retained event survived on the promoted replica, and every node reads it.
    for (const node of [a, b]) {
      const late = await joinRealm(t, node.url, AUTOBAHN, 'user.late');
      const found = new EventLog();
      await subscribe(late, 'news.kept', found.push, { get_retained: true });
      await found.waitFor(1, 10_000);
      assert.deepEqual(found.events.map((e) => e.args[0]), ['kept before']);
    }

    // The old master comes back with its nodes.conf: a replica of the new master, nothing changes for the nodes.
    const before = { a: await a.state(), b: await b.state() };
    await shards.restart(M1);
    await until(async () => (await members(live())).some((m) => m.port === M1 && !m.master && !m.failed), 'the old master rejoining as a replica', FAILOVER_WITHIN);
    await pause(1500);
    await crossing(ctx.logs, 'after rejoin');
    const inbox = `${prefix}inbox:{${a.nodeId}}`;
    assert.deepEqual(await redisCli(promoted, 'PUBSUB', 'SHARDNUMSUB', inbox), [inbox, '1']);
    const now = { a: await a.state(), b: await b.state() };
    assert.deepEqual([now.a.health, now.b.health], ['ok', 'ok']);
    assert.equal(now.a.stats.dropped, before.a.stats.dropped, 'A lost nothing');
    assert.equal(now.b.stats.dropped, before.b.stats.dropped, 'B lost nothing');
    assert.equal(warnings(now.a, DEGRADED_LOG), warnings(before.a, DEGRADED_LOG), 'A logged no outage');
    assert.equal(warnings(now.b, DEGRADED_LOG), warnings(before.b, DEGRADED_LOG), 'B logged no outage');
  });

  it('the master of B’s inbox dies: its replica takes over, B (ioredis) follows on its own, the gap is delivered or counted', async (t) => {
    if (!ready) return t.skip('no Redis Cluster');
    const ctx = await sessions(t);
    await failover(t, M2, b, ctx);
  });
});
