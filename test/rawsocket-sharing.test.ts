/**
 * RawSocket and HTTP on one port: the first octet (0x7F) tells them apart,
 * so plain HTTP, WebSocket WAMP and RawSocket WAMP are served side by side,
 * over TCP and over TLS.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingMessage, type Server as HTTPServer } from 'node:http';
import { createServer as createHTTPSServer, request as httpsRequest, type Server as HTTPSServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { describe, it, type TestContext } from 'node:test';
import { Application, RPCRouteSet } from '../src/index.js';
import { connectAutobahn } from './helpers/clients.js';
import { RawClient } from './helpers/raw-client.js';
import { RawSocketClient } from './helpers/rawsocket-client.js';
import { requireComponent } from './helpers/system.js';
import { makeTLSMaterial, opensslAvailable } from './helpers/tls.js';
import { attach, listen, type AttachOptions } from '../src/node/index.js';

function echoApp(): Application {
  const app = new Application();
  app.addRPCRoutes(
    new RPCRouteSet().route('transport', (request) => {
      const info = request.session.connection.transportInfo;
      return `${info.httpPath === '' ? 'rawsocket' : 'websocket'} ${info.secure ? 'secure' : 'plain'}`;
    }),
  );
  return app;
}

/** Sends an HTTP request with `body`; resolves to the status and the response body. */
function send(
  port: number,
  options: { method?: string; path?: string; body?: Buffer; tls?: { ca: Buffer } } = {},
): Promise<{ status: number; body: string }> {
  const { method = 'GET', path = '/', body, tls } = options;
  return new Promise((resolve, reject) => {
    const onResponse = (res: IncomingMessage): void => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    };
    const request = tls
      ? httpsRequest({ host: '127.0.0.1', port, method, path, ca: tls.ca }, onResponse)
      : httpRequest({ host: '127.0.0.1', port, method, path }, onResponse);
    request.on('error', reject);
    request.end(body);
  });
}

/** Attaches `app` to `server` at /ws with `rawSocket`, listens on a free port, and cleans up after `t`. */
async function attachAndListen(
  t: TestContext,
  app: Application,
  server: HTTPServer | HTTPSServer,
  rawSocket: NonNullable<AttachOptions['rawSocket']>,
): Promise<number> {
  const endpoint = attach(app, server, { path: '/ws', pingInterval: 0, rawSocket });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(async () => {
    await app.close();
    await endpoint.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return (server.address() as AddressInfo).port;
}

describe('RawSocket sharing the HTTP port', () => {
  it('listen(app, { rawSocket: true }) serves HTTP, WebSocket and RawSocket clients at once on one port', async (t) => {
    const app = echoApp();
    const listening = await listen(app, { port: 0, rawSocket: true, pingInterval: 0 });
    t.after(async () => {
      await app.close();
      await listening.close();
    });
    assert.equal(listening.rawSocketUrl, `rs://127.0.0.1:${listening.port}`);
    const [http, ws, rs] = await Promise.all([
      send(listening.port),
      connectAutobahn(listening.url),
      connectAutobahn('', { transports: [{ type: 'rawsocket', host: '127.0.0.1', port: listening.port }] }),
    ]);
    assert.equal(http.status, 426);
    assert.equal(await ws.session.call('transport'), 'websocket plain');
    assert.equal(await rs.session.call('transport'), 'rawsocket plain');
    await Promise.all([ws.close(), rs.close()]);
  });

  it('attach(app, server, { rawSocket }) keeps the server routes, request bodies included', async (t) => {
    const app = echoApp();
    const server = createServer((request, response) => {
      let length = 0;
      request.on('data', (chunk: Buffer) => (length += chunk.length));
      request.on('end', () => response.end(`${request.method} ${request.url} ${length}`));
    });
    const port = await attachAndListen(t, app, server, { maxMessageLength: 2 ** 16 });

    const upload = Buffer.alloc(3 * 1024 * 1024, 0x61);
    assert.deepEqual(await send(port, { method: 'POST', path: '/upload', body: upload }), {
      status: 200,
      body: `POST /upload ${upload.length}`,
    });
    const ws = await RawClient.connect(`ws://127.0.0.1:${port}/ws`);
    assert.equal((await ws.hello())[0], 2);
    const rs = await RawSocketClient.connect(port);
    rs.write(Buffer.from([0x7f, 0xf1, 0, 0]));
    assert.deepEqual([...(await rs.handshakeReply())], [0x7f, 0x71, 0, 0], 'the RawSocket options apply');
    assert.equal((await rs.hello())[0], 2);
    ws.close();
    rs.close();
  });

  it('gives the port back to HTTP alone when the endpoint is closed', async (t) => {
    const app = echoApp();
    const server = createServer((_request, response) => response.end('plain http'));
    const endpoint = attach(app, server, { path: '/ws', rawSocket: true });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    t.after(() => new Promise((resolve) => server.close(resolve)));
    const port = (server.address() as AddressInfo).port;
    await endpoint.close();
    assert.deepEqual(await send(port), { status: 200, body: 'plain http' });
    const rs = await RawSocketClient.connect(port);
    rs.write(Buffer.from([0x7f, 0xf1, 0, 0]));
    await rs.closed;
    assert.equal(server.listenerCount('connection'), 1);
  });

  it('on an https server, serves RawSocket over TLS next to HTTPS', async (t) => {
    if (!requireComponent(t, opensslAvailable(), 'openssl', 'apt-get install openssl')) return;
    const tls = makeTLSMaterial();
    const app = echoApp();
    const server = createHTTPSServer({ key: tls.serverKey, cert: tls.serverCert }, (_request, response) => response.end('https ok'));
    const port = await attachAndListen(t, app, server, true);
    assert.deepEqual(await send(port, { tls: { ca: tls.ca } }), { status: 200, body: 'https ok' });
    const rs = await RawSocketClient.open(port, { tls: { ca: tls.ca, servername: '127.0.0.1' } });
    assert.equal((await rs.hello())[0], 2);
    rs.send([48, 1, {}, 'transport']);
    assert.deepEqual((await rs.next())[3], ['rawsocket secure']);
    rs.close();
  });
});
