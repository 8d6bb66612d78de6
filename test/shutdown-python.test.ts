/**
 * `app.close()` as Autobahn|Python sees it: the call in flight gets its
 * RESULT, a new call during the drain is refused, the call still running at
 * the deadline is canceled, and the session is left with
 * `wamp.close.system_shutdown`. Autobahn|Python 22.7's asyncio
 * ApplicationRunner has no reconnection of its own: the session's default
 * onLeave disconnects, and the runner returns.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { listen } from '../src/node/index.js';
import { drainApp, within } from './helpers/drain.js';
import { commandWorks, requireComponent } from './helpers/system.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./python/shutdown_client.py', import.meta.url));
const available = commandWorks(PYTHON, ['-c', 'import autobahn']);
const DEADLINE_MS = 3000;

function runClient(url: string): Promise<{ events: string[]; left?: string }> {
  return new Promise((resolve, reject) => {
    execFile(PYTHON, [SCRIPT, url, 'realm1'], { timeout: 30_000 }, (error, stdout, stderr) => {
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT: '));
      if (line === undefined) reject(new Error(`no result from Autobahn|Python (${String(error)}): ${stderr.slice(0, 2000)}`));
      else resolve(JSON.parse(line.slice('RESULT: '.length)) as { events: string[]; left?: string });
    });
  });
}

describe('app.close() with Autobahn|Python', () => {
  it('RESULT before GOODBYE, refusal during the drain, canceled at the deadline', async (t) => {
    if (!requireComponent(t, available, 'Autobahn|Python', 'apt-get install python3-autobahn')) return;
    const drain = drainApp();
    const listening = await listen(drain.app, { port: 0, host: '127.0.0.1', pingInterval: 0 });
    t.after(() => listening.close());
    const client = runClient(listening.url);
    client.catch(() => undefined); // awaited below; a failure before then must not go unhandled
    await drain.whenEntered(3);
    const closing = drain.app.close({ timeout: DEADLINE_MS });
    drain.release();
    const seen = await within(client, 40_000, 'Autobahn|Python');
    await within(closing, 30_000, 'close()');
    assert.equal(seen.left, 'wamp.close.system_shutdown');
    assert.deepEqual(
      seen.events.slice().sort(),
      ['closing:result', 'disconnected', 'quick:serverwamp.error.shutting_down', 'slow:result', 'stuck:wamp.error.canceled'].sort(),
    );
    assert.equal(seen.events.at(-1), 'disconnected', seen.events.join(', '));
  });
});
