/**
 * A Hono app on Node (`@hono/node-server`'s `serve`) with WAMP at `/ws`:
 * `attach` from serverwamp/node takes the http/http2 union `serve()`
 * returns, and the shared transport suite and the Hono checks run against it.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { Application } from '../src/index.js';
import { attach } from '../src/node/index.js';
import { connectAutobahn } from './helpers/clients.js';
import { honoSuite } from './helpers/hono-suite.js';
import { RawClient } from './helpers/raw-client.js';
import { suiteApp } from './helpers/suite-app.js';
import { transportSuite } from './helpers/transport-suite.js';

/** Closes at once: the suite tests draining itself (GOODBYE on app.close()). */
const TEARDOWN = { timeout: 0, goodbyeWait: 0 } as const;

async function honoOnNode(app: Application, t: Pick<TestContext, 'after'>): Promise<{ url: string }> {
  const hono = new Hono()
    .get('/', (c) => c.text('Hono on node beside WAMP'))
    .get('/healthz', (c) => {
      const health = app.health();
      return c.json(health, health.ready ? 200 : 503);
    });
  const server = serve({ fetch: hono.fetch, port: 0, hostname: '127.0.0.1' });
  // No cast: attach takes the http | http2 union serve() returns.
  attach(app, server, { path: '/ws', pingInterval: 0 });
  await once(server, 'listening');
  t.after(async () => {
    await app.close(TEARDOWN);
    await new Promise((resolve) => server.close(resolve));
  });
  return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws` };
}

transportSuite({
  name: 'WebSocket',
  jsonProtocol: 'wamp.2.json',
  webSocket: true,
  async serve(app, t) {
    const { url } = await honoOnNode(app, t);
    return { url, autobahn: () => connectAutobahn(url, { serializer: 'json' }), raw: () => RawClient.connect(url, 'wamp.2.json') };
  },
});

honoSuite('Node (@hono/node-server)', 'client', (t) => honoOnNode(suiteApp(), t));
