/**
 * What `npm start` prints: the URL, then one line per session joined or left
 * and per error, nothing per call; and when it cannot listen (the port is
 * taken, PORT is not a port), one line saying so and exit code 1, no stack.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { printable, throttled } from '../examples/demo-terminal.js';
import { connectAutobahn } from './helpers/clients.js';
import { startDemo } from './helpers/demo-process.js';

const DEADLINE_MS = 15_000;

async function until(what: string, done: () => boolean): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${DEADLINE_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Runs `npm start` as a person would, and resolves to its exit code and output once it exits. */
async function npmStart(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn('npm', ['start', '--silent'], { env: { ...process.env, HOST: '127.0.0.1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, stdout, stderr };
}

describe('npm start: what the terminal shows', () => {
  it('the URL, then a line per session joined or left and per error, nothing per call', async (t) => {
    const demo = await startDemo(t);
    assert.match(demo.banner, /WAMP at ws:\/\/127\.0\.0\.1:\d+\/ws/);
    await until('the page URL', () => /Open http:\/\/127\.0\.0\.1:\d+\/ in a browser/.test(demo.output()));
    const before = demo.output().split('\n').filter(Boolean).length;

    const ann = await connectAutobahn(demo.url, { authid: 'Ann' });
    for (let i = 0; i < 20; i++) assert.equal(await ann.session.call('math.add', [i, 1]), i + 1);
    await assert.rejects(ann.session.call('math.add', ['abc', 2]), (error: any) => error.error === 'wamp.error.invalid_argument');
    // A canceled call is not an error.
    const countdown = ann.session.call('countdown_to_liftoff', [], { from: 60 }, { receive_progress: true });
    countdown.cancel({ mode: 'kill' });
    await countdown.catch(() => {});
    await ann.close();
    await until('the line for Ann leaving', () => /- Ann left/.test(demo.output()));

    const lines = demo.output().split('\n').filter(Boolean).slice(before);
    assert.equal(lines.length, 3, lines.join('\n'));
    assert.match(lines[0]!, /^\+ Ann joined \(session \d+, 127\.0\.0\.1\)$/);
    assert.equal(lines[1], "! Ann called math.add: wamp.error.invalid_argument (invalid argument 'number1': expected a number)");
    assert.match(lines[2]!, /^- Ann left after \d+ s \(session \d+\)$/);
  });

  it('a taken port: one line naming it and what to do, exit code 1, no stack trace', async () => {
    const blocker = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const { port } = blocker.address() as AddressInfo;
    try {
      const { code, stdout, stderr } = await npmStart({ PORT: String(port) });
      assert.equal(code, 1, stdout + stderr);
      assert.equal(stderr, `Port ${port} on 127.0.0.1 is already in use: stop the program using it, or pick another port, e.g. PORT=8080 npm start.\n`);
      assert.doesNotMatch(stdout, /WAMP at|EADDRINUSE|\n\s+at /);
    } finally {
      blocker.close();
    }
  });

  it('a PORT that is not a port: one line, exit code 1', async () => {
    const { code, stderr } = await npmStart({ PORT: 'eighty' });
    assert.equal(code, 1);
    assert.equal(stderr, 'PORT must be a port number from 0 to 65535 (0: any free port), not "eighty".\n');
  });

  it('lines stay lines: control characters are flattened, long text is cut, a flood is summed up', () => {
    assert.equal(printable('a\u001b[31mred\nline\u2028x'), 'a [31mred line x');
    assert.equal(printable('x'.repeat(1000)).length, 200);
    const printed: string[] = [];
    let now = 0;
    const print = throttled((line) => printed.push(line), () => now);
    for (let i = 0; i < 1000; i++) print(`error ${i}`);
    assert.equal(printed.length, 20);
    now = 1000;
    print('next second');
    assert.deepEqual(printed.slice(20), ['… 980 more lines not shown (more than 20 a second)', 'next second']);
  });
});
