/**
 * Runs an example as its user would (`PORT=0`, from the repository root) and
 * waits for the URL it prints; killed after the test if still running.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { AutobahnClient } from './clients.js';
import { within } from './pubsub.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface RunningExample {
  readonly child: ChildProcess;
  /** The first capture group of `urlPattern` (or its whole match) in the example's output. */
  readonly url: string;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
  /** Everything the example printed so far, stdout and stderr. */
  output(): string;
}

export async function startExample(
  t: TestContext,
  command: string,
  args: readonly string[],
  options: { readonly urlPattern?: RegExp; readonly env?: Record<string, string>; readonly name?: string } = {},
): Promise<RunningExample> {
  const { urlPattern = /wss?:\/\/127\.0\.0\.1:\d+\/ws/, env = {}, name = args.at(-1) ?? command } = options;
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => void (child.exitCode === null && child.kill('SIGKILL')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await within(
    new Promise<string>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = urlPattern.exec(output);
        if (match !== null) resolve(match[1] ?? match[0]);
      });
    }),
    30_000,
    `${name} to print its URL`,
  );
  return { child, url, exited, output: () => output };
}

/** What examples/example-app.ts answers a real client: a greeting from `host`, and an announcement it hears back. */
export async function assertExampleApplication(client: AutobahnClient, host: string): Promise<void> {
  assert.equal(await client.session.call('example.hello', ['Ada']), `Hello, Ada, from ${host}`);
  const events: unknown[] = [];
  await client.session.subscribe('example.news', (args: unknown[]) => events.push(args));
  await client.session.call('example.announce', ['flash']);
  assert.deepEqual(events, [['flash']]);
}

/** The http:// origin of an example whose WAMP endpoint is `url` (ws://…/ws). */
export function httpOrigin(url: string): string {
  return url.replace(/^ws:/, 'http:').replace(/\/ws$/, '');
}

/** The example's `GET /healthz` answers 200 with the application's health, `ok`. */
export async function assertHealthy(origin: string): Promise<void> {
  const health = await fetch(`${origin}/healthz`);
  assert.equal(health.status, 200);
  assert.equal(((await health.json()) as { status: string }).status, 'ok');
}

/** SIGTERM ends the example gracefully: the client is told GOODBYE (system_shutdown), then it exits 0. */
export async function assertClosesOnSIGTERM(example: RunningExample, client: AutobahnClient): Promise<void> {
  example.child.kill('SIGTERM');
  const closed = await within(client.closed, 15_000, 'the GOODBYE');
  assert.equal(closed.details.reason, 'wamp.close.system_shutdown');
  assert.equal(await within(example.exited, 15_000, 'the exit'), 0);
}
