/**
 * examples/bun.ts and examples/deno.ts run as documented: each serves a call
 * and an event to autobahn-js, answers /healthz, and on SIGTERM tells the
 * session GOODBYE and exits 0.
 */
import { describe, it } from 'node:test';
import { connectAutobahn } from './helpers/clients.js';
import { assertClosesOnSIGTERM, assertExampleApplication, assertHealthy, httpOrigin, startExample } from './helpers/example-process.js';
import { requireComponent } from './helpers/system.js';
import { runtimeArgs, runtimeBinary, type WebRuntime } from './helpers/web-runtimes.js';

describe('the Bun and Deno examples', () => {
  for (const runtime of ['bun', 'deno'] as const satisfies readonly WebRuntime[]) {
    it(`examples/${runtime}.ts serves, answers /healthz and closes gracefully on SIGTERM`, { timeout: 60_000 }, async (t) => {
      const binary = runtimeBinary(runtime);
      if (!requireComponent(t, binary !== undefined, runtime, `the "${runtime}" devDependency: npm install`)) return;
      const example = await startExample(t, binary!, runtimeArgs(runtime, `examples/${runtime}.ts`));
      const client = await connectAutobahn(example.url);
      await assertExampleApplication(client, runtime === 'bun' ? 'Bun' : 'Deno');
      await assertHealthy(httpOrigin(example.url));
      await assertClosesOnSIGTERM(example, client);
    });
  }
});
