/**
 * `npm start` stops gracefully on SIGTERM and SIGINT: the signal reaches the
 * demo through npm (the start script execs node, so no shell sits between
 * them and swallows it), the countdown in flight delivers its result before
 * GOODBYE, the demo says what it does, and everything exits.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { connectAutobahn } from './helpers/clients.js';
import { within } from './helpers/drain.js';

const BOUND_MS = 30_000;

async function startDemo(): Promise<{ url: string; output: () => string; exited: Promise<number | null>; kill: (signal: NodeJS.Signals) => void }> {
  const child = spawn('npm', ['start', '--silent'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', COUNTDOWN_INTERVAL: '0.3' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await within(
    new Promise<string>((resolve, reject) => {
      child.stdout.on('data', () => {
        const match = /WAMP at (ws:\/\/\S+)/.exec(output);
        if (match) resolve(match[1]!);
      });
      void exited.then((code) => reject(new Error(`the demo exited with ${code}: ${output}`)));
    }),
    BOUND_MS,
    `the demo starting (${output})`,
  ).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  return { url, output: () => output, exited, kill: (signal) => child.kill(signal) };
}

describe('npm start: stopping the demo', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal}: the countdown in flight finishes, then GOODBYE, and npm exits`, async () => {
      const demo = await startDemo();
      try {
        const client = await connectAutobahn(demo.url, { realm: 'realm1' });
        const steps: number[] = [];
        let signalled = false;
        const events: string[] = [];
        const liftoff = client.session
          .call('countdown_to_liftoff', [], {}, { receive_progress: true })
          .then(
            (result: { kwargs: { liftoffStatus: string } }) => events.push(`result:${result.kwargs.liftoffStatus}`),
            (error: { error: string }) => events.push(`error:${error.error}`),
            (update: { kwargs: { timeLeft: number } }) => {
              steps.push(update.kwargs.timeLeft);
              if (!signalled) {
                signalled = true;
                demo.kill(signal);
              }
            },
          );
        const closed = client.closed.then(({ details }) => events.push(`closed:${details.reason}`));
        await within(Promise.all([liftoff, closed]), BOUND_MS, 'the client');
        const code = await within(demo.exited, BOUND_MS, 'npm exiting');
        assert.deepEqual(events, ['result:SUCCESS', 'closed:wamp.close.system_shutdown']);
        assert.deepEqual(steps, [3, 2, 1]);
        assert.match(demo.output(), new RegExp(`${signal}: draining`));
        assert.match(demo.output(), /Drained in \d+ ms; exiting/);
        assert.equal(code, 0, demo.output());
      } finally {
        demo.kill('SIGKILL');
      }
    });
  }
});
