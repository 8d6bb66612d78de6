/**
 * Type-level checks of the Fastify plugin, compiled by `tsc --noEmit` (npm
 * run typecheck): it registers on HTTP and HTTPS instances, its options are
 * typed, and a wrong option does not compile (each `@ts-expect-error` fails
 * the type check if its line compiles).
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import Fastify from 'fastify';
import { Application } from '../src/index.js';
import { serverwamp } from '../src/fastify/index.js';

/** Never run: registering is what the compiler checks. */
async function registrations(): Promise<void> {
  const app = new Application();
  await Fastify().register(serverwamp(app), { path: '/ws', allowedOrigins: ['https://app.example'], pingInterval: 0 });
  await Fastify().register(serverwamp(app));
  await Fastify({ https: { key: '', cert: '' } }).register(serverwamp(app), { path: '/wamp' });
  // @ts-expect-error: path is a string
  await Fastify().register(serverwamp(app), { path: 7 });
  // @ts-expect-error: the first argument is the application
  serverwamp({ path: '/ws' });
}

it('the Fastify plugin type checks (compiled by npm run typecheck)', () => {
  assert.equal(typeof registrations, 'function');
});
