/**
 * Hostile HTTP upgrades, sent over raw TCP: targets `new URL()` rejects, a
 * throwing origin predicate, and upgrades to a path no endpoint serves. Each
 * must get an HTTP answer and a closed socket, never end the process or keep a
 * descriptor; a normal client then still connects and calls.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import { once } from 'node:events';
import { connect, type AddressInfo } from 'node:net';
import { describe, it, type TestContext } from 'node:test';
import type { Duplex } from 'node:stream';
import { Application, RPCRouteSet } from '../src/index.js';
import { CLIENTS, connectClient } from './helpers/clients.js';
import { serve } from './helpers/server.js';
import { attach, webSocketEndpoint } from '../src/node/index.js';

const BAD_TARGETS = ['//a:99999', '//[', 'http://[::1', 'http://a:99999/ws', '//a b'];

interface Answer {
  /** Everything the server wrote before closing. */
  response: string;
  /** Whether the server closed the connection (within the deadline). */
  closed: boolean;
}

/** Writes `request` on a fresh TCP connection and collects the answer until the server closes it (5 s at most). */
function rawRequest(port: number, request: string): Promise<Answer> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let response = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ response, closed: false });
    }, 5000);
    socket.on('data', (chunk: Buffer) => (response += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ response, closed: true });
    });
    socket.write(request);
  });
}

function upgradeRequest(target: string, extra = ''): string {
  return (
    `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: wamp.2.json\r\n${extra}\r\n`
  );
}

function statusOf(answer: Answer): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(answer.response)?.[1] ?? 0);
}

function application(): Application {
  const app = new Application();
  app.addRPCRoutes(new RPCRouteSet().route('add', (request) => Number(request.args[0]) + Number(request.args[1])));
  return app;
}

/** A real client still connects to `url` and gets a correct answer. */
async function stillServes(url: string): Promise<void> {
  const client = await connectClient(url, CLIENTS[0]!);
  try {
    assert.deepEqual((await client.call('add', [2, 3])).args, [5]);
  } finally {
    await client.close();
  }
}

/** Two endpoints on one server, as an app serving two realms' paths would have. */
async function twoEndpoints(t: TestContext, options: { allowedOrigins?: (origin: string) => boolean } = {}) {
  const app = application();
  const server = createServer((_request, response) => response.writeHead(426).end());
  attach(app, server, { path: '/a', pingInterval: 0, ...options });
  attach(app, server, { path: '/b', pingInterval: 0, ...options });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    await app.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const port = (server.address() as AddressInfo).port;
  return { app, server, port };
}

function connectionCount(server: ReturnType<typeof createServer>): Promise<number> {
  return new Promise((resolve, reject) => server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
}

async function eventually(what: string, check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`${what} did not happen within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('hostile upgrade requests', () => {
  it('listen answers targets URL parsing rejects with 400 and keeps serving', async (t) => {
    const { port, url } = await serve(application(), t);
    for (const target of BAD_TARGETS) {
      const answer = await rawRequest(port, upgradeRequest(target));
      assert.equal(statusOf(answer), 400, `${target}: ${JSON.stringify(answer.response.slice(0, 80))}`);
      assert.ok(answer.closed, `${target}: the socket was left open`);
    }
    await stillServes(url);
  });

  it('attach with and without a path answers them with 400 and keeps serving', async (t) => {
    const { port } = await twoEndpoints(t);
    const app = application();
    const server = createServer();
    attach(app, server, { pingInterval: 0 }); // every path
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(async () => {
      await app.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const everyPath = (server.address() as AddressInfo).port;
    for (const target of BAD_TARGETS) {
      for (const p of [port, everyPath]) {
        const answer = await rawRequest(p, upgradeRequest(target));
        assert.equal(statusOf(answer), 400, `${target} on ${p}: ${JSON.stringify(answer.response.slice(0, 80))}`);
        assert.ok(answer.closed);
      }
    }
    await stillServes(`ws://127.0.0.1:${port}/a`);
    await stillServes(`ws://127.0.0.1:${port}/b`);
    await stillServes(`ws://127.0.0.1:${everyPath}/anything`);
  });

  it('an endpoint you route yourself refuses a bad target with 400', async (t) => {
    const app = application();
    const endpoint = webSocketEndpoint(app, { pingInterval: 0 });
    const server = createServer();
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => endpoint.handleUpgrade(request, socket, head));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(async () => {
      await app.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const port = (server.address() as AddressInfo).port;
    const answer = await rawRequest(port, upgradeRequest('//[', ''));
    assert.equal(statusOf(answer), 400);
    await stillServes(`ws://127.0.0.1:${port}/ws`);
  });

  it('an origin predicate that throws fails that upgrade with 400, not the process', async (t) => {
    const { port } = await twoEndpoints(t, {
      allowedOrigins: (origin) => {
        if (origin.includes('boom')) throw new Error('the predicate failed');
        return true;
      },
    });
    const answer = await rawRequest(port, upgradeRequest('/a', 'Origin: https://boom.example\r\n'));
    assert.equal(statusOf(answer), 400);
    assert.ok(!answer.response.includes('the predicate failed'), 'an internal message was disclosed');
    await stillServes(`ws://127.0.0.1:${port}/a`);
  });

  it('an upgrade to a path neither of two endpoints serves gets 404 and its socket is closed', async (t) => {
    const { server, port } = await twoEndpoints(t);
    for (let i = 0; i < 5; i++) {
      const answer = await rawRequest(port, upgradeRequest('/c'));
      assert.equal(statusOf(answer), 404, JSON.stringify(answer.response.slice(0, 80)));
      assert.ok(answer.closed, 'the socket was left open');
    }
    await eventually('the server connection count returning to 0', async () => (await connectionCount(server)) === 0);
    await stillServes(`ws://127.0.0.1:${port}/b`);
  });

  it('a refused upgrade from a client that never closes its side does not keep the socket', async (t) => {
    const { server, port } = await twoEndpoints(t);
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    t.after(() => socket.destroy());
    let response = '';
    socket.on('data', (chunk: Buffer) => (response += chunk.toString('latin1')));
    socket.write(upgradeRequest('/c'));
    await eventually('the 404', async () => response.startsWith('HTTP/1.1 404'));
    // The client keeps its end open; the server must still let go of the connection.
    await eventually('the server connection count returning to 0', async () => (await connectionCount(server)) === 0);
  });

  it('clients that reset right after sending an upgrade the server refuses do not end the process', async (t) => {
    const { port } = await twoEndpoints(t, { allowedOrigins: (origin) => origin === 'https://ok.example' });
    const requests = [upgradeRequest('/c'), upgradeRequest('/a', 'Origin: https://evil.example\r\n'), upgradeRequest('//[')];
    for (let i = 0; i < 60; i++) {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => {});
      await once(socket, 'connect');
      socket.write(requests[i % requests.length]!);
      socket.resetAndDestroy();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    await stillServes(`ws://127.0.0.1:${port}/a`);
  });
});
