/**
 * serverwamp/hono's `upgradeWAMP` in-process, on Node: misuse fails fast or
 * answers a clear 500 (never a throw at Hono), and the Bun route hands Bun
 * serverwamp's subprotocol, wherever Hono keeps the server. The real
 * runtimes are in transport-hono-bun/transport-hono-deno.test.ts.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { Application, ServerwampError } from '../src/index.js';
import { upgradeWAMP, type HonoWampHandler } from '../src/hono/index.js';
import { recordingLogger } from './helpers/auth.js';

function upgradeRequest(protocols: string): Request {
  return new Request('http://127.0.0.1/ws', { headers: { upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-protocol': protocols } });
}

const runtime = globalThis as { Bun?: unknown };

/** Builds the handler as on Bun (only the global's presence is read). */
function onBun(app: Application): HonoWampHandler {
  runtime.Bun = {};
  try {
    return upgradeWAMP(app);
  } finally {
    delete runtime.Bun;
  }
}

describe('serverwamp/hono upgradeWAMP', () => {
  afterEach(() => {
    delete runtime.Bun;
  });

  it('fails fast on Node with ERR_INVALID_OPTION, naming what serves Hono there', () => {
    assert.throws(
      () => upgradeWAMP(new Application()),
      (error: unknown) => error instanceof ServerwampError && error.code === 'ERR_INVALID_OPTION' && /on Node, call attach\(app, server\) from serverwamp\/node/.test(error.message),
    );
  });

  it("on Bun, upgrades with serverwamp's subprotocol, the server found as c.env or c.env.server", () => {
    const wamp = onBun(new Application());
    assert.equal(wamp.runtime, 'bun');
    assert.equal(typeof wamp.websocket?.open, 'function');
    const upgrades: Array<{ headers?: Record<string, string> }> = [];
    const server = { upgrade: (_request: Request, options: { headers?: Record<string, string> }) => upgrades.push(options) > 0 };
    for (const env of [server, { server }]) {
      const response = wamp({ req: { raw: upgradeRequest('wamp.2.xml, wamp.2.json') }, env });
      assert.ok(response instanceof Response, 'Hono gets a response to finish the route');
    }
    assert.deepEqual(
      upgrades.map((options) => options.headers),
      [{ 'Sec-WebSocket-Protocol': 'wamp.2.json' }, { 'Sec-WebSocket-Protocol': 'wamp.2.json' }],
    );
  });

  it('on Bun, answers 500 and logs why when Hono has no Bun server or Bun has no websocket handlers', async () => {
    const logger = recordingLogger();
    const wamp = onBun(new Application({ logger }));
    const noServer = wamp({ req: { raw: upgradeRequest('wamp.2.json') }, env: undefined });
    assert.equal(noServer.status, 500);
    assert.equal(await noServer.text(), 'The WebSocket upgrade failed.\n');
    assert.match(logger.records.join('\n'), /no Bun server in the Hono context/);
    const refusing = {
      upgrade(): boolean {
        throw new TypeError('To enable websocket support, set the "websocket" object in Bun.serve({})');
      },
    };
    const thrown = wamp({ req: { raw: upgradeRequest('wamp.2.json') }, env: refusing });
    assert.equal(thrown.status, 500);
    assert.doesNotMatch(await thrown.text(), /Bun\.serve/, 'the reason is logged, not sent');
    assert.match(logger.records.join('\n'), /websocket: wamp\.websocket/);
  });

  it('refuses what serverwamp/web refuses, with the same statuses (a plain GET: 426)', async () => {
    const wamp = onBun(new Application());
    const server = { upgrade: () => assert.fail('a plain GET is not upgraded') };
    const plain = wamp({ req: { raw: new Request('http://127.0.0.1/ws') }, env: server });
    assert.equal(plain.status, 426);
    const unknown = wamp({ req: { raw: upgradeRequest('chat') }, env: server });
    assert.equal(unknown.status, 400);
    assert.match(await unknown.text(), /wamp\.2\.json/);
  });

  it('closes with the application: new upgrades then get 503', async () => {
    const app = new Application();
    const wamp = onBun(app);
    await app.close();
    const response = wamp({ req: { raw: upgradeRequest('wamp.2.json') }, env: { upgrade: () => true } });
    assert.equal(response.status, 503);
  });
});
