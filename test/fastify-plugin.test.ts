/**
 * The Fastify plugin serves WAMP next to Fastify's routes: other upgrade
 * paths are refused (never left hanging), registration inside an
 * encapsulated context serves the whole instance, an HTTP/2 instance that
 * allows HTTP/1.1 serves wss, and a cookie issued by a
 * Fastify route reaches a transport authenticator through transport info.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import WebSocket from 'ws';
import { Application, RPCRouteSet, type PendingSession } from '../src/index.js';
import { serverwamp } from '../src/fastify/index.js';
import { join, refusal } from './helpers/auth.js';
import { connectAutobahn } from './helpers/clients.js';
import { serveFastify } from './helpers/fastify.js';
import { within } from './helpers/pubsub.js';
import { RawClient } from './helpers/raw-client.js';
import { requireComponent } from './helpers/system.js';
import { makeTLSMaterial, opensslAvailable } from './helpers/tls.js';

function mathApp(): Application {
  return new Application().addRPCRoutes(new RPCRouteSet().route('math.add', { params: ['a', 'b'] }, ({ a, b }) => Number(a) + Number(b)));
}

describe('the Fastify plugin', () => {
  it('serves WAMP at its path and Fastify routes on the same port', async (t) => {
    const { url, origin } = await serveFastify(mathApp(), t, { plugin: { path: '/wamp' } });
    assert.equal(new URL(url).pathname, '/wamp');
    const client = await connectAutobahn(url);
    t.after(() => client.close());
    assert.equal(await client.session.call('math.add', [2, 3]), 5);
    const response = await fetch(`${origin}/hello`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { hello: 'from fastify' });
  });

  it('refuses a WebSocket upgrade on another path with 404 instead of leaving it open', async (t) => {
    const { origin } = await serveFastify(mathApp(), t);
    const refused = RawClient.connect(`${origin.replace('http:', 'ws:')}/elsewhere`, 'wamp.2.json');
    await assert.rejects(within(refused, 10_000, 'the answer to an upgrade on another path'), (error: any) => {
      assert.equal(error.status, 404);
      return true;
    });
  });

  it('serves the whole instance when registered inside an encapsulated context, and drains on the root close', async () => {
    const app = mathApp();
    const fastify = Fastify();
    await fastify.register(async (child) => {
      await child.register(serverwamp(app), { path: '/ws', pingInterval: 0 });
    });
    try {
      await fastify.listen({ port: 0, host: '127.0.0.1' });
      const { port } = fastify.server.address() as { port: number };
      const client = await connectAutobahn(`ws://127.0.0.1:${port}/ws`);
      assert.equal(await client.session.call('math.add', [1, 1]), 2);
      assert.match(fastify.printPlugins(), /serverwamp/);
      await within(fastify.close(), 15_000, 'fastify.close()');
      const closed = await within(client.closed, 10_000, 'the GOODBYE');
      assert.equal(closed.details.reason, 'wamp.close.system_shutdown');
    } finally {
      await app.close({ timeout: 0, goodbyeWait: 0 });
      await fastify.close();
    }
  });

  it('serves wss on an HTTP/2 instance that allows HTTP/1.1 (https: { allowHTTP1: true })', async (t) => {
    if (!requireComponent(t, opensslAvailable(), 'openssl', 'apt-get install openssl')) return;
    const tls = makeTLSMaterial();
    const app = mathApp();
    const fastify = Fastify({ http2: true, https: { allowHTTP1: true, key: tls.serverKey, cert: tls.serverCert } });
    t.after(async () => {
      await app.close({ timeout: 0, goodbyeWait: 0 });
      await fastify.close();
    });
    await fastify.register(serverwamp(app), { pingInterval: 0 });
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    const { port } = fastify.server.address() as { port: number };
    const ws = new WebSocket(`wss://127.0.0.1:${port}/ws`, 'wamp.2.json', { ca: tls.ca });
    t.after(() => ws.terminate());
    const messages: unknown[][] = [];
    const received = new Promise<void>((resolve) =>
      ws.on('message', (data: Buffer) => {
        messages.push(JSON.parse(data.toString()) as unknown[]);
        if (messages.length === 2) resolve();
      }),
    );
    await within(once(ws, 'open'), 10_000, 'the wss upgrade');
    ws.send(JSON.stringify([1, 'realm1', { roles: { caller: {} } }]));
    ws.send(JSON.stringify([48, 1, {}, 'math.add', [20, 22]]));
    await within(received, 10_000, 'WELCOME and RESULT');
    assert.equal(messages[0]![0], 2);
    assert.deepEqual(messages[1], [50, 1, {}, [42]]);
  });

  it('authenticates a session by the cookie a Fastify route issued, and refuses one without it', async (t) => {
    const logins = new Map<string, string>();
    const app = mathApp().addTransportAuthenticator((session: PendingSession) => {
      const user = logins.get(session.transportInfo.httpCookies['sid'] ?? '');
      return user === undefined ? undefined : { authid: user, authrole: 'member', authmethod: 'cookie' };
    });
    const { url, origin } = await serveFastify(app, t, {
      plugin: { allowedOrigins: ['https://app.example'] },
      setup(fastify) {
        fastify.post<{ Body: { user: string } }>('/login', async (request, reply) => {
          const sid = randomUUID();
          logins.set(sid, request.body.user);
          void reply.header('set-cookie', `sid=${sid}; Path=/; HttpOnly; SameSite=Strict`);
          return { ok: true };
        });
      },
    });
    const login = await fetch(`${origin}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'ada' }) });
    assert.equal(login.status, 200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const kind = { client: 'wampy', serializer: 'json' } as const;
    const joined = await join(url, kind, { headers: { cookie, origin: 'https://app.example' } });
    assert.equal(joined.details['authid'], 'ada');
    assert.equal(joined.details['authmethod'], 'cookie');
    await joined.close();
    const refused = await refusal(url, kind, { headers: { cookie: 'sid=forged', origin: 'https://app.example' } });
    assert.equal(refused.reason, 'wamp.error.authentication_failed');
    // The cookie alone is not enough from a page of another origin.
    await assert.rejects(RawClient.connect(url, 'wamp.2.json', { cookie, origin: 'https://evil.example' }), (error: any) => error.status === 403);
  });
});
