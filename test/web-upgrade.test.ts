/**
 * serverwamp/web's refusals and its generic standard-WebSocket path, on
 * Node (which has `Request` and `Response`): what a host answers the client.
 * The real runtimes are in transport-bun/transport-deno.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Application, ServerwampError } from '../src/index.js';
import { serveBun, serveDeno, webSocketEndpoint, type StandardWebSocket, type BunSocketLike } from '../src/web/index.js';

function upgradeRequest(headers: Record<string, string> = {}, path = '/ws'): Request {
  return new Request(`http://127.0.0.1${path}`, {
    headers: { upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-protocol': 'wamp.2.json', ...headers },
  });
}

/** A standard WebSocket as a host hands it out, open, recording what is sent. */
class FakeSocket extends EventTarget implements StandardWebSocket {
  protocol = 'wamp.2.json';
  readyState = 1;
  bufferedAmount = 0;
  binaryType = 'blob';
  sent: unknown[] = [];
  closedWith: [number | undefined, string | undefined] | undefined;
  send(data: string | Uint8Array): void {
    this.sent.push(typeof data === 'string' ? JSON.parse(data) : data);
  }
  close(code?: number, reason?: string): void {
    // As WHATWG WebSocket (and Deno): only 1000 and 3000-4999.
    if (code !== undefined && code !== 1000 && (code < 3000 || code > 4999)) throw new DOMException('invalid code', 'InvalidAccessError');
    this.closedWith = [code, reason];
    this.readyState = 3;
    this.dispatchEvent(new Event('close'));
  }
  override addEventListener(type: string, listener: (event: any) => void): void {
    super.addEventListener(type, listener);
  }
  receive(data: string): void {
    this.dispatchEvent(new MessageEvent('message', { data }));
  }
}

describe('serverwamp/web refusals', () => {
  it('refuses a browser origin not allowed with 403', async () => {
    const app = new Application();
    const wamp = webSocketEndpoint(app, { allowedOrigins: ['https://app.example.com'] });
    const foreign = wamp.upgrade(upgradeRequest({ origin: 'https://evil.example' }));
    assert.equal(foreign.accepted, false);
    assert.equal(!foreign.accepted && foreign.response.status, 403);
    assert.equal(wamp.upgrade(upgradeRequest({ origin: 'https://app.example.com' })).accepted, true);
    await app.close();
  });

  it('answers 400, not a throw, when the origin predicate throws', async () => {
    const app = new Application({ logger: { debug() {}, info() {}, warn() {}, error() {} } as any });
    const wamp = webSocketEndpoint(app, { allowedOrigins: () => { throw new Error('boom at /secret/path.ts:1'); } });
    const decision = wamp.upgrade(upgradeRequest({ origin: 'https://x.example' }));
    assert.equal(decision.accepted, false);
    if (!decision.accepted) {
      assert.equal(decision.response.status, 400);
      assert.doesNotMatch(await decision.response.text(), /boom|secret/);
    }
    await app.close();
  });

  it('refuses over maxConnectionsPerAddress with 429 and Retry-After, and while draining with 503', async () => {
    const app = new Application({ limits: { maxConnectionsPerAddress: 1 } });
    const wamp = webSocketEndpoint(app);
    const first = wamp.upgrade(upgradeRequest(), { peerAddress: '10.0.0.9' });
    assert.ok(first.accepted);
    const socket = new FakeSocket();
    wamp.serve(socket, first);
    const second = wamp.upgrade(upgradeRequest(), { peerAddress: '10.0.0.9' });
    assert.equal(!second.accepted && second.response.status, 429);
    assert.equal(!second.accepted && second.response.headers.get('retry-after'), '5');
    assert.match(!second.accepted ? await second.response.text() : '', /maxConnectionsPerAddress/);
    const closing = app.close({ goodbyeWait: 0 });
    const draining = wamp.upgrade(upgradeRequest(), { peerAddress: '10.0.0.10' });
    assert.equal(!draining.accepted && draining.response.status, 503);
    await closing;
  });

  it('serves a standard socket and closes it on app.close() although the socket refuses code 1001', async () => {
    const app = new Application();
    const wamp = webSocketEndpoint(app);
    const decision = wamp.upgrade(upgradeRequest());
    assert.ok(decision.accepted);
    const socket = new FakeSocket();
    wamp.serve(socket, decision);
    assert.equal(socket.binaryType, 'arraybuffer');
    socket.receive(JSON.stringify([1, 'realm1', { roles: { caller: {} } }]));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal((socket.sent[0] as unknown[])[0], 2);
    await app.close({ goodbyeWait: 0 });
    assert.ok(socket.closedWith !== undefined, 'closed');
    assert.equal(socket.closedWith[0], 1000);
  });

  it('closes a socket the host accepted with another subprotocol (1002 where allowed)', async () => {
    const app = new Application();
    const wamp = webSocketEndpoint(app);
    const decision = wamp.upgrade(upgradeRequest());
    assert.ok(decision.accepted);
    const socket = new FakeSocket();
    socket.protocol = 'wamp.2.cbor';
    wamp.serve(socket, decision);
    assert.ok(socket.closedWith !== undefined);
    assert.match(socket.closedWith[1] ?? '', /wamp\.2\.json/);
    await app.close();
  });

  it('serveDeno outside Deno without upgradeWebSocket fails fast with ERR_INVALID_OPTION', () => {
    assert.throws(() => serveDeno(new Application()), (error: unknown) => error instanceof ServerwampError && error.code === 'ERR_INVALID_OPTION');
  });
});

describe('serverwamp/web on Bun: backpressure', () => {
  it("reports what Bun queued behind backpressure until 'drain' when it has no getBufferedAmount", async () => {
    const app = new Application();
    const wamp = serveBun(app);
    let upgraded: any;
    const response = wamp.fetch(upgradeRequest(), { upgrade: (_request, options) => ((upgraded = options), true) });
    assert.equal(response, undefined);
    assert.equal(upgraded.headers['Sec-WebSocket-Protocol'], 'wamp.2.json');
    let result = 100;
    const ws: BunSocketLike = { data: upgraded.data, send: () => result, close() {} };
    wamp.websocket.open(ws);
    const transport = upgraded.data.transport;
    transport.send('x'.repeat(10));
    assert.equal(transport.bufferedAmount, 0);
    result = -1;
    transport.send('y'.repeat(300));
    assert.equal(transport.bufferedAmount, 300);
    wamp.websocket.drain(ws);
    assert.equal(transport.bufferedAmount, 0);
    wamp.websocket.close(ws, 1000, '');
    await app.close();
  });
});
