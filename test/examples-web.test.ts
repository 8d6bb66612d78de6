/**
 * examples/bun.ts and examples/deno.ts run as documented: each serves a call
 * and an event to autobahn-js, answers /healthz, and on SIGTERM tells the
 * session GOODBYE and exits 0.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectAutobahn } from './helpers/clients.js';
import { startExample } from './helpers/example-process.js';
import { within } from './helpers/pubsub.js';
import { requireComponent } from './helpers/system.js';
import { runtimeArgs, runtimeBinary, type WebRuntime } from './helpers/web-runtimes.js';

describe('the Bun and Deno examples', () => {
  for (const runtime of ['bun', 'deno'] as const satisfies readonly WebRuntime[]) {
    it(`examples/${runtime}.ts serves, answers /healthz and closes gracefully on SIGTERM`, { timeout: 60_000 }, async (t) => {
      const binary = runtimeBinary(runtime);
      if (!requireComponent(t, binary !== undefined, runtime, `the "${runtime}" devDependency: npm install`)) return;
      const { child, url, exited } = await startExample(t, binary!, runtimeArgs(runtime, `examples/${runtime}.ts`));
      const client = await connectAutobahn(url);
      assert.equal(await client.session.call('example.hello', ['Ada']), `Hello, Ada, from ${runtime === 'bun' ? 'Bun' : 'Deno'}`);
      const events: unknown[] = [];
      await client.session.subscribe('example.news', (args: unknown[]) => events.push(args));
      await client.session.call('example.announce', ['flash']);
      assert.deepEqual(events, [['flash']]);
      const health = await fetch(url.replace(/^ws:/, 'http:').replace(/\/ws$/, '/healthz'));
      assert.equal(health.status, 200);
      assert.equal(((await health.json()) as { status: string }).status, 'ok');
      child.kill('SIGTERM');
      const closed = await within(client.closed, 15_000, 'the GOODBYE');
      assert.equal(closed.details.reason, 'wamp.close.system_shutdown');
      assert.equal(await within(exited, 15_000, 'the exit'), 0);
    });
  }
});
