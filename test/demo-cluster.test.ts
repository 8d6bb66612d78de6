/**
 * `REDIS_URL=… npm start` twice: two demo processes on one real redis-server
 * behave as one application. Chat crosses nodes, a document change made on
 * one node reaches subscribers on the other (and the document itself is
 * shared), and each node lists who is online on both, by name, live.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it, type TestContext } from 'node:test';
import { chromium } from 'playwright-core';
import type { Wampy } from 'wampy';
import { connectAutobahn, connectWampy, type AutobahnClient } from './helpers/clients.js';
import { startDemo, type DemoProcess } from './helpers/demo-process.js';
import { redisAvailable, startRedis, type RedisServer } from './helpers/redis-server.js';
import { requireComponent } from './helpers/system.js';

const CHROMIUM = '/usr/bin/chromium';
const DEADLINE_MS = 15_000;

/** Retries `attempt` every 100 ms until `done()` or the deadline: a new subscription reaches the other node within one Redis round trip, normally. */
async function until(what: string, done: () => boolean | Promise<boolean>, attempt: () => Promise<unknown> = async () => {}): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  for (let tries = 0; !(await done()); tries++) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${DEADLINE_MS} ms (${tries} tries)`);
    await attempt();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Names online as autobahn sees them on its node: wamp.session.list, then get of each. */
async function namesSeenByAutobahn(client: AutobahnClient): Promise<string[]> {
  const ids: number[] = await client.session.call('wamp.session.list');
  const details = await Promise.all(ids.map((id) => client.session.call('wamp.session.get', [id])));
  return details.map((d: { authid: string }) => d.authid).sort();
}

async function namesSeenByWampy(wampy: Wampy): Promise<string[]> {
  const list = await wampy.call('wamp.session.list');
  const ids = list.argsList![0] as number[];
  const details = await Promise.all(ids.map((id) => wampy.call('wamp.session.get', { argsList: [id] })));
  return details.map((d) => (d.argsList![0] as { authid: string }).authid).sort();
}

/** wampy sends an authid only with authmethods and a challenge callback; the demo never challenges. */
function connectNamedWampy(url: string, name: string): Promise<Wampy> {
  return connectWampy(url, { serializer: 'msgpack', authid: name, authmethods: ['anonymous'], onChallenge: () => '' });
}

async function twoNodes(t: TestContext): Promise<[DemoProcess, DemoProcess, RedisServer] | undefined> {
  if (!redisAvailable(t)) return undefined;
  const redis = await startRedis(t);
  const [a, b] = await Promise.all([startDemo(t, { REDIS_URL: redis.url }), startDemo(t, { REDIS_URL: redis.url })]);
  return [a, b, redis];
}

describe('the demo as a cluster (REDIS_URL set)', () => {
  it('says which mode and node it runs as', async (t) => {
    const nodes = await twoNodes(t);
    if (nodes === undefined) return;
    const ids = [nodes[0], nodes[1]].map(({ banner }) => /Cluster mode: node ([0-9a-f]{8}) joined through the Redis at redis:\/\/127\.0\.0\.1:\d+/.exec(banner)?.[1]);
    assert.ok(ids[0] !== undefined && ids[1] !== undefined, `cluster banners: ${nodes[0].banner} | ${nodes[1].banner}`);
    assert.notEqual(ids[0], ids[1]);
    const single = await startDemo(t, { REDIS_URL: '' });
    assert.match(single.banner, /Single process \(node [0-9a-f]{8}\); set REDIS_URL/);
  });

  it('an unreachable REDIS_URL: one clear line, no password, no stack trace, exit code 1', async (t) => {
    await assert.rejects(startDemo(t, { REDIS_URL: 'redis://demo:hunter2@127.0.0.1:1' }), (error: Error) => {
      assert.match(error.message, /exited with 1/);
      assert.match(error.message, /Cannot join the cluster: the Redis at redis:\/\/127\.0\.0\.1:1 is not reachable \(connect ECONNREFUSED/);
      assert.doesNotMatch(error.message, /hunter2|\n\s+at /);
      return true;
    });
  });

  it('chat crosses nodes again after Redis restarts, without restarting the demo', async (t) => {
    const nodes = await twoNodes(t);
    if (nodes === undefined) return;
    const [a, b, redis] = nodes;
    const ann = await connectAutobahn(a.url, { authid: 'Ann' });
    t.after(() => ann.close());
    const bob = await connectNamedWampy(b.url, 'Bob');
    t.after(() => bob.disconnect());
    const heard: unknown[] = [];
    await bob.subscribe('chat.room', (event) => void heard.push(event.argsList?.[0]));
    const say = (text: string) => () => ann.session.publish('chat.room', [text], {}, { acknowledge: true });
    await until('chat before the restart', () => heard.includes('before'), say('before'));
    await redis.stop();
    await redis.start();
    await until('chat after the restart', () => heard.includes('after'), say('after'));
  });

  it('chat, document changes and who is online cross nodes: autobahn-js on A, wampy on B', async (t) => {
    const nodes = await twoNodes(t);
    if (nodes === undefined) return;
    const [a, b] = nodes;
    const ann = await connectAutobahn(a.url, { authid: 'Ann' });
    t.after(() => ann.close());
    const bob = await connectNamedWampy(b.url, 'Bob');
    t.after(() => bob.disconnect());
    assert.equal(ann.details.authid, 'Ann');

    // Who is online: both names on both nodes (the meta API answers for the cluster, once each node
    // has listed the other: within a heartbeat of its start).
    let seenOnA: string[] = [];
    let seenOnB: string[] = [];
    await until('both names listed on both nodes', async () => {
      [seenOnA, seenOnB] = await Promise.all([namesSeenByAutobahn(ann), namesSeenByWampy(bob)]);
      return seenOnA.length === 2 && seenOnB.length === 2;
    });
    assert.deepEqual(seenOnA, ['Ann', 'Bob']);
    assert.deepEqual(seenOnB, ['Ann', 'Bob']);

    // …and live: Ann on A hears Cyd join B and leave it, by name.
    const joined: string[] = [];
    const left: number[] = [];
    await ann.session.subscribe('wamp.session.on_join', ([details]: [{ authid: string }]) => joined.push(details.authid));
    await ann.session.subscribe('wamp.session.on_leave', ([id]: [number]) => left.push(id));
    // Node B sends A the publications A is interested in once it has read A's new interest (one Redis
    // round trip, docs/scaling.md): a join before that is not heard on A. Probe sessions join B until one is.
    await until(
      'on_join of a probe session on node A',
      () => joined.includes('Probe'),
      async () => (await connectAutobahn(b.url, { authid: 'Probe' })).close(),
    );
    const cyd = await connectAutobahn(b.url, { authid: 'Cyd' });
    await until('on_join of Cyd on node A', () => joined.includes('Cyd'));
    assert.deepEqual(await namesSeenByAutobahn(ann), ['Ann', 'Bob', 'Cyd']);
    const cydId: number = cyd.session.id;
    await cyd.close();
    await until('on_leave of Cyd on node A', () => left.includes(cydId));
    assert.deepEqual(await namesSeenByAutobahn(ann), ['Ann', 'Bob']);

    // Chat: Ann on A publishes, Bob on B receives it under her name.
    const heard: Array<{ text: unknown; from: unknown }> = [];
    await bob.subscribe('chat.room', (event) => void heard.push({ text: event.argsList?.[0], from: event.details?.['publisher_authid'] }));
    await until(
      'a chat message from node A on node B',
      () => heard.length > 0,
      () => ann.session.publish('chat.room', ['hi from A'], {}, { acknowledge: true, disclose_me: true }),
    );
    assert.deepEqual(heard[0], { text: 'hi from A', from: 'Ann' });

    // A document change made on B reaches Ann's prefix subscription on A, and A reads the new text.
    const changes: Array<{ topic: string; kwargs: Record<string, unknown> }> = [];
    await ann.session.subscribe('docs.changes', (_args: unknown, kwargs: Record<string, unknown>, details: { topic: string }) => changes.push({ topic: details.topic, kwargs }), {
      match: 'prefix',
    });
    let version = 0;
    await until(
      'a document change from node B on node A',
      () => changes.length > 0,
      async () => void (await bob.call('docs.updateDocument', { argsList: ['readme', `edited on B (${++version})`] })),
    );
    assert.equal(changes[0]!.topic, 'docs.changes.readme');
    assert.equal(changes[0]!.kwargs['change'], 'updated');
    assert.equal(changes[0]!.kwargs['byName'], 'Bob');
    const read = await ann.session.call('docs.getDocument', ['readme']);
    assert.equal(read.kwargs.document.body, `edited on B (${version})`);
  });

  it('the page on node B shows the user of node A online (headless Chromium)', async (t) => {
    if (!requireComponent(t, existsSync(CHROMIUM), 'Chromium', 'apt-get install chromium')) return;
    const nodes = await twoNodes(t);
    if (nodes === undefined) return;
    const [a, b] = nodes;
    const ann = await connectAutobahn(a.url, { authid: 'Ann' });
    t.after(() => ann.close());
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    t.after(() => browser.close());
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(b.origin);
    await page.locator('#status.connected').waitFor({ timeout: DEADLINE_MS });
    await page.locator('#online li', { hasText: 'Ann' }).waitFor({ timeout: DEADLINE_MS });
    await page.locator('#node', { hasText: /you are on node [0-9a-f]{8}/ }).waitFor({ timeout: DEADLINE_MS });

    // Ann's chat message from node A appears on the page of node B; Ann leaving A takes her off the list.
    await until(
      'the page on B showing a chat message from A',
      async () => (await page.locator('#messages li', { hasText: 'Ann: hello page' }).count()) > 0,
      () => ann.session.publish('chat.room', ['hello page'], {}, { acknowledge: true, disclose_me: true }),
    );
    await ann.close();
    await page.locator('#online li', { hasText: 'Ann' }).waitFor({ state: 'detached', timeout: DEADLINE_MS });
    assert.deepEqual(errors, []);
  });
});
