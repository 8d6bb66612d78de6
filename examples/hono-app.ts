/**
 * The Hono routes of hono-node.ts, hono-bun.ts and hono-deno.ts, beside WAMP: `GET /` and
 * `GET /healthz` (the application's health: 503 once it is shutting down).
 */
import { Hono } from 'hono';
import type { Application } from '../src/index.js';

export function honoBeside(app: Application) {
  return new Hono()
    .get('/', (c) => c.text('Hono beside WAMP: connect a WAMP client to /ws'))
    .get('/healthz', (c) => {
      const health = app.health();
      return c.json(health, health.ready ? 200 : 503);
    });
}
