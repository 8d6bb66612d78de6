/**
 * examples/hono-node.ts, examples/hono-bun.ts and examples/hono-deno.ts run
 * as documented: each serves a call and an event to autobahn-js beside its
 * Hono routes (`/` and `/healthz`), and on SIGTERM tells the session
 * GOODBYE and exits 0.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { connectAutobahn } from './helpers/clients.js';
import { within } from './helpers/pubsub.js';
import { requireComponent } from './helpers/system.js';
import { runtimeArgs, runtimeBinary } from './helpers/web-runtimes.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

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
      const child = spawn(binary!, runtime.args, { cwd: ROOT, env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
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
        `examples/hono-${runtime.name}.ts to print its URL`,
      );
      const client = await connectAutobahn(url);
      assert.equal(await client.session.call('example.hello', ['Ada']), `Hello, Ada, from Hono on ${runtime.label}`);
      const events: unknown[] = [];
      await client.session.subscribe('example.news', (args: unknown[]) => events.push(args));
      await client.session.call('example.announce', ['flash']);
      assert.deepEqual(events, [['flash']]);
      const http = url.replace(/^ws:/, 'http:').replace(/\/ws$/, '');
      const home = await fetch(`${http}/`);
      assert.match(await home.text(), /^Hono beside WAMP/);
      const health = await fetch(`${http}/healthz`);
      assert.equal(health.status, 200);
      assert.equal(((await health.json()) as { status: string }).status, 'ok');
      child.kill('SIGTERM');
      const closed = await within(client.closed, 15_000, 'the GOODBYE');
      assert.equal(closed.details.reason, 'wamp.close.system_shutdown');
      assert.equal(await within(exited, 15_000, 'the exit'), 0);
    });
  }
});
