/**
 * The shared suite's WebSocket upgrade-level part: what a transport reached
 * through an HTTP upgrade must also show (the headers, cookies, path and
 * query of the upgrade in transportInfo, a cookie-bound ticket, subprotocol
 * refusal, binary serializers, hostile bytes).
 */
import assert from 'node:assert/strict';
import { describe, type TestContext } from 'node:test';
import { connectAutobahn, connectWampy } from './clients.js';
import { join, refusal } from './auth.js';
import { RawClient } from './raw-client.js';
import { within } from './pubsub.js';
import { SUITE_TICKET, suiteApp } from './suite-app.js';
import { suiteTest, type TransportUnderTest } from './transport-suite.js';

export function httpTransportSuite(transport: TransportUnderTest): void {
  describe(`the ${transport.name} transport's upgrade`, () => {
    const it = suiteTest(transport);
    async function urlOf(t: TestContext): Promise<string> {
      const { url } = await transport.serve(suiteApp(), t);
      assert.ok(url !== undefined, `${transport.name} must give its url for the upgrade tests`);
      return url;
    }

    it("reports the upgrade's path, query, cookies, headers and peer port in transportInfo", async (t) => {
      const url = await urlOf(t);
      const peer = await RawClient.connect(`${url}?room=7&lang=fr`, 'wamp.2.json', { cookie: 'sid=abc%20d; other=1', 'x-suite': 'yes' });
      t.after(() => peer.close());
      assert.equal((await peer.hello())[0], 2);
      peer.send([48, 1, {}, 'http']);
      const result = await peer.next(10_000);
      assert.deepEqual(result[4], { path: new URL(url).pathname, query: { room: '7', lang: 'fr' }, cookie: 'abc d', header: 'yes', peerPort: transport.peerPort ?? 'number' });
    });

    it('authenticates with a ticket bound to a session cookie (wampy sends the cookie)', async (t) => {
      const url = await urlOf(t);
      const kind = { client: 'wampy', serializer: 'json' } as const;
      const credentials = { realm: 'secure', authid: SUITE_TICKET.authid, authmethods: ['ticket'], onChallenge: () => SUITE_TICKET.ticket };
      const joined = await join(url, kind, { ...credentials, headers: { cookie: SUITE_TICKET.cookie } });
      assert.equal(joined.details['authrole'], 'member');
      await joined.close();
      const refused = await refusal(url, kind, credentials);
      assert.equal(refused.reason, 'wamp.error.authentication_failed');
    });

    it('serves wampy over msgpack (binary frames): a call and an event', async (t) => {
      const url = await urlOf(t);
      const wampy = await connectWampy(url, { serializer: 'msgpack' });
      t.after(() => wampy.disconnect());
      const result: any = await wampy.call('echo', { argsList: [1, 'two'], argsDict: { bytes: 3 } });
      assert.deepEqual(result.argsDict, { args: [1, 'two'], kwargs: { bytes: 3 } });
      const events: unknown[] = [];
      await wampy.subscribe('news', (event: any) => void events.push(event.argsList));
      await wampy.call('announce', { argsList: ['binary'] });
      await within(
        (async () => {
          while (events.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
        })(),
        10_000,
        'the event',
      );
      assert.deepEqual(events, [['binary']]);
    });

    it('refuses an upgrade offering no WAMP subprotocol with 400 naming the ones it speaks', async (t) => {
      const url = await urlOf(t);
      await assert.rejects(RawClient.connect(url, ['wamp.2.xml', 'chat']), (error: any) => {
        assert.equal(error.status, 400);
        assert.match(error.body, /wamp\.2\.json/);
        assert.doesNotMatch(error.body, /wamp\.2\.xml/);
        return true;
      });
    });

    it('drops events for a subscriber that does not read, once its buffer passes eventBufferLimit', async (t) => {
      const url = await urlOf(t);
      const stalled = await RawClient.connect(url, 'wamp.2.json');
      t.after(() => stalled.ws.terminate());
      assert.equal((await stalled.hello())[0], 2);
      stalled.send([32, 1, {}, 'news']);
      assert.equal((await stalled.next(10_000))[0], 33);
      (stalled.ws as any)._socket.pause();
      const client = await connectAutobahn(url);
      t.after(() => client.close());
      await client.session.call('flood');
      // The runtime reports what it holds for the stalled peer: the engine drops what would go past the limit.
      const dropped = await client.session.call('dropped');
      assert.ok(dropped > 0, `events dropped for the stalled subscriber: ${dropped}`);
      assert.ok(dropped < 400, 'the events that fit were sent');
      // Gone before the teardown's graceful close, which would otherwise wait out the peer's close handshake (30 s).
      stalled.ws.terminate();
    });

    it('survives garbage binary frames and keeps serving other clients', async (t) => {
      const url = await urlOf(t);
      const peer = await RawClient.connect(url, 'wamp.2.json');
      peer.sendRaw(Buffer.from([0xff, 0x00, 0xc3, 0x28, 0x7b]));
      const answer = await Promise.race([peer.next(10_000).catch(() => undefined), peer.closed]);
      if (Array.isArray(answer)) assert.equal(answer[0], 3, 'an ABORT, if anything');
      await within(peer.closed, 10_000, 'the close after garbage');
      const client = await connectAutobahn(url);
      t.after(() => client.close());
      assert.equal(await client.session.call('scalar'), 42);
    });
  });
}
