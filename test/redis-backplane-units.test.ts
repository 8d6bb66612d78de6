/**
 * The Redis backplane's parts, in one process: the envelope between nodes
 * (bytes, BigInt, hostile input), the interest the Broker reports, the
 * node-to-node primitive, and sharded pub/sub (SPUBLISH/SSUBSCRIBE) on a
 * real redis-server.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import fc from 'fast-check';
import { createClient } from 'redis';
import { Redis } from 'ioredis';
import { Application, Realm, ServerwampError, TopicRouteSet, type Backplane, type TopicInterest } from '../src/index.js';
import { ioredisLink, nodeRedisClusterLink, nodeRedisLink, redisBackplane, redisRetainedStore, type RedisBackplane, type RedisLink, type RedisSubscriber } from '../src/redis/index.js';
import { decodeEnvelope, encodeEnvelope, EnvelopeError } from '../src/redis/envelope.js';
import { CLIENTS, connectClient } from './helpers/clients.js';
import { EventLog, subscribe } from './helpers/pubsub.js';
import { redisAvailable, startRedis } from './helpers/redis-server.js';
import { startNode, until } from './helpers/redis-cluster.js';
import { serve } from './helpers/server.js';
import { RawClient } from './helpers/raw-client.js';

describe('the envelope between nodes', () => {
  it('carries a publication unchanged: bytes, BigInt, audience, details, realm and retain flag', () => {
    const publication = {
      origin: 'node-1',
      realm: '',
      topic: 'a.b',
      publicationId: 2 ** 53 - 1,
      payload: { args: [Uint8Array.from([0, 1, 255]), 2n ** 63n - 1n, -(2n ** 63n), 'é', null], kwargs: { nested: { bytes: new Uint8Array(3) } } },
      audience: { eligibleAuthroles: ['admin'], exclude: [42] },
      details: { publisher: 7 },
      retain: true,
    };
    const decoded = decodeEnvelope(encodeEnvelope(publication));
    assert.deepEqual(decoded, publication);
    assert.ok(decoded.payload.args![0] instanceof Uint8Array);
    assert.equal(decoded.payload.args![1], 2n ** 63n - 1n);
    const everyRealm = decodeEnvelope(encodeEnvelope({ origin: 'n', topic: 't', publicationId: 1, payload: {} }));
    assert.deepEqual(everyRealm, { origin: 'n', topic: 't', publicationId: 1, payload: {} });
  });

  it('refuses anything else with EnvelopeError only, and never builds on a prototype', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        try {
          decodeEnvelope(text);
        } catch (error) {
          assert.ok(error instanceof EnvelopeError);
        }
      }),
      { numRuns: 2000 },
    );
    const forged = Buffer.from(
      // fixarray(10): 1, "o", nil, "t", 1, nil, {"__proto__": {"polluted": 1}}, nil, nil, false
      [0x9a, 0x01, 0xa1, 0x6f, 0xc0, 0xa1, 0x74, 0x01, 0xc0, 0x81, 0xa9, ...Buffer.from('__proto__'), 0x81, 0xa8, ...Buffer.from('polluted'), 0x01, 0xc0, 0xc0, 0xc2],
    ).toString('base64');
    const decoded = decodeEnvelope(forged);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    assert.equal((decoded.payload.kwargs as Record<string, unknown>)['polluted'], undefined);
    for (const audience of [{ eligible: ['x'] }, { unknown: [1] }, { exclude: 5 }]) {
      const bad = encodeEnvelope({ origin: 'n', topic: 't', publicationId: 1, payload: {}, audience: audience as never });
      assert.throws(() => decodeEnvelope(bad), EnvelopeError);
    }
  });
});

describe('the interest a Broker reports to its backplane', () => {
  it('tells the first subscription to a (realm, topic, match) and the end of the last, and lists what holds now', async (t) => {
    const changes: string[] = [];
    let listed: () => TopicInterest[] = () => [];
    const spy: Backplane = {
      start: (node) => void (listed = () => [...node.interests()]),
      publish: () => undefined,
      close: () => undefined,
      interest: (change, present) => void changes.push(`${present ? '+' : '-'}${change.realm}|${change.topic}|${change.match}`),
    };
    const app = new Application({ backplane: spy });
    const routes = new TopicRouteSet().route('news', {}).prefixRoute('news.', {});
    app.addTopicRoutes(routes);
    const other = new Realm('other');
    other.addTopicRoutes(routes);
    app.addRealm(other);
    const { url } = await serve(app, t);
    const [one, two, three] = await Promise.all([connectClient(url, CLIENTS[0]!), connectClient(url, CLIENTS[2]!), connectClient(url, CLIENTS[0]!, { realm: 'other' })]);
    t.after(() => Promise.all([one!.close(), two!.close(), three!.close()]));
    const s1 = await subscribe(one!, 'news', () => undefined);
    const s2 = await subscribe(two!, 'news', () => undefined);
    await subscribe(one!, 'news.', () => undefined, { match: 'prefix' });
    await subscribe(three!, 'news', () => undefined);
    assert.deepEqual(changes, ['+|news|exact', '+|news.|prefix', '+other|news|exact']);
    assert.deepEqual(listed().map((i) => `${i.realm}|${i.topic}|${i.match}`).sort(), ['other|news|exact', '|news.|prefix', '|news|exact'].sort());
    await s1.unsubscribe();
    assert.equal(changes.length, 3, 'one subscriber left: no change');
    await s2.unsubscribe();
    assert.deepEqual(changes.slice(3), ['-|news|exact']);
    await one!.close();
    await until(() => changes.length === 5, 'the prefix subscription ending with its session');
    assert.deepEqual(changes.slice(4), ['-|news.|prefix']);
  });

  it('never fails a SUBSCRIBE for a backplane whose interest throws', async (t) => {
    const failing: Backplane = {
      start: () => undefined,
      publish: () => undefined,
      close: () => undefined,
      interest: () => {
        throw new Error('broken driver');
      },
    };
    const app = new Application({ backplane: failing });
    app.addTopicRoutes(new TopicRouteSet().route('news', {}));
    const { url } = await serve(app, t);
    const client = await connectClient(url, CLIENTS[0]!);
    t.after(() => client.close());
    const log = new EventLog();
    await subscribe(client, 'news', log.push);
    app.publish('news', { args: [1] });
    await log.waitFor(1);
  });
});

describe('redisBackplane and redisRetainedStore options', () => {
  it('refuses what is not a Redis client, and bad limits, with ERR_INVALID_OPTION', () => {
    const invalid = (error: unknown) => error instanceof ServerwampError && error.code === 'ERR_INVALID_OPTION';
    assert.throws(() => redisBackplane({ client: {} }), invalid);
    assert.throws(() => redisBackplane({ client: null }), invalid);
    assert.throws(() => redisRetainedStore({ client: 'redis://localhost' }), invalid);
    const client = new Redis({ lazyConnect: true });
    assert.throws(() => redisBackplane({ client, heartbeatInterval: 0 }), invalid);
    assert.throws(() => redisRetainedStore({ client, maxTopics: 1.5 }), invalid);
    assert.equal(redisRetainedStore({ client }).scope, 'cluster');
    const shared = redisBackplane({ client });
    const first = new Application({ backplane: shared });
    assert.throws(() => new Application({ backplane: shared }), (error: unknown) => invalid(error) && /one per Application/.test(String(error)));
    void first.close();
    client.disconnect();
  });
});

async function connected(t: TestContext, url: string) {
  const client = await createClient({ url }).on('error', () => undefined).connect();
  t.after(() => client.destroy());
  return client;
}

describe('on a real redis-server', () => {
  it('sends a message to one node and nowhere else (the inbox primitive)', async (t) => {
    if (!redisAvailable(t)) return;
    // Registered first, so run first: the applications close while Redis still runs.
    const apps: Application[] = [];
    const clients: Redis[] = [];
    t.after(async () => {
      await Promise.all(apps.map((app) => app.close()));
      for (const client of clients) client.disconnect();
    });
    const redis = await startRedis(t);
    const planes: RedisBackplane[] = [];
    for (let i = 0; i < 3; i++) {
      const client = new Redis(redis.url);
      clients.push(client);
      const backplane = redisBackplane({ client, heartbeatInterval: 100 });
      planes.push(backplane);
      apps.push(new Application({ backplane }));
    }
    await Promise.all(planes.map((plane) => plane.ready()));
    const received: string[][] = [[], [], []];
    planes.forEach((plane, i) => plane.onNodeMessage((from, message) => received[i]!.push(`${from === apps[0]!.nodeId ? 'app0' : from}:${message}`)));
    await until(() => planes[0]!.nodes.length === 2, 'the other nodes listed');
    assert.equal(await planes[0]!.sendToNode(apps[2]!.nodeId, 'hello\nwith a newline'), true);
    assert.equal(await planes[0]!.sendToNode('no-such-node', 'lost'), false, 'nobody listens: reported, not thrown');
    await until(() => received[2]!.length === 1, 'the message arriving');
    assert.deepEqual(received, [[], [], ['app0:hello\nwith a newline']]);
    for (const plane of planes) assert.deepEqual(plane.stats.decodeErrors, 0);
  });

  it('notices a subscription the client lost without a word (its own inbox check) and subscribes again', async (t) => {
    if (!redisAvailable(t)) return;
    const apps: Application[] = [];
    const clients: { destroy(): void }[] = [];
    t.after(async () => {
      await Promise.all(apps.map((app) => app.close()));
      for (const client of clients) client.destroy();
    });
    const redis = await startRedis(t);
    // A link whose pub/sub connection the test can reach behind the backplane's back.
    let hidden: RedisSubscriber | undefined;
    const planes: RedisBackplane[] = [];
    for (let i = 0; i < 2; i++) {
      const client = await createClient({ url: redis.url }).connect();
      clients.push(client);
      const real = nodeRedisLink(client);
      const link: RedisLink = {
        get ready() {
          return real.ready;
        },
        command: (args) => real.command(args),
        watch: (events) => real.watch(events),
        subscriber: async (listener, events) => (hidden = await real.subscriber(listener, events)),
      };
      planes.push(redisBackplane({ client: i === 0 ? link : client, heartbeatInterval: 100 }));
      apps.push(new Application({ backplane: planes[i]! }));
    }
    await Promise.all(planes.map((plane) => plane.ready()));
    const received: string[] = [];
    planes[0]!.onNodeMessage((_, message) => received.push(message));
    await until(() => planes[1]!.nodes.length === 1, 'the nodes seeing each other');
    assert.equal(await planes[1]!.sendToNode(apps[0]!.nodeId, 'before'), true);
    await until(() => received.length === 1, 'the first message');

    await hidden!.unsubscribe(`serverwamp:inbox:{${apps[0]!.nodeId}}`, false);
    assert.equal(await planes[1]!.sendToNode(apps[0]!.nodeId, 'lost'), false, 'the inbox is gone');
    await until(() => planes[0]!.stats.reconnects >= 1, 'the backplane subscribing again');
    await until(async () => await planes[1]!.sendToNode(apps[0]!.nodeId, 'after'), 'the inbox back');
    await until(() => received.includes('after'), 'delivery again');
    assert.deepEqual(received.filter((m) => m !== 'after'), ['before']);
  });

  it('keeps the retained-store bounds in Redis: 8 per topic, maxTopics per realm, long topics and events refused', async (t) => {
    if (!redisAvailable(t)) return;
    const redis = await startRedis(t);
    const client = await connected(t, redis.url);
    const store = redisRetainedStore({ client, maxTopics: 2, maxTopicLength: 20, maxEventLength: 1000 });
    const event = (topic: string, n: number, audience?: { eligible: number[] }) => ({ topic, publicationId: n, payload: { args: [n] }, ...(audience ? { audience } : {}) });
    await store.retain('', event('t', 0), undefined);
    for (let i = 1; i <= 10; i++) await store.retain('', event('t', i, { eligible: [i] }), JSON.stringify({ eligible: [i] }));
    const [list] = await store.matching('', 't', 'exact');
    assert.deepEqual(list!.map((p) => p.publicationId), [10, 9, 8, 7, 6, 5, 4, 0], 'the newest restricted ones, and the unrestricted one last');
    await store.retain('', event('t', 11), undefined);
    assert.deepEqual((await store.matching('', 't', 'exact'))[0]!.map((p) => p.publicationId), [11], 'an unrestricted event replaces all');

    await store.retain('', event('u', 12), undefined);
    await store.retain('', event('v', 13), undefined);
    assert.deepEqual(await store.matching('', 't', 'exact'), [], 'the topic retained longest ago is forgotten past maxTopics');
    assert.deepEqual((await store.matching('', '', 'prefix')).map((l) => l[0]!.topic).sort(), ['u', 'v']);
    assert.deepEqual(await store.matching('other', 'u', 'exact'), [], 'realms apart');

    await store.retain('', event('x'.repeat(21), 14), undefined);
    await store.retain('', { topic: 'w', publicationId: 15, payload: { args: ['y'.repeat(1000)] } }, undefined);
    assert.equal(store.refused, 2);
    assert.deepEqual(await store.matching('', 'w', 'exact'), []);
    assert.equal(await store.clear('', 'u'), true);
    assert.equal(await store.clear('', 'u'), false);
    await client.sendCommand(['HSET', 'serverwamp:retained:{r:}:events', 'v', '[["", "not an envelope"], 5]']);
    assert.deepEqual(await store.matching('', 'v', 'exact'), []);
    assert.equal(store.decodeErrors, 2, 'a corrupt stored event is skipped and counted');
  });

  it('works with sharded pub/sub (SSUBSCRIBE/SPUBLISH) on one server', async (t) => {
    if (!redisAvailable(t)) return;
    const redis = await startRedis(t);
    const [a, b] = await Promise.all([startNode(t, redis.url, { sharded: true }), startNode(t, redis.url, { sharded: true, client: 'ioredis' })]);
    const probe = await connected(t, redis.url);
    const onB = await connectClient(b.url, CLIENTS[1]!, { realm: 'realm1', authid: 'user.b', authmethods: ['anonymous'] } as { realm: string });
    t.after(() => onB.close());
    const log = new EventLog();
    await subscribe(onB, 'news', log.push);
    await until(async () => (await a.state('news')).nodesFor.includes(b.nodeId), 'interest reaching a');
    assert.deepEqual(await probe.sendCommand(['PUBSUB', 'CHANNELS']), [], 'no classic channel');
    const shard = ((await probe.sendCommand(['PUBSUB', 'SHARDCHANNELS'])) as string[]).sort();
    assert.deepEqual(shard, ['serverwamp:control', `serverwamp:inbox:{${a.nodeId}}`, `serverwamp:inbox:{${b.nodeId}}`].sort());
    for (let i = 0; i < 10; i++) await a.publish('news', { args: [i] });
    await log.waitFor(10);
    assert.deepEqual(log.events.map((e) => e.args[0]), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal((await a.state()).health, 'ok');
  });
});

describe('the session registry in Redis', () => {
  it('writes a burst of sessions as a few commands, not one each ahead of the heartbeat', async (t) => {
    if (!redisAvailable(t)) return;
    const sockets: RawClient[] = [];
    const redis = await startRedis(t);
    const client = await createClient({ url: redis.url }).connect();
    t.after(() => {
      for (const socket of sockets) socket.ws.terminate();
      client.destroy();
    });
    const real = nodeRedisLink(client);
    const written: string[] = [];
    const link: RedisLink = {
      get ready() {
        return real.ready;
      },
      command: (args) => {
        if (args[0] === 'HSET' || args[0] === 'HDEL') written.push(args[0]);
        return real.command(args);
      },
      watch: (events) => real.watch(events),
      subscriber: (listener, events) => real.subscriber(listener, events),
    };
    const backplane = redisBackplane({ client: link });
    const clustered = new Application({ backplane });
    t.after(() => clustered.close());
    await backplane.ready();
    const { url } = await serve(clustered, t);
    written.length = 0;
    const count = 300;
    sockets.push(...(await Promise.all(Array.from({ length: count }, () => RawClient.connect(url)))));
    const welcomes = await Promise.all(sockets.map((socket) => socket.hello()));
    assert.ok(welcomes.every((welcome) => welcome[0] === 2));
    const registry = 'serverwamp:sessions';
    await until(async () => Number(await client.hLen(registry)) === count, `${count} sessions in the registry`);
    const writes = written.filter((c) => c === 'HSET').length;
    assert.ok(writes <= count / 10, `${writes} HSET commands for ${count} sessions`);
    for (const socket of sockets) socket.close();
    await until(async () => Number(await client.hLen(registry)) === 0, 'the registry empty again');
    const removals = written.filter((c) => c === 'HDEL').length;
    assert.ok(removals <= count / 10, `${removals} HDEL commands for ${count} sessions`);
    assert.equal(backplane.health, 'ok');
  });
});

describe('joining the cluster', () => {
  it('a node that starts is known to the running ones at once, not at their next heartbeat', async (t) => {
    if (!redisAvailable(t)) return;
    const apps: Application[] = [];
    const clients: Redis[] = [];
    const redis = await startRedis(t);
    t.after(async () => {
      await Promise.all(apps.map((app) => app.close()));
      for (const client of clients) client.disconnect();
    });
    const planes: RedisBackplane[] = [];
    for (let i = 0; i < 2; i++) {
      const client = new Redis(redis.url);
      clients.push(client);
      // Heartbeats far apart: only the announcement can tell the first node of the second.
      const backplane = redisBackplane({ client, heartbeatInterval: 60_000 });
      planes.push(backplane);
      apps.push(new Application({ backplane }));
      await backplane.ready();
    }
    assert.deepEqual(planes[1]!.nodes, [apps[0]!.nodeId], 'the second node reads the first from the listing');
    await until(() => planes[0]!.nodes.length === 1, 'the first node knowing the second', 5000);
    assert.deepEqual(planes[0]!.nodes, [apps[1]!.nodeId]);
  });
});

describe('the Redis link adapters', () => {
  it('take the real clients as they are (no cast) and refuse anything else with ERR_INVALID_OPTION', () => {
    // Type-checked by npm run typecheck: before, these calls needed a cast to compile.
    const client = createClient();
    const link = nodeRedisLink(client);
    assert.equal(link.ready, false, 'not connected yet');
    const ioredis = new Redis({ lazyConnect: true });
    assert.equal(typeof ioredisLink(ioredis).command, 'function');
    ioredis.disconnect();
    for (const adapt of [nodeRedisLink, ioredisLink, nodeRedisClusterLink]) {
      assert.throws(() => adapt({}), (error: unknown) => error instanceof ServerwampError && error.code === 'ERR_INVALID_OPTION' && error.message.includes(adapt.name));
    }
  });
});
