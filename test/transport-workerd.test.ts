/**
 * serverwamp/cloudflare on the real workerd (the `workerd` npm package): the
 * shared transport suite against a Durable Object and against a plain
 * Worker, driven from Node by autobahn-js, wampy and raw peers; then what is
 * particular to Workers: the routing Worker, the peer address from
 * CF-Connecting-IP, and what a client sees when an object hibernates.
 * The peer's address and port are not known to workerd itself: the suite
 * expects `''` and no port.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectAutobahn } from './helpers/clients.js';
import { RawClient } from './helpers/raw-client.js';
import { requireComponent } from './helpers/system.js';
import { transportSuite } from './helpers/transport-suite.js';
import { oversizedMessageClosesOnlyItsConnection, rawUpgrade } from './helpers/web-runtime-suite.js';
import { startWorkerd, workerdBinary } from './helpers/workerd.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('workerd', () => {
  if (workerdBinary() === undefined) {
    it('needs workerd', (t) => {
      requireComponent(t, false, 'workerd', 'the "workerd" devDependency: npm install');
    });
    return;
  }

  const ONE_CONNECTION = 'a plain Worker serves one application per connection (docs/serving-cloudflare.md)';
  const variants = [
    { variant: 'a Durable Object', path: '/ws', notApplicable: {} },
    {
      variant: 'a plain Worker',
      path: '/plain',
      notApplicable: {
        'carries a client publication to another session': ONE_CONNECTION,
        'drops events for a subscriber that does not read, once its buffer passes eventBufferLimit': ONE_CONNECTION,
      },
    },
  ];
  for (const { variant, path, notApplicable } of variants) {
    describe(`served by ${variant}`, () => {
      transportSuite({
        name: 'WebSocket',
        jsonProtocol: 'wamp.2.json',
        webSocket: true,
        peerAddress: '',
        peerPort: 'undefined',
        notApplicable,
        async serve(_app, t) {
          const { origin } = await startWorkerd(t);
          const url = `${origin.replace(/^http/, 'ws')}${path}`;
          return { url, autobahn: () => connectAutobahn(url, { serializer: 'json' }), raw: () => RawClient.connect(url, 'wamp.2.json') };
        },
      });
    });
  }

  describe('serverwamp/cloudflare on workerd', () => {
    it("answers the client's first offer that it speaks in the 101, not simply the first offer", async (t) => {
      const { origin } = await startWorkerd(t);
      for (const path of ['/ws', '/plain']) {
        const url = `${origin}${path}`;
        assert.deepEqual(await rawUpgrade(url, 'chat, wamp.2.cbor, wamp.2.msgpack, wamp.2.json'), { status: 101, protocol: 'wamp.2.cbor' }, path);
        assert.deepEqual(await rawUpgrade(url, 'wamp.2.cbor'), { status: 101, protocol: 'wamp.2.cbor' }, path);
        const peer = await RawClient.connect(url.replace(/^http/, 'ws'), ['wamp.2.xml', 'wamp.2.json', 'wamp.2.msgpack']);
        t.after(() => peer.close());
        assert.equal(peer.protocol, 'wamp.2.json');
        assert.equal((await peer.hello())[0], 2);
      }
    });

    it('answers a plain request with 426 and another path with 404 from the routing Worker', async (t) => {
      const { origin } = await startWorkerd(t);
      for (const path of ['/ws', '/plain']) {
        const plain = await fetch(`${origin}${path}`);
        assert.equal(plain.status, 426, path);
        assert.match(await plain.text(), /WAMP/);
      }
      const elsewhere = await fetch(`${origin}/elsewhere`);
      assert.equal(elsewhere.status, 404);
      await elsewhere.body?.cancel();
      await assert.rejects(RawClient.connect(`${origin.replace(/^http/, 'ws')}/elsewhere`), (error: any) => error.status === 404);
    });

    it('reports the CF-Connecting-IP header (set by the edge) as the peer address', async (t) => {
      const { origin } = await startWorkerd(t);
      for (const path of ['/ws', '/plain']) {
        const peer = await RawClient.connect(`${origin.replace(/^http/, 'ws')}${path}`, 'wamp.2.json', { 'cf-connecting-ip': '203.0.113.9' });
        t.after(() => peer.close());
        assert.equal((await peer.hello())[0], 2);
        peer.send([48, 1, {}, 'whereami']);
        const result = await peer.next(10_000);
        assert.equal(result[4].peerAddress, '203.0.113.9', path);
      }
    });

    it("serves an application made at the Worker module's top level (workerd refuses random values there)", async (t) => {
      const { origin } = await startWorkerd(t);
      const client = await connectAutobahn(`${origin.replace(/^http/, 'ws')}/top-level`);
      t.after(() => client.close());
      assert.equal(await client.session.call('top.level'), 'made at the top level');
    });

    it('closes a connection whose message is over maxPayload and keeps serving others', async (t) => {
      const { origin } = await startWorkerd(t);
      const url = `${origin.replace(/^http/, 'ws')}/ws`;
      await oversizedMessageClosesOnlyItsConnection(t, url);
    });

    it('keeps a session through silence (keepAwake); an object allowed to hibernate closes its sockets with 1012 when it wakes', async (t) => {
      const { origin, stderr } = await startWorkerd(t);
      const base = origin.replace(/^http/, 'ws');
      const awake = await RawClient.connect(`${base}/ws`, 'wamp.2.json');
      const napping = await RawClient.connect(`${base}/nap`, 'wamp.2.json');
      t.after(() => [awake, napping].forEach((peer) => peer.close()));
      assert.equal((await awake.hello())[0], 2);
      assert.equal((await napping.hello())[0], 2);
      // workerd hibernates an idle object after about 10 s; each round is silent for 12 s, at most 5 rounds.
      let napClose: { code: number; reason: string } | undefined;
      let requestId = 1;
      for (let round = 0; round < 5 && napClose === undefined; round++) {
        await sleep(12_000);
        requestId++;
        awake.send([48, requestId, {}, 'scalar']);
        assert.deepEqual(await awake.next(10_000), [50, requestId, {}, [42]], `the kept-awake session still answers after round ${round + 1}`);
        napping.send([48, requestId, {}, 'scalar']);
        const answer = await Promise.race([napping.next(10_000).then((message) => ({ message })), napping.closed.then((closed) => ({ closed }))]);
        if ('closed' in answer) napClose = answer.closed;
        else assert.deepEqual(answer.message, [50, requestId, {}, [42]]);
      }
      assert.deepEqual(napClose, { code: 1012, reason: 'session lost: the server restarted; reconnect' });
      // The woken object serves new sessions.
      const again = await RawClient.connect(`${base}/nap`, 'wamp.2.json');
      t.after(() => again.close());
      assert.equal((await again.hello())[0], 2);
      assert.doesNotMatch(stderr(), /Uncaught|TypeError/);
    });
  });
});
