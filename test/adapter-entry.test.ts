/**
 * The `serverwamp/adapter` entry: what it exports, that package.json maps
 * it, and that an adapter written with nothing else (the README's
 * MessagePort example) serves real sessions.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { describe, it } from 'node:test';
import * as adapter from '../src/adapter.js';
import { Application, RPCRouteSet } from '../src/index.js';
import { serveMessagePort, type Port } from '../examples/message-port-adapter.js';

/** A client on the other end of the channel, speaking JSON. */
class PortClient {
  readonly received: unknown[] = [];
  #waiters: Array<() => void> = [];
  constructor(readonly port: MessagePort) {
    port.on('message', (data: unknown) => {
      this.received.push(typeof data === 'string' ? JSON.parse(data) : data);
      for (const waiter of this.#waiters.splice(0)) waiter();
    });
  }
  send(message: unknown[]): void {
    this.port.postMessage(JSON.stringify(message));
  }
  async next(): Promise<unknown> {
    const deadline = Date.now() + 5000;
    while (this.received.length === 0) {
      if (Date.now() > deadline) assert.fail('no message from the server');
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
    return this.received.shift();
  }
}

function appWithAdd(): Application {
  const app = new Application();
  const routes = new RPCRouteSet();
  routes.route('math.add', (request) => Number(request.args[0]) + Number(request.args[1]));
  app.addRPCRoutes(routes);
  return app;
}

describe('serverwamp/adapter', () => {
  it('exports the contract values an adapter needs, and nothing else at run time', () => {
    assert.deepEqual(Object.keys(adapter).sort(), ['CloseCode', 'SUPPORTED_PROTOCOLS', 'createSerializers', 'negotiateProtocol']);
    assert.equal(adapter.CloseCode.POLICY_VIOLATION, 1008);
  });

  it('package.json maps ./adapter and ./testing to built files with types, and keeps "."', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      exports: Record<string, { types: string; import: string; default: string } | string>;
    };
    // `default` serves `require` (Node >= 20.19 loads ES modules synchronously); test/consumer.test.ts proves it.
    assert.deepEqual(pkg.exports['.'], { types: './dist/index.d.ts', import: './dist/index.js', default: './dist/index.js' });
    for (const entry of ['adapter', 'testing']) {
      assert.deepEqual(pkg.exports[`./${entry}`], { types: `./dist/${entry}.d.ts`, import: `./dist/${entry}.js`, default: `./dist/${entry}.js` });
      assert.ok(existsSync(new URL(`../src/${entry}.ts`, import.meta.url)), `src/${entry}.ts builds dist/${entry}.js`);
    }
  });

  it('negotiateProtocol takes the first protocol the client offers that the server speaks', () => {
    const supported = adapter.createSerializers(['wamp.2.json', 'wamp.2.cbor']);
    assert.equal(adapter.negotiateProtocol(['wamp.2.msgpack', 'wamp.2.cbor', 'wamp.2.json'], supported)?.protocol, 'wamp.2.cbor');
    assert.equal(adapter.negotiateProtocol(['wamp.2.msgpack', 'x'], supported), undefined);
  });

  it('the MessagePort example adapter serves a session: HELLO, CALL, and a close on shutdown', async (t) => {
    const app = appWithAdd();
    const { port1, port2 } = new MessageChannel();
    t.after(() => {
      port1.close();
      port2.close();
    });
    assert.equal(serveMessagePort(app, port1 as unknown as Port, ['wamp.2.msgpack']), false);
    assert.equal(serveMessagePort(app, port1 as unknown as Port, ['wamp.2.json']), true);
    const client = new PortClient(port2);
    client.send([1, 'realm1', { roles: { caller: {} } }]);
    const welcome = (await client.next()) as unknown[];
    assert.equal(welcome[0], 2);
    client.send([48, 1, {}, 'math.add', [2, 3]]);
    assert.deepEqual(await client.next(), [50, 1, {}, [5]]);
    assert.equal(app.sessions.next().done, false);
    const closing = app.close();
    assert.deepEqual(await client.next(), [6, {}, 'wamp.close.system_shutdown'], 'the session is told GOODBYE first');
    client.send([6, {}, 'wamp.close.goodbye_and_out']);
    await closing;
    assert.deepEqual(await client.next(), null, 'the adapter tells the peer the transport closed');
  });

  it('anything that is not a frame ends the connection without harming the application', async (t) => {
    const app = appWithAdd();
    const { port1, port2 } = new MessageChannel();
    t.after(() => port2.close());
    serveMessagePort(app, port1 as unknown as Port, ['wamp.2.json']);
    const client = new PortClient(port2);
    client.send([1, 'realm1', { roles: { caller: {} } }]);
    assert.equal(((await client.next()) as unknown[])[0], 2);
    port2.postMessage({ ['__proto__']: { polluted: true }, length: 1e12 });
    const deadline = Date.now() + 5000;
    while (!app.sessions.next().done && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(app.sessions.next().done, true, 'the session ended');
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    await app.close();
  });
});
