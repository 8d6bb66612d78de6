/**
 * The demo (`examples/demo.ts`, what `npm start` runs) in a process of its
 * own on a free loopback port, stopped after the test: SIGTERM (a drain),
 * SIGKILL if it has not exited 15 s later.
 */
import { spawn } from 'node:child_process';
import type { TestContext } from 'node:test';

export interface DemoProcess {
  /** The WAMP endpoint, ws://127.0.0.1:<port>/ws. */
  readonly url: string;
  /** The page, http://127.0.0.1:<port>/. */
  readonly origin: string;
  /** The first lines the demo printed (its mode, node id, address). */
  readonly banner: string;
  /** Everything printed so far, stdout and stderr. */
  output(): string;
}

const START_MS = 30_000;

export async function startDemo(t: Pick<TestContext, 'after'>, env: Record<string, string> = {}): Promise<DemoProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/demo.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', COUNTDOWN_INTERVAL: '0.01', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  t.after(async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo did not start within ${START_MS} ms: ${output}`)), START_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /WAMP at (ws:\/\/\S+)/.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the demo exited with ${code}: ${output}`));
    });
  });
  return { url, origin: url.replace(/^ws:/, 'http:').replace(/ws$/, ''), banner: output, output: () => output };
}
