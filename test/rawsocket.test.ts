/**
 * RawSocket at the octet level: the handshake and its error replies, framing
 * (split, coalesced, oversize, reserved bits), PING/PONG, keepalive, both
 * sides' length limits, timeouts, and RawSocket over TLS.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer as createTLSServer } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { describe, it, type TestContext } from 'node:test';
import { Application, RPCRouteSet, TopicRouteSet, ServerwampError, type ApplicationOptions } from '../src/index.js';
import { within } from './helpers/pubsub.js';
import { frame, handshake, PING, PONG, RawSocketClient, WAMP } from './helpers/rawsocket-client.js';
import { serveRawSocket } from './helpers/server.js';
import { requireComponent } from './helpers/system.js';
import { makeTLSMaterial, opensslAvailable } from './helpers/tls.js';
import { attachRawSocket, rawSocketEndpoint, type RawSocketOptions } from '../src/node/index.js';

function testApp(options: ApplicationOptions = {}): Application {
  const app = new Application(options);
  const routes = new RPCRouteSet();
  routes.route('echo', (request) => request.args[0]);
  routes.route('big', { params: ['octets'] }, ({ octets }) => 'x'.repeat(Number(octets)));
  routes.route('publish.big', { params: ['octets'] }, ({ octets }) => app.publish('news.big', { args: ['x'.repeat(Number(octets))] }));
  routes.route('whoami', (request) => {
    const info = request.session.connection.transportInfo;
    return {
      peerAddress: info.peerAddress,
      peerPortIsNumber: typeof info.peerPort === 'number',
      protocol: info.protocol,
      secure: info.secure,
      headers: info.httpHeaders,
      cookies: { ...info.httpCookies },
      path: info.httpPath,
      query: [...info.httpQuery],
      certificate: info.peerCertificate?.subject.CN ?? null,
    };
  });
  app.addRPCRoutes(routes);
  app.addTopicRoutes(new TopicRouteSet().route('news.big', {}));
  return app;
}

async function served(t: TestContext, options: RawSocketOptions = {}, appOptions: ApplicationOptions = {}) {
  const app = testApp(appOptions);
  const { port } = await serveRawSocket(app, t, options);
  return { app, port };
}

/** Waits (bounded) until `condition` holds. */
async function eventually(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(condition(), what);
}

describe('RawSocket handshake', () => {
  it('echoes the serializer with the server maximum length (1 MiB by default)', async (t) => {
    const { port } = await served(t);
    for (const [serializer, expected] of [
      [1, 0xb1],
      [2, 0xb2],
      [3, 0xb3],
    ] as const) {
      const client = await RawSocketClient.connect(port);
      client.write(handshake(serializer, 15));
      assert.deepEqual([...(await client.handshakeReply())], [0x7f, expected, 0, 0]);
      client.close();
    }
  });

  it('announces the configured maximum length', async (t) => {
    const { port } = await served(t, { maxMessageLength: 2 ** 16 });
    const client = await RawSocketClient.connect(port);
    client.write(handshake(1));
    assert.deepEqual([...(await client.handshakeReply())], [0x7f, 0x71, 0, 0]);
    client.close();
  });

  it('refuses maximum lengths that are not a power of two from 512 octets to 16 MiB', () => {
    const app = new Application();
    for (const maxMessageLength of [1000, 256, 2 ** 25]) {
      assert.throws(() => rawSocketEndpoint(app, { maxMessageLength }), (error: unknown) => {
        assert.ok(error instanceof ServerwampError);
        assert.equal(error.code, 'ERR_INVALID_OPTION');
        return true;
      });
    }
  });

  it('drops a connection whose first octet is not the magic 0x7F, replying nothing', async (t) => {
    const { port } = await served(t);
    const client = await RawSocketClient.connect(port);
    client.write(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
    await within(client.closed, 5000, 'the close');
    await assert.rejects(client.handshakeReply(100));
  });

  for (const [what, octets] of [
    ['the illegal serializer 0', handshake(0)],
    ['UBJSON (4)', handshake(4)],
    ['a reserved serializer (9)', handshake(9)],
  ] as const) {
    it(`answers ${what} with error 1, serializer unsupported, and closes`, async (t) => {
      const { port } = await served(t);
      const client = await RawSocketClient.connect(port);
      client.write(octets);
      assert.deepEqual([...(await client.handshakeReply())], [0x7f, 0x10, 0, 0]);
      await within(client.closed, 5000, 'the close');
    });
  }

  it('answers a serializer the application does not speak with error 1', async (t) => {
    const { port } = await served(t, {}, { protocols: ['wamp.2.json'] });
    const client = await RawSocketClient.connect(port);
    client.write(handshake(2));
    assert.deepEqual([...(await client.handshakeReply())], [0x7f, 0x10, 0, 0]);
    await within(client.closed, 5000, 'the close');
  });

  it('answers reserved octets that are not zero with error 3', async (t) => {
    const { port } = await served(t);
    const client = await RawSocketClient.connect(port);
    client.write(Buffer.from([0x7f, 0xf1, 0x00, 0x01]));
    assert.deepEqual([...(await client.handshakeReply())], [0x7f, 0x30, 0, 0]);
    await within(client.closed, 5000, 'the close');
  });

  it('answers a client maximum below minClientMaxLength with error 2', async (t) => {
    const { port } = await served(t, { minClientMaxLength: 4096 });
    const client = await RawSocketClient.connect(port);
    client.write(handshake(1, 2)); // 2^11 = 2048 octets
    assert.deepEqual([...(await client.handshakeReply())], [0x7f, 0x20, 0, 0]);
    await within(client.closed, 5000, 'the close');
    const accepted = await RawSocketClient.open(port, { lengthExponent: 3 }); // 4096 octets
    assert.equal((await accepted.hello())[0], 2);
    accepted.close();
  });

  it('answers connections past maxConnections with error 4, and accepts again once one closes', async (t) => {
    const { port, app } = await served(t, { maxConnections: 1 });
    const first = await RawSocketClient.open(port);
    assert.equal((await first.hello())[0], 2);
    const second = await RawSocketClient.connect(port);
    second.write(handshake(1));
    assert.deepEqual([...(await second.handshakeReply())], [0x7f, 0x40, 0, 0]);
    await within(second.closed, 5000, 'the close');
    first.close();
    await eventually(() => [...app.sessions].length === 0, 'the first session ended');
    const third = await RawSocketClient.open(port);
    assert.equal((await third.hello())[0], 2);
    third.close();
  });

  it('accepts a handshake sent one octet at a time, and a HELLO sent in the same write as the handshake', async (t) => {
    const { port } = await served(t);
    const slow = await RawSocketClient.connect(port);
    for (const octet of handshake(1)) {
      slow.write(Buffer.from([octet]));
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal((await slow.handshakeReply())[0], 0x7f);
    assert.equal((await slow.hello())[0], 2);
    slow.close();

    const eager = await RawSocketClient.connect(port);
    eager.write(Buffer.concat([handshake(1), frame(WAMP, JSON.stringify([1, 'realm1', { roles: { caller: {} } }]))]));
    assert.equal((await eager.handshakeReply())[1], 0xb1);
    assert.equal((await eager.next())[0], 2);
    eager.close();
  });

  it('closes a connection that sends no handshake within handshakeTimeout', async (t) => {
    const { port } = await served(t, { handshakeTimeout: 50 });
    const client = await RawSocketClient.connect(port);
    client.write(Buffer.from([0x7f, 0xf1]));
    await within(client.closed, 5000, 'the close');
  });
});

describe('RawSocket framing', () => {
  it('serves msgpack and CBOR clients, and reports a transportInfo without HTTP fields', async (t) => {
    const { port } = await served(t);
    for (const [serializer, protocol] of [
      [2, 'wamp.2.msgpack'],
      [3, 'wamp.2.cbor'],
    ] as const) {
      const client = await RawSocketClient.open(port, { serializer });
      assert.equal((await client.hello())[0], 2);
      client.send([48, 1, {}, 'whoami']);
      const result = await client.next();
      assert.equal(result[0], 50);
      assert.deepEqual(result[4], {
        peerAddress: '127.0.0.1',
        peerPortIsNumber: true,
        protocol,
        secure: false,
        headers: {},
        cookies: {},
        path: '',
        query: [],
        certificate: null,
      });
      client.close();
    }
  });

  it('answers each PING with exactly one PONG echoing its payload, in order with the messages', async (t) => {
    const { port } = await served(t);
    const client = await RawSocketClient.open(port);
    assert.equal((await client.hello())[0], 2);
    client.write(Buffer.concat([frame(PING, 'ping-1'), frame(PING, Buffer.from([0, 1, 2, 255])), frame(PING, '')]));
    client.send([48, 1, {}, 'echo', ['after the pings']]);
    const pong1 = await client.nextFrame();
    const pong2 = await client.nextFrame();
    const pong3 = await client.nextFrame();
    assert.deepEqual([pong1.type, pong1.payload.toString()], [PONG, 'ping-1']);
    assert.deepEqual([pong2.type, [...pong2.payload]], [PONG, [0, 1, 2, 255]]);
    assert.deepEqual([pong3.type, pong3.payload.length], [PONG, 0]);
    const result = await client.nextFrame();
    assert.equal(result.type, WAMP);
    assert.deepEqual(JSON.parse(result.payload.toString()), [50, 1, {}, ['after the pings']]);
    client.close();
  });

  it('reassembles messages split at every octet, and splits messages coalesced in one write', async (t) => {
    const { port } = await served(t);
    const client = await RawSocketClient.open(port);
    const hello = frame(WAMP, JSON.stringify([1, 'realm1', { roles: { caller: {} } }]));
    for (const octet of hello) client.write(Buffer.from([octet]));
    assert.equal((await client.next())[0], 2);
    const calls = [1, 2, 3].map((id) => frame(WAMP, JSON.stringify([48, id, {}, 'echo', [`call ${id}`]])));
    client.write(Buffer.concat(calls));
    for (const id of [1, 2, 3]) assert.deepEqual(await client.next(), [50, id, {}, [`call ${id}`]]);
    // A frame cut through its header and payload, with the next frame's start in the same write.
    const [a, b] = [frame(WAMP, JSON.stringify([48, 4, {}, 'echo', ['four']])), frame(WAMP, JSON.stringify([48, 5, {}, 'echo', ['five']]))];
    client.write(a.subarray(0, 2));
    client.write(Buffer.concat([a.subarray(2, 10)]));
    client.write(Buffer.concat([a.subarray(10), b.subarray(0, 3)]));
    client.write(b.subarray(3));
    assert.deepEqual(await client.next(), [50, 4, {}, ['four']]);
    assert.deepEqual(await client.next(), [50, 5, {}, ['five']]);
    client.close();
  });

  it('fails the connection on a frame over the server maximum, as soon as its header arrives', async (t) => {
    const { port, app } = await served(t, { maxMessageLength: 1024 });
    const client = await RawSocketClient.open(port);
    assert.equal((await client.hello())[0], 2);
    client.write(Buffer.from([0x00, 0x00, 0x04, 0x01])); // 1025 octets announced, none sent
    await within(client.closed, 5000, 'the close');
    await eventually(() => [...app.sessions].length === 0, 'the session ended');
  });

  it('accepts a frame of exactly the server maximum', async (t) => {
    const { port } = await served(t, { maxMessageLength: 1024 });
    const client = await RawSocketClient.open(port);
    assert.equal((await client.hello())[0], 2);
    const prefix = JSON.stringify([48, 1, {}, 'echo', ['']]);
    const text = JSON.stringify([48, 1, {}, 'echo', ['y'.repeat(1024 - prefix.length)]]);
    assert.equal(Buffer.byteLength(text), 1024);
    client.sendRaw(text);
    assert.equal((await client.next())[0], 50);
    client.close();
  });

  for (const [what, header] of [
    ['reserved bits in its first octet', [0x40, 0, 0, 2]],
    ['a reserved frame type', [0x05, 0, 0, 2]],
  ] as const) {
    it(`fails the connection on a frame header with ${what}`, async (t) => {
      const { port } = await served(t);
      const client = await RawSocketClient.open(port);
      assert.equal((await client.hello())[0], 2);
      client.write(Buffer.from([...header, 0x5b, 0x5d]));
      await within(client.closed, 5000, 'the close');
    });
  }

  it('ends the session of a client that disappears mid-frame', async (t) => {
    const { port, app } = await served(t);
    const client = await RawSocketClient.open(port);
    assert.equal((await client.hello())[0], 2);
    assert.equal([...app.sessions].length, 1);
    client.write(frame(WAMP, JSON.stringify([48, 1, {}, 'echo', ['never finished']])).subarray(0, 12));
    client.socket.destroy();
    await eventually(() => [...app.sessions].length === 0, 'the session ended');
  });

  it('never sends a message over the client maximum: the session gets ABORT payload_size_exceeded', async (t) => {
    const { port, app } = await served(t);
    const client = await RawSocketClient.open(port, { lengthExponent: 1 }); // 1024 octets
    assert.equal((await client.hello())[0], 2);
    client.send([48, 1, {}, 'big', [900]]);
    assert.equal((await client.next())[0], 50);
    client.send([48, 2, {}, 'big', [2000]]);
    const abort = await client.next();
    assert.equal(abort[0], 3);
    assert.equal(abort[2], 'wamp.error.payload_size_exceeded');
    assert.match(abort[1].message, /1024-octet maximum/);
    await within(client.closed, 5000, 'the close');
    await eventually(() => [...app.sessions].length === 0, 'the session ended');
  });

  it('drops and counts an event over the client maximum, and the session goes on', async (t) => {
    const { port, app } = await served(t);
    const client = await RawSocketClient.open(port, { lengthExponent: 1 }); // 1024 octets
    assert.equal((await client.hello())[0], 2);
    client.send([32, 1, {}, 'news.big']);
    const [, , subscription] = await client.next();
    client.send([48, 2, {}, 'publish.big', [2000]]);
    assert.deepEqual((await client.next()).slice(0, 2), [50, 2], 'the RESULT, with no EVENT before it');
    assert.equal(app.droppedEvents, 1);
    client.send([48, 3, {}, 'publish.big', [100]]);
    const event = await client.next();
    assert.deepEqual(event.slice(0, 2), [36, subscription]);
    assert.equal(event[4][0].length, 100);
    assert.deepEqual((await client.next()).slice(0, 2), [50, 3]);
    client.close();
  });
});

describe('RawSocket keepalive', () => {
  it('PINGs open connections, keeps those that answer, and drops those that stop', async (t) => {
    const { port } = await served(t, { pingInterval: 30 });
    const client = await RawSocketClient.open(port);
    assert.equal((await client.hello())[0], 2);
    const ping = await client.nextFrame(5000);
    assert.equal(ping.type, PING);
    client.write(frame(PONG, ping.payload));
    const second = await client.nextFrame(5000);
    assert.equal(second.type, PING, 'a client that answered is pinged again, not dropped');
    await within(client.closed, 5000, 'the close of a client that stopped answering');
  });

  it('sends no PING by default', async (t) => {
    const { port } = await served(t);
    const client = await RawSocketClient.open(port);
    assert.equal((await client.hello())[0], 2);
    client.send([48, 1, {}, 'echo', ['only this']]);
    assert.equal((await client.nextFrame()).type, WAMP);
    client.close();
  });
});

describe('RawSocket over TLS', () => {
  it('serves a tls.Server, with the client certificate in transportInfo', async (t) => {
    if (!requireComponent(t, opensslAvailable(), 'openssl', 'apt-get install openssl')) return;
    const tls = makeTLSMaterial();
    const app = testApp();
    const server = createTLSServer({ key: tls.serverKey, cert: tls.serverCert, ca: tls.ca, requestCert: true, rejectUnauthorized: false });
    const endpoint = attachRawSocket(app, server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    t.after(async () => {
      await app.close();
      await endpoint.close();
      await new Promise((resolve) => server.close(resolve));
    });
    const port = (server.address() as AddressInfo).port;
    const client = await RawSocketClient.open(port, { tls: { ca: tls.ca, key: tls.clientKey, cert: tls.clientCert, servername: '127.0.0.1' } });
    assert.equal((await client.hello())[0], 2);
    client.send([48, 1, {}, 'whoami']);
    const info = (await client.next())[4];
    assert.equal(info.secure, true);
    assert.equal(info.certificate, 'alice');
    client.close();
  });
});
