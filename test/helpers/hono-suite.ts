/**
 * What a Hono app serving WAMP must show on every runtime, beside the shared
 * transport suite: its own HTTP routes answer on the same port as WAMP, and
 * the WAMP subprotocol is serverwamp's choice (the client's first offer that
 * the application speaks), not simply the first offer, which Hono's
 * `upgradeWebSocket` helpers echo.
 * The server (`start`) serves the suite's application at `/ws`, `GET /` as
 * text naming Hono, and `GET /healthz` with `app.health()`.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { connectAutobahn, connectWampy } from './clients.js';
import { rawUpgrade } from './web-runtime-suite.js';

export function honoSuite(name: string, start: (t: TestContext) => Promise<{ url: string }>): void {
  describe(`Hono on ${name}`, () => {
    it('answers its HTTP routes on the port that serves WAMP', async (t) => {
      const { url } = await start(t);
      const http = url.replace(/^ws:/, 'http:');
      const home = await fetch(new URL('/', http));
      assert.equal(home.status, 200);
      assert.match(await home.text(), /^Hono on \w+ beside WAMP$/);
      const health = await fetch(new URL('/healthz', http));
      assert.equal(health.status, 200);
      assert.equal(((await health.json()) as { status: string }).status, 'ok');
      const client = await connectAutobahn(url);
      t.after(() => client.close());
      assert.equal(await client.session.call('scalar'), 42);
    });

    it('answers a WAMP subprotocol it speaks, not simply the first offer', async (t) => {
      const { url } = await start(t);
      // Hono's upgradeWebSocket would answer wamp.2.cbor, then chat.
      assert.deepEqual(await rawUpgrade(url, 'wamp.2.cbor, wamp.2.json'), { status: 101, protocol: 'wamp.2.cbor' });
      assert.deepEqual(await rawUpgrade(url, 'wamp.2.xml, wamp.2.json, wamp.2.cbor'), { status: 101, protocol: 'wamp.2.json' });
      assert.deepEqual(await rawUpgrade(url, 'chat, wamp.2.msgpack'), { status: 101, protocol: 'wamp.2.msgpack' });
      assert.deepEqual(await rawUpgrade(url, 'wamp.2.cbor'), { status: 101, protocol: 'wamp.2.cbor' });
      const refused = await rawUpgrade(url, 'chat, wamp.2.xml');
      assert.equal(refused.status, 400);
      assert.equal(refused.protocol, undefined);
    });

    it('serves autobahn-js over CBOR and wampy over msgpack once negotiated', async (t) => {
      const { url } = await start(t);
      const cbor = await connectAutobahn(url, { serializer: 'cbor' });
      t.after(() => cbor.close());
      const result = await cbor.session.call('echo', [new Uint8Array([1, 2, 3])]);
      assert.deepEqual([...result.kwargs.args[0]], [1, 2, 3]);
      const wampy = await connectWampy(url, { serializer: 'msgpack' });
      t.after(() => wampy.disconnect());
      assert.equal(((await wampy.call('scalar')) as any).argsList[0], 42);
    });
  });
}
