/**
 * `attach` takes the server a framework listens with, not the framework's
 * application: an Express or Koa app has `on`, `off` and `listen` like a
 * server, but never emits `upgrade`, so attaching to it would serve nothing,
 * silently. It fails fast, saying which server to pass.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { describe, it } from 'node:test';
import express from 'express';
import Koa from 'koa';
import { Application, ServerwampError } from '../src/index.js';
import { attach, attachRawSocket } from '../src/node/index.js';
import { connectAutobahn } from './helpers/clients.js';
import { closeQuietly } from './helpers/node-hosts.js';

function frameworkAppRefused(call: string, advice: RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof ServerwampError);
    assert.equal(error.code, 'ERR_INVALID_ARGUMENT');
    assert.match(error.message, new RegExp(`^${call}: `));
    assert.match(error.message, /application, not a server/);
    assert.match(error.message, advice);
    return true;
  };
}

describe('attach given a framework application instead of its server', () => {
  it('throws ERR_INVALID_ARGUMENT for an Express app, naming the server its listen() returns', () => {
    const app = new Application();
    assert.throws(() => attach(app, express() as never), frameworkAppRefused('attach', /listen\(\)/));
    assert.throws(() => attachRawSocket(app, express() as never), frameworkAppRefused('attachRawSocket', /listen\(\)/));
  });

  it('throws ERR_INVALID_ARGUMENT for a Koa app, naming http.createServer(app.callback())', () => {
    assert.throws(() => attach(new Application(), new Koa() as never), frameworkAppRefused('attach', /createServer\(app\.callback\(\)\)/));
  });

  it("serves on the server Koa's own listen() returns", async (t) => {
    const app = new Application();
    const koa = new Koa();
    koa.use((ctx) => void (ctx.body = 'koa'));
    const server = koa.listen(0, '127.0.0.1');
    attach(app, server, { path: '/ws', pingInterval: 0 });
    if (!server.listening) await once(server, 'listening');
    t.after(async () => {
      await app.close({ timeout: 0, goodbyeWait: 0 });
      await closeQuietly(server);
    });
    const { port } = server.address() as { port: number };
    const client = await connectAutobahn(`ws://127.0.0.1:${port}/ws`);
    t.after(() => client.close());
    assert.equal(client.session.id > 0, true);
  });

  it('still takes a bare node:http server that is not listening yet', () => {
    const app = new Application();
    const server = createServer();
    const endpoint = attach(app, server);
    return endpoint.close();
  });
});
