/**
 * A Hono app on Node (`@hono/node-server`) with WAMP beside its routes:
 * `node --import tsx examples/hono-node.ts`, then connect a WAMP client to
 * ws://127.0.0.1:8080/ws (PORT from the environment; 0 picks a free port).
 * Hono answers `GET /` and `GET /healthz`; WAMP is served by `attach` on the
 * server `serve()` returns. Ctrl-C closes it gracefully: `server.close()`
 * tells every session GOODBYE first (the application is tied to its server).
 */
import { serve } from '@hono/node-server';
import { attach } from '../src/node/index.js';
import { exampleApplication } from './example-app.js';
import { honoBeside } from './hono-app.js';

const app = exampleApplication('Hono on Node');

const web = honoBeside(app);

const server = serve({ fetch: web.fetch, hostname: '127.0.0.1', port: Number(process.env['PORT'] ?? 8080) }, ({ port }) => {
  console.log(`WAMP on Node (Hono) at ws://127.0.0.1:${port}/ws`);
});
attach(app, server, { path: '/ws' });

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => server.close(() => process.exit(0)));
}
