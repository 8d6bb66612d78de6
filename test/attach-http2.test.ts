/**
 * `attach` takes the `http.Server | https.Server | Http2Server |
 * Http2SecureServer` union that frameworks hand out (`@hono/node-server`'s
 * `serve()`): a secure HTTP/2 server with `allowHTTP1` upgrades HTTP/1.1
 * clients like `https.Server`, so WAMP is served there beside HTTP/2
 * requests; an HTTP/2 server that cannot upgrade is refused at once with
 * `ERR_INVALID_ARGUMENT` naming the fix, rather than serving nothing.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, createSecureServer, createServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import WebSocket from 'ws';
import { Application, RPCRouteSet, ServerwampError } from '../src/index.js';
import { attach } from '../src/node/index.js';
import { requireComponent } from './helpers/system.js';
import { makeTLSMaterial, opensslAvailable } from './helpers/tls.js';

function refusedAsHTTP2(pattern: RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof ServerwampError);
    assert.equal(error.code, 'ERR_INVALID_ARGUMENT');
    assert.match(error.message, /^attach: this HTTP\/2 server cannot upgrade to WebSocket, which needs HTTP\/1\.1/);
    assert.match(error.message, pattern);
    return true;
  };
}

describe('attach to a node:http2 server', () => {
  it('refuses a cleartext HTTP/2 server (it never sees an HTTP/1.1 upgrade)', () => {
    const app = new Application();
    assert.throws(() => attach(app, createServer(), { path: '/ws' }), refusedAsHTTP2(/node:http/));
  });

  it('refuses a secure HTTP/2 server without allowHTTP1, naming the option', (t) => {
    if (!requireComponent(t, opensslAvailable(), 'openssl', 'apt-get install openssl')) return;
    const tls = makeTLSMaterial();
    const app = new Application();
    assert.throws(() => attach(app, createSecureServer({ key: tls.serverKey, cert: tls.serverCert }), { path: '/ws' }), refusedAsHTTP2(/allowHTTP1: true/));
  });

  it('serves WAMP on a secure HTTP/2 server with allowHTTP1, beside its HTTP/2 requests', async (t) => {
    if (!requireComponent(t, opensslAvailable(), 'openssl', 'apt-get install openssl')) return;
    const tls = makeTLSMaterial();
    const server = createSecureServer({ key: tls.serverKey, cert: tls.serverCert, allowHTTP1: true }, (_request, response) => {
      response.end('over http2');
    });
    const app = new Application();
    app.addRPCRoutes(new RPCRouteSet().route('hello', () => 'hello over HTTP/1.1 upgrade'));
    attach(app, server, { path: '/ws', pingInterval: 0 });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    t.after(async () => {
      await app.close({ timeout: 0, goodbyeWait: 0 });
      await new Promise((resolve) => server.close(resolve));
    });
    const port = (server.address() as AddressInfo).port;

    const ws = new WebSocket(`wss://127.0.0.1:${port}/ws`, 'wamp.2.json', { ca: tls.ca });
    await once(ws, 'open');
    ws.send(JSON.stringify([1, 'realm1', { roles: { caller: {} } }]));
    assert.equal(JSON.parse(String((await once(ws, 'message'))[0]))[0], 2);
    ws.send(JSON.stringify([48, 1, {}, 'hello']));
    assert.deepEqual(JSON.parse(String((await once(ws, 'message'))[0])).slice(0, 4), [50, 1, {}, ['hello over HTTP/1.1 upgrade']]);
    ws.close();

    const session = connect(`https://127.0.0.1:${port}`, { ca: tls.ca });
    const stream = session.request({ ':path': '/' });
    stream.setEncoding('utf8');
    let body = '';
    stream.on('data', (chunk: string) => (body += chunk));
    await once(stream, 'end');
    session.close();
    assert.equal(body, 'over http2');
  });
});
