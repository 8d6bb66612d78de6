/**
 * examples/hono-node.ts, examples/hono-bun.ts and examples/hono-deno.ts run
 * as documented: each serves a call and an event to autobahn-js beside its
 * Hono routes (`/` and `/healthz`), and on SIGTERM tells the session
 * GOODBYE and exits 0.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectAutobahn } from './helpers/clients.js';
import { assertClosesOnSIGTERM, assertExampleApplication, assertHealthy, httpOrigin, startExample } from './helpers/example-process.js';
import { requireComponent } from './helpers/system.js';
import { runtimeArgs, runtimeBinary } from './helpers/web-runtimes.js';

const RUNTIMES = [
  { name: 'node', label: 'Node', command: () => process.execPath, args: ['--import', 'tsx', 'examples/hono-node.ts'] },
  { name: 'bun', label: 'Bun', command: () => runtimeBinary('bun'), args: runtimeArgs('bun', 'examples/hono-bun.ts') },
  { name: 'deno', label: 'Deno', command: () => runtimeBinary('deno'), args: runtimeArgs('deno', 'examples/hono-deno.ts') },
] as const;

describe('the Hono examples', () => {
  for (const runtime of RUNTIMES) {
    it(`examples/hono-${runtime.name}.ts serves WAMP beside Hono routes and closes gracefully on SIGTERM`, { timeout: 60_000 }, async (t) => {
      const binary = runtime.command();
      if (!requireComponent(t, binary !== undefined, runtime.name, `the "${runtime.name}" devDependency: npm install`)) return;
      const example = await startExample(t, binary!, runtime.args, { name: `examples/hono-${runtime.name}.ts` });
      const client = await connectAutobahn(example.url);
      await assertExampleApplication(client, `Hono on ${runtime.label}`);
      const home = await fetch(`${httpOrigin(example.url)}/`);
      assert.match(await home.text(), /^Hono beside WAMP/);
      await assertHealthy(httpOrigin(example.url));
      await assertClosesOnSIGTERM(example, client);
    });
  }
});
