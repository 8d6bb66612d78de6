/**
 * A Hono app on Node (`@hono/node-server`'s `serve`) with WAMP at `/ws`:
 * `attach` from serverwamp/node takes the http/http2 union `serve()`
 * returns, and the shared transport suite and the Hono checks run against it.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it, type TestContext } from 'node:test';
import { serve, upgradeWebSocket, type WebSocketServerLike } from '@hono/node-server';
import { Hono } from 'hono';
import { WebSocketServer } from 'ws';
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

honoSuite('Node (@hono/node-server)', (t) => honoOnNode(suiteApp(), t));

/** The status answered to a WebSocket upgrade of `url`, or `'no answer'` after `ms` (the request is then destroyed). */
function upgradeStatus(url: string, ms: number): Promise<number | 'no answer'> {
  return new Promise((resolve, reject) => {
    const request = get(url.replace(/^ws:/, 'http:'), {
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-protocol': 'wamp.2.json' },
    });
    const timer = setTimeout(() => {
      request.destroy();
      resolve('no answer');
    }, ms);
    const answered = (status: number | undefined): void => {
      clearTimeout(timer);
      request.destroy();
      resolve(status ?? 0);
    };
    request.once('upgrade', (response) => answered(response.statusCode));
    request.once('response', (response) => answered(response.statusCode));
    request.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

describe("Hono's own WebSockets beside WAMP on Node (serve({ websocket }))", () => {
  it('each serves its paths, and an upgrade to a path neither serves is refused, not held open', { timeout: 60_000 }, async (t) => {
    const app = suiteApp();
    const hono = new Hono().get(
      '/echo',
      upgradeWebSocket(() => ({
        onMessage: (event, ws) => ws.send(String(event.data)),
      })),
    );
    // ws's own types mark noServer optional, Hono's require it (exactOptionalPropertyTypes).
    const wss = new WebSocketServer({ noServer: true }) as unknown as WebSocketServerLike;
    const server = serve({ fetch: hono.fetch, port: 0, hostname: '127.0.0.1', websocket: { server: wss } });
    attach(app, server, { path: '/ws', pingInterval: 0 });
    await once(server, 'listening');
    const peers: RawClient[] = [];
    t.after(async () => {
      for (const peer of peers) peer.ws.terminate();
      await app.close(TEARDOWN);
      await new Promise((resolve) => server.close(resolve));
    });
    const base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const wamp = await RawClient.connect(`${base}/ws`, ['chat', 'wamp.2.json']);
    peers.push(wamp);
    assert.equal(wamp.protocol, 'wamp.2.json');
    assert.equal((await wamp.hello())[0], 2);
    const echo = await RawClient.connect(`${base}/echo`, 'chat');
    peers.push(echo);
    echo.sendRaw('["echoed"]');
    assert.deepEqual(await echo.next(), ['echoed']);
    // Both listeners leave /nowhere to the other: serverwamp refuses it once nothing has answered (10 s).
    assert.equal(await upgradeStatus(`${base}/nowhere`, 30_000), 404);
  });
});
