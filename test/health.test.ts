/**
 * `app.health()` and `listen`'s HTTP health path: ready while serving,
 * not ready (503) from the moment `app.close()` starts draining, gone once
 * closed (the server `listen` made closes with the application), and
 * `degraded` but still ready while a Redis backplane cannot reach Redis.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createClient } from 'redis';
import { Application, silentLogger } from '../src/index.js';
import { listen } from '../src/node/index.js';
import { redisBackplane } from '../src/redis/index.js';
import { connectAutobahn } from './helpers/clients.js';
import { drainApp, within } from './helpers/drain.js';
import { redisAvailable, startRedis } from './helpers/redis-server.js';

const BOUND_MS = 30_000;

async function until(check: () => Promise<boolean> | boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function probe(url: string, method = 'GET'): Promise<{ status: number; body: string; cache: string | null }> {
  const response = await fetch(url, { method });
  return { status: response.status, body: await response.text(), cache: response.headers.get('cache-control') };
}

describe('app.health() and the health path of listen', () => {
  it('answers 200 while ready, 503 "draining" as soon as close() starts, and stops answering once closed', async (t) => {
    const drain = drainApp();
    const listening = await listen(drain.app, { port: 0, host: '127.0.0.1', pingInterval: 0, health: '/healthz' });
    t.after(() => listening.close());
    const healthz = `http://127.0.0.1:${listening.port}/healthz`;
    const client = await connectAutobahn(listening.url);
    assert.deepEqual(drain.app.health(), { status: 'ok', ready: true, sessions: 1, connections: 1 });
    const ready = await probe(healthz);
    assert.equal(ready.status, 200);
    assert.deepEqual(JSON.parse(ready.body), { status: 'ok', ready: true, sessions: 1, connections: 1 });
    assert.equal(ready.cache, 'no-store');

    const call = client.session.call('drain.slow');
    await drain.whenEntered(1);
    const closing = drain.app.close({ timeout: BOUND_MS });
    assert.equal(drain.app.health().ready, false, 'not ready from the moment close() is called');
    const draining = await probe(healthz);
    assert.equal(draining.status, 503);
    assert.deepEqual(JSON.parse(draining.body), { status: 'draining', ready: false, sessions: 1, connections: 1 });

    drain.release();
    assert.equal(await within(call, BOUND_MS, 'the call in flight'), 'slow done');
    await within(closing, BOUND_MS, 'close()');
    assert.deepEqual(drain.app.health(), { status: 'closed', ready: false, sessions: 0, connections: 0 });
    assert.equal(listening.server.listening, false, 'app.close() closed the server listen() made');
    await assert.rejects(fetch(healthz), 'nothing listens on the port any more');
  });

  it('answers HEAD without a body, other methods with 405; other paths, and servers without the option, still get 426', async (t) => {
    const app = new Application({ logger: silentLogger });
    const listening = await listen(app, { port: 0, host: '127.0.0.1', pingInterval: 0, health: '/healthz' });
    t.after(() => listening.close());
    const plainApp = new Application({ logger: silentLogger });
    const plain = await listen(plainApp, { port: 0, host: '127.0.0.1', pingInterval: 0 });
    t.after(() => plain.close());
    assert.equal((await probe(`http://127.0.0.1:${plain.port}/healthz`)).status, 426, 'off unless asked for');
    const base = `http://127.0.0.1:${listening.port}`;
    const head = await probe(`${base}/healthz`, 'HEAD');
    assert.deepEqual([head.status, head.body], [200, '']);
    assert.equal((await probe(`${base}/healthz`, 'POST')).status, 405);
    assert.equal((await probe(`${base}/healthz?verbose=1`)).status, 200, 'the query does not matter');
    assert.equal((await probe(`${base}/other`)).status, 426);
  });

  it('rejects a health path that is not a path', async () => {
    const app = new Application({ logger: silentLogger });
    await assert.rejects(listen(app, { health: 'healthz' }), { code: 'ERR_INVALID_OPTION', message: "listen: health must be a URL path starting with '/'" });
  });

  it('reports degraded, still ready, while the Redis backplane cannot reach Redis, and ok again once it can', async (t) => {
    if (!redisAvailable(t)) return;
    const redis = await startRedis(t);
    const client = await createClient({ url: redis.url, socket: { reconnectStrategy: () => 100 } }).connect();
    client.on('error', () => {});
    t.after(() => client.destroy());
    const backplane = redisBackplane({ client, heartbeatInterval: 200 });
    const app = new Application({ logger: silentLogger, backplane });
    const listening = await listen(app, { port: 0, host: '127.0.0.1', pingInterval: 0, health: '/healthz' });
    t.after(() => listening.close());
    const healthz = `http://127.0.0.1:${listening.port}/healthz`;
    await backplane.ready();
    assert.deepEqual(app.health(), { status: 'ok', ready: true, sessions: 0, connections: 0, backplane: 'ok' });

    await redis.stop();
    await until(() => app.health().status === 'degraded', 'the backplane to report degraded');
    const degraded = await probe(healthz);
    assert.equal(degraded.status, 200, 'degraded still serves local sessions');
    assert.deepEqual(JSON.parse(degraded.body), { status: 'degraded', ready: true, sessions: 0, connections: 0, backplane: 'degraded' });

    await redis.start();
    await until(() => app.health().status === 'ok', 'the backplane to recover', 20_000);
    assert.equal((await probe(healthz)).status, 200);
  });
});
