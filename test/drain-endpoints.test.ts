/**
 * While `app.close()` drains, the endpoints take no new connections: a
 * WebSocket upgrade gets 503 (with Retry-After), a RawSocket connection is
 * closed before its handshake is answered, and each refusal is counted.
 * Once drained, the servers `listen` and `listenRawSocket` made are closed.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, it } from 'node:test';
import { listen, listenRawSocket } from '../src/node/index.js';
import { connectAutobahn, connectWampy } from './helpers/clients.js';
import { drainApp, within } from './helpers/drain.js';
import { RawClient } from './helpers/raw-client.js';
import { RawSocketClient, handshake } from './helpers/rawsocket-client.js';

const BOUND_MS = 30_000;

/** A bare WebSocket upgrade request: its status, Retry-After and body. */
function upgrade(port: number): Promise<{ status: number; retryAfter: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path: '/ws',
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Protocol': 'wamp.2.json' },
    });
    req.on('upgrade', () => reject(new Error('the upgrade was accepted')));
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, retryAfter: res.headers['retry-after'], body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('endpoints during a drain', () => {
  it('refuse WebSocket upgrades with 503 and RawSocket connections on the shared port, while the sessions in flight finish', async (t) => {
    const drain = drainApp();
    // First: a failed test must not leave close() waiting on the gated call.
    t.after(() => drain.release());
    const listening = await listen(drain.app, { port: 0, host: '127.0.0.1', pingInterval: 0, rawSocket: true });
    t.after(() => listening.close());
    const client = await connectAutobahn(listening.url);
    const call = client.session.call('drain.slow');
    await drain.whenEntered(1);
    const closing = drain.app.close({ timeout: BOUND_MS });

    const refused = await RawClient.connect(listening.url).then(
      () => assert.fail('no WebSocket may connect while draining'),
      (error: { status: number; body: string }) => error,
    );
    assert.equal(refused.status, 503);
    assert.match(refused.body, /the server is shutting down/);
    const bare = await upgrade(listening.port);
    assert.deepEqual([bare.status, bare.retryAfter], [503, '5']);
    await assert.rejects(connectWampy(listening.url), 'wampy gets no session either');

    const rawSocket = await RawSocketClient.connect(listening.port);
    rawSocket.write(handshake(1, 15));
    await within(rawSocket.closed, 10_000, 'the RawSocket connection to be closed');
    await assert.rejects(rawSocket.handshakeReply(100), /no handshake reply/);

    assert.ok(drain.app.refusals.draining >= 4, `every refusal counted (${drain.app.refusals.draining})`);
    drain.release();
    assert.equal(await within(call, BOUND_MS, 'the call in flight'), 'slow done', 'the open session was not disturbed');
    await within(closing, BOUND_MS, 'close()');
    assert.equal(listening.server.listening, false);
  });

  it('listenRawSocket: closes new sockets during the drain, and its server with the application', async (t) => {
    const drain = drainApp();
    // First: a failed test must not leave close() waiting on the gated call.
    t.after(() => drain.release());
    const listening = await listenRawSocket(drain.app, { port: 0, host: '127.0.0.1' });
    t.after(() => listening.close());
    const open = await RawSocketClient.open(listening.port);
    await open.hello();
    open.send([48, 1, {}, 'drain.slow']);
    await drain.whenEntered(1);
    const closing = drain.app.close({ timeout: BOUND_MS });
    const late = await RawSocketClient.connect(listening.port);
    late.write(handshake(1, 15));
    await within(late.closed, 10_000, 'the late RawSocket connection to be closed');
    assert.equal(drain.app.refusals.draining, 1);
    drain.release();
    assert.deepEqual((await open.next(BOUND_MS)).slice(0, 2), [50, 1], 'the call in flight got its RESULT');
    await within(closing, BOUND_MS, 'close()');
    assert.equal(listening.server.listening, false, 'app.close() closed the server listenRawSocket() made');
  });

  it('app.close() closes the server listen() made, once the sessions have drained (the application owns it)', async (t) => {
    const drain = drainApp();
    const listening = await listen(drain.app, { port: 0, host: '127.0.0.1', pingInterval: 0 });
    t.after(() => listening.close());
    const client = await connectAutobahn(listening.url);
    assert.equal(await client.session.call('drain.quick'), 'quick');
    await within(drain.app.close({ timeout: 0 }), BOUND_MS, 'close()');
    await within(client.closed, BOUND_MS, 'the client to see its session end');
    assert.equal(listening.server.listening, false);
    await assert.rejects(RawClient.connect(listening.url), /ECONNREFUSED/);
  });
});
