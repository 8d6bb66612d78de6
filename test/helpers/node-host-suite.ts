/**
 * One Node host (node:http, node:https, Express 5, Koa) serving WAMP with
 * `attach(app, server, { path: '/ws' })` beside its own routes: the shared
 * transport suite on it, and what a host adds: its routes and middleware keep
 * working on the same port, a session cookie it issued authenticates a WAMP
 * session, `server.close()` shuts both down gracefully, and hostile upgrades
 * are refused without harm to it.
 */
import assert from 'node:assert/strict';
import { Agent as HTTPAgent } from 'node:http';
import { Agent as HTTPSAgent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { describe, it, type TestContext } from 'node:test';
import { join, refusal } from './auth.js';
import { connectAutobahn } from './clients.js';
import { hostedApp, SESSION_COOKIE, type SessionStore } from './host-api.js';
import { requestText } from './http-request.js';
import { closeQuietly, hostTLS, startHost, type NodeHost, type NodeHostKind } from './node-hosts.js';
import { deferred, within } from './pubsub.js';
import { RawClient } from './raw-client.js';
import { openRaw, rawExchange } from './raw-http.js';
import { transportSuite } from './transport-suite.js';

const WAMPY_JSON = { client: 'wampy', serializer: 'json' } as const;

/** The host's API answers, with its middleware's header. */
async function assertAPIServes(host: NodeHost, kind: NodeHostKind): Promise<void> {
  const hello = await requestText(`${host.origin}/api/hello`);
  assert.equal(hello.status, 200);
  assert.deepEqual(JSON.parse(hello.body), { hello: 'world', host: kind });
  assert.equal(hello.headers['x-served-by'], kind);
}

/** A WAMP call over autobahn-js answers. */
async function assertWAMPServes(url: string, t: TestContext): Promise<void> {
  const client = await connectAutobahn(url);
  t.after(() => client.close());
  const result = await client.session.call('whoami');
  assert.equal(result.kwargs.authrole, 'anonymous');
}

export function nodeHostSuite(kind: NodeHostKind, label: string): void {
  describe(label, () => {
    transportSuite({
      name: 'WebSocket',
      jsonProtocol: 'wamp.2.json',
      webSocket: true,
      async serve(app, t) {
        const { url } = await startHost(kind, app, t);
        return { url, autobahn: () => connectAutobahn(url, { serializer: 'json' }), raw: () => RawClient.connect(url, 'wamp.2.json') };
      },
    });

    describe(`${label} serving its own routes beside WAMP`, () => {
      it('answers its routes through its middleware on the port WAMP is served on at /ws', async (t) => {
        const host = await startHost(kind, hostedApp(new Map()), t);
        await assertAPIServes(host, kind);
        assert.equal((await requestText(`${host.origin}/api/missing`)).status, 404);
        // A plain GET of the WAMP path is the host's too: only upgrades go to serverwamp.
        assert.equal((await requestText(`${host.origin}/ws`)).status, 404);
        await assertWAMPServes(host.url, t);
        await assertAPIServes(host, kind);
      });

      it('authenticates a WAMP session with the session cookie its login route issued', async (t) => {
        const sessions: SessionStore = new Map();
        const host = await startHost(kind, hostedApp(sessions), t, { sessions });
        const login = await requestText(`${host.origin}/api/login?user=ada`, { method: 'POST' });
        assert.equal(login.status, 200);
        const setCookie = login.headers['set-cookie']?.[0] ?? '';
        assert.match(setCookie, /HttpOnly/i);
        const cookie = setCookie.split(';')[0]!;
        assert.ok(cookie.startsWith(`${SESSION_COOKIE}=`), setCookie);

        const joined = await join(host.url, WAMPY_JSON, { realm: 'members', headers: { cookie: `theme=dark; ${cookie}` } });
        assert.equal(joined.details['authid'], 'ada');
        assert.equal(joined.details['authrole'], 'member');
        assert.equal(joined.details['authmethod'], 'cookie');
        await joined.close();

        const forged = await refusal(host.url, WAMPY_JSON, { realm: 'members', headers: { cookie: `${SESSION_COOKIE}=${'0'.repeat(32)}` } });
        assert.equal(forged.reason, 'wamp.error.authentication_failed');
        const none = await refusal(host.url, WAMPY_JSON, { realm: 'members' });
        assert.equal(none.reason, 'wamp.error.authentication_failed');
      });

      it('closes gracefully on server.close(): the call in flight finishes, GOODBYE, then the server', { timeout: 60_000 }, async (t) => {
        const started = deferred();
        const app = hostedApp(new Map(), { slowMs: 500, onSlow: () => started.resolve() });
        const host = await startHost(kind, app, t);
        // An idle keep-alive HTTP connection must not hold the close open.
        const agent = kind === 'https' ? new HTTPSAgent({ keepAlive: true }) : new HTTPAgent({ keepAlive: true });
        t.after(() => agent.destroy());
        assert.equal((await requestText(`${host.origin}/api/hello`, { agent })).status, 200);

        const client = await connectAutobahn(host.url);
        const order: string[] = [];
        const call = client.session.call('slow').then((result: unknown) => {
          order.push('result');
          return result;
        });
        const goodbye = client.closed.then((closed) => {
          order.push('goodbye');
          return closed;
        });
        await within(started.promise, 10_000, 'the slow call to start');
        const serverClosed = new Promise<Error | undefined>((resolve) => host.server.close(resolve));

        assert.equal(await within(call, 10_000, 'the call in flight'), 'finished');
        const closed = await within(goodbye, 15_000, 'the GOODBYE');
        assert.equal(closed.details.reason, 'wamp.close.system_shutdown');
        assert.equal(await within(serverClosed, 15_000, "the server's close callback"), undefined);
        assert.deepEqual(order, ['result', 'goodbye']);
        assert.equal(host.server.listening, false);
        await assert.rejects(requestText(`${host.origin}/api/hello`), { code: 'ECONNREFUSED' });
      });

      it('refuses hostile and slow upgrades cleanly and keeps serving HTTP and WAMP', { timeout: 60_000 }, async (t) => {
        const host = await startHost(kind, hostedApp(new Map()), t);
        const { port } = host.server.address() as AddressInfo;
        const tls = kind === 'https' ? { ca: hostTLS().ca } : {};
        const wsUrl = (path: string): string => new URL(path, host.url).href;

        // An upgrade elsewhere than /ws is not for serverwamp, and nobody else takes it.
        await assert.rejects(RawClient.connect(wsUrl('/api/hello')), (error: any) => error.status === 404);
        // No WAMP subprotocol offered.
        await assert.rejects(RawClient.connect(host.url, []), (error: any) => error.status === 400 && /wamp\.2\.json/.test(error.body));

        // A slow client: the upgrade's headers never end. It must not hold anyone else up.
        const slow = await openRaw(port, tls);
        t.after(() => slow.destroy());
        slow.write('GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n');

        const key = 'dGhlIHNhbXBsZSBub25jZQ==';
        const upgrade = (target: string, extra = ''): string =>
          `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: wamp.2.json\r\n${extra}\r\n`;
        // A key that is not 16 bytes of base64, an unknown version, another protocol than WebSocket.
        assert.match(await rawExchange(port, upgrade('/ws', 'Sec-WebSocket-Key: short\r\n'), tls), /^HTTP\/1\.1 400/);
        assert.match(await rawExchange(port, upgrade('/ws', `Sec-WebSocket-Key: ${key}\r\n`).replace('Version: 13', 'Version: 99'), tls), /^HTTP\/1\.1 (400|426)/);
        assert.match(await rawExchange(port, upgrade('/ws', `Sec-WebSocket-Key: ${key}\r\n`).replace('Upgrade: websocket', 'Upgrade: h2c'), tls), /^HTTP\/1\.1 400/);
        // Request targets that are not a path.
        assert.match(await rawExchange(port, upgrade('*', `Sec-WebSocket-Key: ${key}\r\n`), tls), /^HTTP\/1\.1 404/);
        assert.match(await rawExchange(port, upgrade('//a:99999', `Sec-WebSocket-Key: ${key}\r\n`), tls), /^HTTP\/1\.1 400/);
        assert.match(await rawExchange(port, upgrade('/ws%zz?\u00ff', `Sec-WebSocket-Key: ${key}\r\n`), tls), /^HTTP\/1\.1 (400|404)/);
        // Gone before the answer.
        const gone = await openRaw(port, tls);
        gone.end(upgrade('/ws', `Sec-WebSocket-Key: ${key}\r\n`));
        gone.destroy();

        await assertAPIServes(host, kind);
        await assertWAMPServes(host.url, t);
        await closeQuietly(host.server);
      });
    });
  });
}
