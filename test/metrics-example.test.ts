/**
 * examples/metrics.ts: after real client traffic, a scrape of `/metrics`
 * over HTTP returns the Prometheus text with what the clients did.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '../src/index.js';
import { createMetricsApp, startMetricsExample } from '../examples/metrics.js';
import { connectAutobahn, connectWampy } from './helpers/clients.js';
import { parseExposition, scraped } from './helpers/prometheus.js';

test('the example serves /metrics over HTTP next to WAMP, counting autobahn-js and wampy traffic', async (t) => {
  const app = createMetricsApp(silentLogger);
  const running = await startMetricsExample(app);
  t.after(() => running.close());
  const base = `http://127.0.0.1:${running.port}`;
  const url = `ws://127.0.0.1:${running.port}/ws`;

  const ab = await connectAutobahn(url);
  const wampy = await connectWampy(url, { serializer: 'msgpack' });
  assert.equal(await ab.session.call('math.add', [2, 3]), 5);
  await assert.rejects(ab.session.call('math.divide', [1, 0]), { error: 'app.error.division_by_zero' });
  for (let id = 0; id < 5; id++) await wampy.call(`users.u${id}.profile`);
  let ticks = 0;
  await new Promise<void>((resolve, reject) => {
    const onTick = (): void => {
      if (++ticks === 2) resolve();
    };
    wampy.subscribe('ticks', onTick).then(() => {
      app.publish('ticks', { args: [1] });
      app.publish('ticks', { args: [2] });
    }, reject);
  });

  const response = await fetch(`${base}/metrics`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  const text = await response.text();
  assert.ok(parseExposition(text).length >= 12);
  assert.equal(scraped(text, 'serverwamp_sessions_open', { realm: '(default)', transport: 'websocket' }), 2);
  assert.equal(scraped(text, 'serverwamp_calls_total', { procedure: 'math.add', outcome: 'ok' }), 1);
  assert.equal(scraped(text, 'serverwamp_calls_total', { procedure: 'math.divide', error: 'app.error.division_by_zero' }), 1);
  assert.equal(scraped(text, 'serverwamp_calls_total', { procedure: 'users..profile', outcome: 'ok' }), 5);
  assert.doesNotMatch(text, /users\.u\d/);
  assert.equal(scraped(text, 'serverwamp_events_delivered_total', { realm: '(default)' }), 2);
  assert.ok(scraped(text, 'serverwamp_received_bytes_total', { transport: 'websocket' }) > 0);

  assert.equal((await fetch(`${base}/other`)).status, 404);
  await ab.close();
  await wampy.disconnect();
});
