/** Serving WAMP over WebSocket on node:http and node:https, next to other routes. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, get } from 'node:http';
import { createServer as createHTTPSServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import WebSocket, { WebSocketServer } from 'ws';
import { Application, RPCRouteSet, type Logger } from '../src/index.js';
import { connectAutobahn, connectWampy } from './helpers/clients.js';
import { RawClient } from './helpers/raw-client.js';
import { serve } from './helpers/server.js';
import { requireComponent } from './helpers/system.js';
import { makeTLSMaterial, opensslAvailable } from './helpers/tls.js';
import { attach } from '../src/node/index.js';

function whoamiApp(): Application {
  const app = new Application();
  const routes = new RPCRouteSet();
  routes.route('whoami', (request) => {
    const info = request.session.connection.transportInfo;
    return {
      peerAddress: info.peerAddress,
      cookies: { ...info.httpCookies },
      header: info.httpHeaders['x-client'] ?? null,
      path: info.httpPath,
      query: Object.fromEntries(info.httpQuery),
      secure: info.secure,
      protocol: info.protocol,
      certificateSubject: info.peerCertificate?.subject.CN ?? null,
      session: request.session.id,
      realm: request.session.realmName,
    };
  });
  app.addRPCRoutes(routes);
  return app;
}

async function listen(server: ReturnType<typeof createServer>): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

describe('serving', () => {
  it('echoes the subprotocol the client offered first among those it speaks', async (t) => {
    const { url } = await serve(new Application(), t);
    const client = await RawClient.connect(url, ['wamp.2.unknown', 'wamp.2.msgpack', 'wamp.2.json']);
    assert.equal(client.protocol, 'wamp.2.msgpack');
    assert.equal((await client.hello())[0], 2);
    client.close();
  });

  it('refuses an upgrade that offers no supported subprotocol with 400 naming the supported ones', async (t) => {
    const { url } = await serve(new Application(), t);
    for (const protocols of [['mqtt'], []]) {
      await assert.rejects(RawClient.connect(url, protocols), (error: { status?: number; body?: string }) => {
        assert.equal(error.status, 400);
        assert.match(error.body ?? '', /wamp\.2\.json, wamp\.2\.msgpack, wamp\.2\.cbor/);
        return true;
      });
    }
  });

  it('serves WAMP on its path while the same server answers other HTTP requests', async (t) => {
    const server = createServer((_req, res) => res.end('plain http'));
    const app = whoamiApp();
    const endpoint = attach(app, server, { path: '/ws' });
    const port = await listen(server);
    t.after(async () => {
      await endpoint.close();
      server.closeAllConnections();
      server.close();
    });
    assert.deepEqual(await httpGet(`http://127.0.0.1:${port}/anything`), { status: 200, body: 'plain http' });
    const client = await connectAutobahn(`ws://127.0.0.1:${port}/ws`);
    const me = await client.session.call('whoami');
    assert.equal(me.kwargs.path, '/ws');
    await client.close();
    await assert.rejects(RawClient.connect(`ws://127.0.0.1:${port}/elsewhere`), { status: 404 });
  });

  it('leaves upgrades for other paths to other listeners', async (t) => {
    const server = createServer();
    const app = whoamiApp();
    attach(app, server, { path: '/wamp' });
    const echo = new WebSocketServer({ noServer: true });
    server.on('upgrade', (req, socket, head) => {
      if (req.url === '/echo') echo.handleUpgrade(req, socket, head, (ws) => ws.on('message', (m) => ws.send(m)));
    });
    const port = await listen(server);
    t.after(async () => {
      await app.close();
      echo.close();
      server.closeAllConnections();
      server.close();
    });
    const ws = new WebSocket(`ws://127.0.0.1:${port}/echo`);
    await once(ws, 'open');
    ws.send('ping');
    const [reply] = await once(ws, 'message');
    assert.equal(String(reply), 'ping');
    ws.close();
    const client = await connectWampy(`ws://127.0.0.1:${port}/wamp`);
    const result = await client.call('whoami');
    assert.equal(result.argsDict?.['path'], '/wamp');
    await client.disconnect();
  });

  it('exposes peer address, headers, cookies, path and query to procedures', async (t) => {
    const { url } = await serve(whoamiApp(), t);
    const client = await RawClient.connect(`${url}?token=abc&lang=en`, 'wamp.2.json', {
      cookie: 'myName=Jeff; theme="dark"; enc=a%20b',
      'x-client': 'raw-test',
    });
    await client.hello();
    client.send([48, 1, {}, 'whoami']);
    const [, , , , kwargs] = await client.next();
    assert.equal(kwargs.peerAddress, '127.0.0.1');
    assert.deepEqual(kwargs.cookies, { myName: 'Jeff', theme: 'dark', enc: 'a b' });
    assert.equal(kwargs.header, 'raw-test');
    assert.equal(kwargs.path, '/ws');
    assert.deepEqual(kwargs.query, { token: 'abc', lang: 'en' });
    assert.equal(kwargs.secure, false);
    assert.equal(kwargs.protocol, 'wamp.2.json');
    assert.equal(kwargs.certificateSubject, null);
    assert.equal(kwargs.realm, 'realm1');
    client.close();
  });

  it('exposes the TLS client certificate over node:https', async (t) => {
    if (!requireComponent(t, opensslAvailable(), 'openssl', 'apt-get install openssl')) return;
    const tls = makeTLSMaterial();
    const server = createHTTPSServer({ key: tls.serverKey, cert: tls.serverCert, ca: tls.ca, requestCert: true, rejectUnauthorized: false });
    const app = whoamiApp();
    attach(app, server, { path: '/ws' });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    t.after(async () => {
      await app.close();
      server.closeAllConnections();
      server.close();
    });
    const port = (server.address() as AddressInfo).port;
    const ws = new WebSocket(`wss://127.0.0.1:${port}/ws`, 'wamp.2.json', { ca: tls.ca, key: tls.clientKey, cert: tls.clientCert });
    await once(ws, 'open');
    ws.send(JSON.stringify([1, 'realm1', { roles: { caller: {} } }]));
    await once(ws, 'message');
    ws.send(JSON.stringify([48, 1, {}, 'whoami']));
    const [data] = await once(ws, 'message');
    const kwargs = JSON.parse(String(data))[4];
    assert.equal(kwargs.secure, true);
    assert.equal(kwargs.certificateSubject, 'alice');
    ws.close();
  });

  it('answers GOODBYE with GOODBYE and accepts a new HELLO on the same transport', async (t) => {
    const { url } = await serve(whoamiApp(), t);
    const client = await RawClient.connect(url);
    const first = await client.hello();
    client.send([6, {}, 'wamp.close.system_shutdown']);
    assert.deepEqual(await client.next(), [6, {}, 'wamp.close.goodbye_and_out']);
    const second = await client.hello('realm2');
    assert.equal(second[0], 2);
    assert.notEqual(second[1], first[1], 'a new session id');
    assert.equal(second[2].realm, 'realm2');
    client.close();
  });

  it('a session the server closes gets GOODBYE, and autobahn does not reconnect', async (t) => {
    const app = whoamiApp();
    const { url } = await serve(app, t);
    const client = await connectAutobahn(url, { max_retries: 5 });
    const [session] = [...app.sessions];
    session!.close('wamp.close.system_shutdown', 'maintenance');
    const closed = await client.closed;
    assert.equal(closed.reason, 'closed');
    assert.equal(closed.details.reason, 'wamp.close.system_shutdown');
    assert.equal(closed.details.message, 'maintenance');
    assert.equal(closed.details.will_retry, false);
    assert.equal([...app.sessions].length, 0);
  });

  it('app.close() drops connections with 1001 so that clients reconnect elsewhere', async (t) => {
    const app = whoamiApp();
    const { url } = await serve(app, t);
    const client = await RawClient.connect(url);
    await client.hello();
    await app.close();
    const closed = await client.closed;
    assert.equal(closed.code, 1001);
  });

  it('welcomes with the roles, features and identity clients need', async (t) => {
    const { url } = await serve(whoamiApp(), t);
    const client = await RawClient.connect(url);
    const [type, sessionId, details] = await client.hello();
    assert.equal(type, 2);
    assert.ok(Number.isSafeInteger(sessionId) && sessionId >= 1);
    assert.equal(details.realm, 'realm1');
    assert.equal(details.authrole, 'anonymous');
    assert.equal(details.authmethod, 'anonymous');
    assert.equal(details.authprovider, 'static');
    assert.match(details.authid, /^anonymous-/);
    assert.match(details.agent, /^serverwamp-ts\//);
    for (const role of ['dealer', 'broker']) {
      const features = details.roles[role].features;
      assert.equal(typeof features, 'object');
      for (const value of Object.values(features)) assert.equal(value, true);
    }
    client.close();
  });

  it('closes a connection whose client never says HELLO, and one idle after GOODBYE', async (t) => {
    const { url } = await serve(new Application({ helloTimeout: 50 }), t);
    const silent = await RawClient.connect(url);
    assert.deepEqual(await silent.closed, { code: 1000, reason: 'no HELLO' });
    const done = await RawClient.connect(url);
    await done.hello();
    done.send([6, {}, 'wamp.close.normal']);
    assert.equal((await done.next())[0], 6);
    assert.deepEqual(await done.closed, { code: 1000, reason: 'no HELLO' });
  });

  it('refuses the default realm when it is turned off', async (t) => {
    const { url } = await serve(new Application({ allowDefaultRealm: false }), t);
    const client = await RawClient.connect(url);
    const abort = await client.hello('nowhere');
    assert.equal(abort[0], 3);
    assert.equal(abort[2], 'wamp.error.no_such_realm');
    assert.match(abort[1].message, /nowhere/);
  });

  it('logs through any pino-shaped logger with session bindings', async (t) => {
    const records: Array<{ level: string; bindings: Record<string, unknown>; obj: unknown; msg: unknown }> = [];
    const make = (bindings: Record<string, unknown>): Logger => {
      const log = (level: string) => (obj: unknown, msg?: unknown) => void records.push({ level, bindings, obj, msg });
      return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), child: (more) => make({ ...bindings, ...more }) };
    };
    const app = new Application({ logger: make({}) });
    const routes = new RPCRouteSet();
    routes.route('boom', () => {
      throw new Error('kaboom');
    });
    app.addRPCRoutes(routes);
    const { url } = await serve(app, t);
    const client = await connectAutobahn(url);
    await assert.rejects(client.session.call('boom'));
    await client.close();
    const failure = records.find((r) => r.level === 'error');
    assert.ok(failure, 'the failure was logged');
    assert.equal((failure.obj as { err: Error }).err.message, 'kaboom');
    assert.equal(typeof failure.bindings['session'], 'number');
    assert.equal(failure.bindings['peer'], '127.0.0.1');
    assert.ok(records.some((r) => r.level === 'debug' && r.msg === 'session established'));
  });
});
