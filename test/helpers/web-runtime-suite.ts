/**
 * The shared transport suite against a server script (by default
 * test/fixtures/web-server.ts; test/fixtures/hono-server.ts for Hono) run by a
 * real Bun or Deno, driven from Node by autobahn-js, wampy and raw peers.
 * Each test starts its own server process (its `app` argument is built there).
 */
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { describe, it, type TestContext } from 'node:test';
import { connectAutobahn } from './clients.js';
import { within } from './pubsub.js';
import { RawClient } from './raw-client.js';
import { requireComponent } from './system.js';
import { transportSuite } from './transport-suite.js';
import { runtimeBinary, startRuntimeServer, type WebRuntime } from './web-runtimes.js';

const SCRIPT = 'test/fixtures/web-server.ts';

/** Sends one upgrade request with this exact `Sec-WebSocket-Protocol`; the status and the protocol answered. */
export function rawUpgrade(url: string, protocols: string): Promise<{ status: number; protocol: string | undefined }> {
  return new Promise((resolve, reject) => {
    const request = get(url.replace(/^ws:/, 'http:'), {
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-protocol': protocols },
    });
    request.once('upgrade', (response, socket) => {
      socket.destroy();
      resolve({ status: response.statusCode ?? 0, protocol: response.headers['sec-websocket-protocol'] });
    });
    request.once('response', (response) => {
      response.resume();
      resolve({ status: response.statusCode ?? 0, protocol: undefined });
    });
    request.once('error', reject);
  });
}

/** `script`: the server to run (it prints `{"url": …}`, serves the suite's application at `/ws`, and answers other paths with 404). */
/** A 2 MiB message (over the 1 MiB maxPayload) closes its own connection; another client is still served. */
export async function oversizedMessageClosesOnlyItsConnection(t: TestContext, url: string): Promise<void> {
  const peer = await RawClient.connect(url, 'wamp.2.json');
  assert.equal((await peer.hello())[0], 2);
  peer.sendRaw(JSON.stringify([48, 1, {}, 'echo', ['x'.repeat(2 * 1024 * 1024)]]));
  await within(peer.closed, 10_000, 'the close after an oversized message');
  const client = await connectAutobahn(url);
  t.after(() => client.close());
  assert.equal(await client.session.call('scalar'), 42);
}

export function webRuntimeSuite(runtime: WebRuntime, script = SCRIPT, label = 'serverwamp/web'): void {
  const available = runtimeBinary(runtime) !== undefined;
  if (!available) {
    it(`needs ${runtime}`, (t) => {
      requireComponent(t, false, runtime, `the "${runtime}" devDependency: npm install`);
    });
    return;
  }
  transportSuite({
    name: 'WebSocket',
    jsonProtocol: 'wamp.2.json',
    webSocket: true,
    async serve(_app, t) {
      const { url } = await startRuntimeServer(t, runtime, script);
      return {
        url,
        autobahn: () => connectAutobahn(url, { serializer: 'json' }),
        raw: () => RawClient.connect(url, 'wamp.2.json'),
      };
    },
  });

  describe(`${label} on ${runtime}`, () => {
    it("picks the client's first offer that the server speaks, not simply the first offer", async (t) => {
      const { url } = await startRuntimeServer(t, runtime, script);
      assert.deepEqual(await rawUpgrade(url, 'chat, wamp.2.cbor, wamp.2.msgpack, wamp.2.json'), { status: 101, protocol: 'wamp.2.cbor' });
      assert.deepEqual(await rawUpgrade(url, 'wamp.2.cbor'), { status: 101, protocol: 'wamp.2.cbor' });
      if (runtime === 'deno') {
        // Deno reads the offers split on ", " only (docs/serving-web.md): a bare-comma list gets a clear 400, not an exception.
        await assert.rejects(RawClient.connect(url, ['wamp.2.cbor', 'wamp.2.json']), (error: any) => error.status === 400 && /wamp\.2\.json/.test(error.body));
        return;
      }
      const peer = await RawClient.connect(url, ['wamp.2.xml', 'wamp.2.json', 'wamp.2.msgpack']);
      t.after(() => peer.close());
      assert.equal(peer.protocol, 'wamp.2.json');
      assert.equal((await peer.hello())[0], 2);
    });

    it('closes a connection whose message is over maxPayload (1 MiB) and keeps serving others', async (t) => {
      const { url } = await startRuntimeServer(t, runtime, script);
      await oversizedMessageClosesOnlyItsConnection(t, url);
    });

    it('answers a plain HTTP request with 426 and another path with 404', async (t) => {
      const { url } = await startRuntimeServer(t, runtime, script);
      const http = url.replace(/^ws:/, 'http:');
      const plain = await fetch(http);
      assert.equal(plain.status, 426);
      assert.match(await plain.text(), /WAMP/);
      const elsewhere = await fetch(new URL('/elsewhere', http));
      assert.equal(elsewhere.status, 404);
      await elsewhere.body?.cancel();
      await assert.rejects(RawClient.connect(new URL('/elsewhere', url).href), (error: any) => error.status === 404);
    });
  });
}
