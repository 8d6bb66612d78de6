/**
 * The README's quick-start client snippet runs as written on this Node
 * (20.19+, which has no global WebSocket) with the repository's autobahn-js,
 * against a server offering the demo's `math.add`; only the port differs.
 * autobahn reports a failed connection and still exits 0, so the test
 * checks the printed result, not only the exit code.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Application, RPCRouteSet } from '../src/index.js';
import { listen } from '../src/node/index.js';

const root = new URL('../', import.meta.url);

function clientSnippet(): string {
  const readme = readFileSync(new URL('README.md', root), 'utf8');
  const match = /Then call the demo from any WAMP client[\s\S]*?```js\n([\s\S]*?)```/.exec(readme);
  assert.ok(match, 'README has the quick-start client snippet');
  return match[1]!;
}

function runModule(source: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // Fed on stdin from the repository root, so `autobahn` and `ws` resolve as in a project that installed them.
    const child = spawn(process.execPath, ['--input-type=module'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill(), 30_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(source);
  });
}

describe('README quick-start client', () => {
  let app: Application;
  let port = 0;

  before(async () => {
    app = new Application();
    const routes = new RPCRouteSet();
    routes.route('math.add', { params: ['number1', 'number2'] }, ({ number1, number2 }) => Number(number1) + Number(number2));
    app.addRPCRoutes(routes);
    port = (await listen(app, { host: '127.0.0.1', port: 0, path: '/ws' })).port;
  });

  after(() => app.close());

  it('prints 5 and exits on its own', async () => {
    const snippet = clientSnippet();
    assert.ok(snippet.includes("'ws://localhost:8080/ws'"), 'the snippet calls the demo address');
    const { code, stdout, stderr } = await runModule(snippet.replace('localhost:8080', `localhost:${port}`));
    assert.equal(stdout.trim(), '5', `stdout: ${stdout}\nstderr: ${stderr}`);
    assert.equal(code, 0);
  });
});
