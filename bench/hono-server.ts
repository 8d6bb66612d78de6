/**
 * The runtimes benchmark's server as a Hono app: `math.add` served beside a
 * Hono route, on Node (`@hono/node-server` + serverwamp/node's `attach`), Bun
 * or Deno (serverwamp/hono's `upgradeWAMP` route). Prints one JSON line with
 * its URL, as bench/runtime-server.ts does.
 * @module
 */
import { Hono } from 'hono';
import { Application, RPCRouteSet } from '../src/index.js';

const runtime = globalThis as any;
const app = new Application();
app.addRPCRoutes(new RPCRouteSet().route('math.add', { params: ['number1', 'number2'] }, ({ number1, number2 }) => Number(number1) + Number(number2)));
const web = new Hono().get('/', (c) => c.text('Hono beside WAMP'));

if (runtime.Bun !== undefined || runtime.Deno !== undefined) {
  const { upgradeWAMP } = await import('../src/hono/index.js');
  const wamp = upgradeWAMP(app);
  web.get('/ws', wamp);
  if (runtime.Bun !== undefined) {
    const server = runtime.Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: web.fetch, websocket: wamp.websocket });
    console.log(JSON.stringify({ runtime: `Hono on Bun ${runtime.Bun.version}`, url: `ws://127.0.0.1:${server.port}/ws` }));
  } else {
    const server = runtime.Deno.serve({ hostname: '127.0.0.1', port: 0, onListen() {} }, web.fetch);
    console.log(JSON.stringify({ runtime: `Hono on Deno ${runtime.Deno.version.deno}`, url: `ws://127.0.0.1:${server.addr.port}/ws` }));
  }
} else {
  const { serve } = await import('@hono/node-server');
  const { attach } = await import('../src/node/index.js');
  const server = serve({ fetch: web.fetch, port: 0, hostname: '127.0.0.1' });
  attach(app, server, { path: '/ws' });
  await new Promise((resolve) => server.once('listening', resolve));
  console.log(JSON.stringify({ runtime: `Hono on Node ${runtime.process.version}`, url: `ws://127.0.0.1:${(server.address() as { port: number }).port}/ws` }));
}
