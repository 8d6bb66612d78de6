/**
 * serverwamp/cloudflare's misuse, caught at setup with ServerwampError
 * ERR_INVALID_OPTION (docs/errors.md): malformed options, and use outside
 * the Workers runtime (Node has no WebSocketPair). Its behaviour on workerd
 * is test/transport-workerd.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Application, ServerwampError } from '../src/index.js';
import { routeToDurableObject, serveDurableObject, serveWorker, type DurableObjectStateLike } from '../src/cloudflare/index.js';

const ctx: DurableObjectStateLike = { acceptWebSocket() {}, getWebSockets: () => [] };

function invalid(pattern: RegExp): (error: unknown) => boolean {
  return (error) => error instanceof ServerwampError && error.code === 'ERR_INVALID_OPTION' && pattern.test(error.message);
}

describe('serverwamp/cloudflare misuse', () => {
  it('names an unknown option, or a value of the wrong type', () => {
    const app = new Application();
    assert.throws(() => serveDurableObject(ctx, app, { keepAwak: true } as never), invalid(/serveDurableObject: keepAwak is not an option/));
    assert.throws(() => serveDurableObject(ctx, app, { keepAwake: 'yes' } as never), invalid(/keepAwake must be a boolean/));
    assert.throws(() => serveDurableObject(ctx, app, { peerAddress: 'cf-connecting-ip' } as never), invalid(/peerAddress must be a function/));
    assert.throws(() => serveDurableObject(ctx, app, { path: 'ws' }), invalid(/path must start with \//));
    assert.throws(() => serveWorker(() => app, { keepAwake: false } as never), invalid(/serveWorker: keepAwake is not an option/));
    assert.throws(() => serveWorker(app as never), invalid(/first argument must be a function/));
  });

  it('refuses to start outside the Workers runtime, naming what is missing', () => {
    assert.equal((globalThis as { WebSocketPair?: unknown }).WebSocketPair, undefined);
    assert.throws(() => serveDurableObject(ctx, new Application()), invalid(/Workers runtime \(workerd\); WebSocketPair is not available/));
    assert.throws(() => serveWorker(() => new Application()), invalid(/serveWorker: .*WebSocketPair is not available/));
  });

  it('routeToDurableObject needs a binding name, and fails loudly on an env without it', async () => {
    assert.throws(() => routeToDurableObject({} as never), invalid(/binding must name/));
    assert.throws(() => routeToDurableObject({ binding: 'ROOMS', path: 'ws' }), invalid(/path must start with \//));
    const worker = routeToDurableObject({ binding: 'ROOMS', path: '/ws' });
    const upgrade = new Request('http://127.0.0.1/ws', { headers: { upgrade: 'websocket' } });
    assert.throws(() => worker.fetch(upgrade, {}), invalid(/env\.ROOMS is not a Durable Object namespace binding/));
    // What is not an upgrade is answered without touching env.
    assert.equal((await worker.fetch(new Request('http://127.0.0.1/ws'), undefined)).status, 426);
    assert.equal((await worker.fetch(new Request('http://127.0.0.1/other'), undefined)).status, 404);
  });
});
