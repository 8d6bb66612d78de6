/**
 * examples/bun.ts and examples/deno.ts run as documented: each serves a call
 * and an event to autobahn-js, answers /healthz, and on SIGTERM tells the
 * session GOODBYE and exits 0.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { connectAutobahn } from './helpers/clients.js';
import { within } from './helpers/pubsub.js';
import { requireComponent } from './helpers/system.js';
import { runtimeArgs, runtimeBinary, type WebRuntime } from './helpers/web-runtimes.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

describe('the Bun and Deno examples', () => {
  for (const runtime of ['bun', 'deno'] as const satisfies readonly WebRuntime[]) {
    it(`examples/${runtime}.ts serves, answers /healthz and closes gracefully on SIGTERM`, { timeout: 60_000 }, async (t) => {
      const binary = runtimeBinary(runtime);
      if (!requireComponent(t, binary !== undefined, runtime, `the "${runtime}" devDependency: npm install`)) return;
      const child = spawn(binary!, runtimeArgs(runtime, `examples/${runtime}.ts`), { cwd: ROOT, env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
      t.after(() => void (child.exitCode === null && child.kill('SIGKILL')));
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      let output = '';
      const url = await within(
        new Promise<string>((resolve) => {
          child.stdout.on('data', (chunk: Buffer) => {
            output += chunk.toString();
            const match = /ws:\/\/127\.0\.0\.1:\d+\/ws/.exec(output);
            if (match !== null) resolve(match[0]);
          });
        }),
        30_000,
        `examples/${runtime}.ts to print its URL`,
      );
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
