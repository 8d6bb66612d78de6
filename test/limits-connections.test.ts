/**
 * `limits.maxConnectionsPerAddress` as clients see it: the WebSocket upgrade
 * over it gets HTTP 429 naming the limit, the RawSocket handshake error 4,
 * and a connection from an adapter that does not ask (here the in-memory
 * test transport) is closed with 1013. Every adapter counts against one
 * total per address, and each refusal is counted.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Application, silentLogger } from '../src/index.js';
import { listen } from '../src/node/index.js';
import { connectTestPeer } from '../src/testing.js';
import { connectAutobahn } from './helpers/clients.js';
import { RawClient } from './helpers/raw-client.js';
import { RawSocketClient, handshake } from './helpers/rawsocket-client.js';

const WELCOME = 2;

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function served(t: { after(fn: () => Promise<void>): void }, max: number) {
  const app = new Application({ logger: silentLogger, limits: { maxConnectionsPerAddress: max } });
  const listening = await listen(app, { port: 0, host: '127.0.0.1', pingInterval: 0, rawSocket: true });
  t.after(async () => {
    await app.close({ timeout: 0, goodbyeWait: 0 });
    await listening.close();
  });
  return { app, url: listening.url, port: listening.port };
}

describe('limits.maxConnectionsPerAddress', () => {
  it('refuses the WebSocket upgrade over it with 429 and a body naming the limit; admits again once one closes', async (t) => {
    const { app, url } = await served(t, 2);
    const one = await RawClient.connect(url);
    const two = await connectAutobahn(url);
    t.after(() => two.close());
    const refused = await RawClient.connect(url).then(
      () => assert.fail('a third connection from 127.0.0.1 should be refused'),
      (error: { status: number; body: string }) => error,
    );
    assert.equal(refused.status, 429);
    assert.match(refused.body, /too many connections from this address \(maxConnectionsPerAddress\)/);
    assert.equal(app.refusals.maxConnectionsPerAddress, 1);
    one.close();
    await one.closed;
    await until(() => app.health().connections === 1, 'the first connection to close');
    const three = await RawClient.connect(url);
    t.after(() => three.close());
    assert.equal((await three.hello())[0], WELCOME);
  });

  it('refuses a RawSocket client over it with handshake error 4, counting WebSocket and RawSocket connections together', async (t) => {
    const { app, url, port } = await served(t, 2);
    const ws = await RawClient.connect(url);
    t.after(() => ws.close());
    const rs = await RawSocketClient.open(port);
    t.after(() => rs.close());
    const refused = await RawSocketClient.connect(port);
    refused.write(handshake(1, 15));
    const reply = await refused.handshakeReply();
    assert.deepEqual([...reply], [0x7f, 4 << 4, 0, 0], 'error 4: maximum connection count reached');
    await refused.closed;
    assert.equal(app.refusals.maxConnectionsPerAddress, 1);
    assert.equal((await rs.hello())[0], WELCOME, 'the admitted connections still work');
  });

  it('closes a connection over it with 1013 when the adapter did not ask first, and counts IPv4-mapped IPv6 addresses as their IPv4 address', async () => {
    const app = new Application({ logger: silentLogger, limits: { maxConnectionsPerAddress: 1 } });
    const first = connectTestPeer(app, { transportInfo: { peerAddress: '10.1.2.3' } });
    const second = connectTestPeer(app, { transportInfo: { peerAddress: '::ffff:10.1.2.3' } });
    assert.deepEqual(await second.closed, { code: 1013, reason: 'too many connections from this address' });
    const elsewhere = connectTestPeer(app, { transportInfo: { peerAddress: '10.1.2.4' } });
    const unknown = [connectTestPeer(app), connectTestPeer(app)];
    assert.equal(first.isClosed || elsewhere.isClosed || unknown.some((peer) => peer.isClosed), false, 'other and unknown addresses are not limited');
    assert.equal(app.refusals.maxConnectionsPerAddress, 1);
    await app.close({ timeout: 0, goodbyeWait: 0 });
  });
});
