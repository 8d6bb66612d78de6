/**
 * The `serverwamp/node` entry: what it exports, that package.json maps it,
 * that the root entry's Application no longer serves by itself, and that
 * `app.close()` still stops what the node adapter started (through
 * `app.addClosable`, the runtime-neutral hook every adapter uses).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { describe, it } from 'node:test';
import { Application, RPCRouteSet } from '../src/index.js';
import * as node from '../src/node/index.js';
import { RawClient } from './helpers/raw-client.js';

describe('serverwamp/node', () => {
  it('exports the Node serving functions, and package.json maps it to built files with types', () => {
    assert.deepEqual(Object.keys(node).sort(), ['attach', 'attachRawSocket', 'listen', 'listenRawSocket', 'rawSocketEndpoint', 'webSocketEndpoint']);
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { exports: Record<string, unknown> };
    assert.deepEqual(pkg.exports['./node'], { types: './dist/node/index.d.ts', import: './dist/node/index.js', default: './dist/node/index.js' });
    assert.ok(existsSync(new URL('../src/node/index.ts', import.meta.url)));
  });

  it('Application itself has no serving method: the root entry needs no Node built-in', () => {
    for (const name of ['listen', 'listenRawSocket', 'attach', 'attachRawSocket', 'webSocketEndpoint', 'rawSocketEndpoint']) {
      assert.equal(name in Application.prototype, false, name);
    }
  });

  it('serves an application with a typed context', async () => {
    const app = new Application<{ greeting: string }>({ context: { greeting: 'hi' } });
    const routes = new RPCRouteSet<{ greeting: string }>();
    routes.route('greet', (request) => request.context.greeting);
    app.addRPCRoutes(routes);
    const server = await node.listen(app, { pingInterval: 0 });
    try {
      const client = await RawClient.connect(server.url);
      client.send([1, 'realm1', { roles: { caller: {} } }]);
      assert.equal((await client.next(10_000))[0], 2);
      client.send([48, 1, {}, 'greet', []]);
      assert.deepEqual(await client.next(10_000), [50, 1, {}, ['hi']]);
      client.close();
    } finally {
      await server.close();
    }
  });

  it('app.close() closes the connections and stops the endpoints listen and attachRawSocket started', async () => {
    const app = new Application();
    const ws = await node.listen(app, { pingInterval: 0 });
    const tcp = createServer();
    node.attachRawSocket(app, tcp);
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    try {
      const client = await RawClient.connect(ws.url);
      client.send([1, 'realm1', { roles: { caller: {} } }]);
      assert.equal((await client.next(10_000))[0], 2);
      await app.close();
      assert.equal((await client.closed).code, 1001);
      // The endpoints are stopped: a new WebSocket upgrade is refused, a RawSocket connection dropped.
      await assert.rejects(RawClient.connect(ws.url));
      const port = (tcp.address() as { port: number }).port;
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => {});
      socket.write(Uint8Array.of(0x7f, 0xf1, 0, 0)); // a valid RawSocket handshake: only a stopped endpoint leaves it unanswered
      const answered = await new Promise<boolean>((resolve) => {
        socket.once('data', () => resolve(true));
        socket.once('close', () => resolve(false));
        setTimeout(() => resolve(false), 3000);
      });
      socket.destroy();
      assert.equal(answered, false);
    } finally {
      await ws.close();
      // Not awaited: the socket accepted after the endpoint stopped is never read, so it never closes.
      tcp.close();
    }
  });
});

describe('serverwamp/node misuse', () => {
  it('a call in the old method form (options first) fails with ERR_INVALID_OPTION naming the call', async () => {
    const expected = (call: string) => ({ name: 'ServerwampError', code: 'ERR_INVALID_OPTION', message: new RegExp(`^${call}: the first argument must be the Application`) });
    await assert.rejects(node.listen({ port: 0 } as any), expected('listen'));
    await assert.rejects(node.listenRawSocket(undefined as any), expected('listenRawSocket'));
    assert.throws(() => node.attach(null as any, {} as any), expected('attach'));
    assert.throws(() => node.webSocketEndpoint({ path: '/ws' } as any), expected('webSocketEndpoint'));
    assert.throws(() => node.attachRawSocket({} as any, {} as any), expected('attachRawSocket'));
    assert.throws(() => node.rawSocketEndpoint(new Map() as any), expected('rawSocketEndpoint'));
  });
});

describe('Application.addClosable', () => {
  it('closes what is registered, once, and not what was unregistered', async () => {
    const app = new Application();
    const closed: string[] = [];
    app.addClosable({ close: async () => void closed.push('kept') });
    const unregister = app.addClosable({ close: async () => void closed.push('dropped') });
    unregister();
    await app.close();
    await app.close();
    assert.deepEqual(closed, ['kept']);
  });
});
