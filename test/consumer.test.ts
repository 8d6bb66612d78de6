/**
 * The package as an application installs it: `npm pack`, then `npm ci` in a
 * fresh project from the committed lockfile (test/consumer/), with node-gyp
 * pointed at nothing so that any native build fails the install. Then the
 * installed package is imported from ESM, required from CommonJS,
 * typechecked by the consumer's own TypeScript under `nodenext` and
 * `bundler` resolution, and serves a real WebSocket call.
 *
 * When serverwamp's dependencies change, refresh the lock:
 * `UPDATE_CONSUMER_LOCK=1 node --import tsx --test test/consumer.test.ts`.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { FIXTURE, prepareConsumer, stripTarballIntegrity } from './helpers/consumer-project.js';
import { RawClient } from './helpers/raw-client.js';

type Lock = Parameters<typeof stripTarballIntegrity>[0] & { packages: Record<string, { optional?: boolean; hasInstallScript?: boolean; dev?: boolean }> };

const STEP_MS = 120_000;

function run(dir: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  try {
    return execFileSync(command, args, { cwd: dir, encoding: 'utf8', timeout: STEP_MS, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${dir}:\n${String(stdout ?? '').slice(-2000)}\n${String(stderr ?? '').slice(0, 4000)}`, { cause: error });
  }
}

describe('a consumer project', { timeout: 240_000 }, () => {
  let dir = '';
  let server: ChildProcess | undefined;

  before(() => {
    dir = prepareConsumer();
    if (process.env['UPDATE_CONSUMER_LOCK'] === '1') {
      rmSync(join(dir, 'package-lock.json'), { force: true });
      run(dir, 'npm', ['install', '--package-lock-only', '--no-audit', '--no-fund']);
      const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as Lock;
      stripTarballIntegrity(lock);
      const text = `${JSON.stringify(lock, null, 2)}\n`;
      writeFileSync(join(FIXTURE, 'package-lock.json'), text);
      writeFileSync(join(dir, 'package-lock.json'), text);
    }
  });

  after(() => {
    server?.kill();
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('installs with npm ci from its lockfile, without a native build', () => {
    const started = Date.now();
    // A missing node-gyp makes any required native build fail the install; optional ones may fail quietly.
    run(dir, 'npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], { npm_config_node_gyp: join(dir, 'no-node-gyp') });
    console.log(`consumer npm ci: ${Date.now() - started} ms`);
    assert.ok(existsSync(join(dir, 'node_modules', 'serverwamp', 'dist', 'index.js')));
    assert.ok(!existsSync(join(dir, 'node_modules', 'cbor-x')), 'no cbor-x (its cbor-extract breaks npm ci)');
    const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as Lock;
    const scripted = Object.entries(lock.packages).filter(([, entry]) => entry.hasInstallScript === true && entry.optional !== true);
    assert.deepEqual(scripted.map(([name]) => name), [], 'every package with an install script is optional');
  });

  it('imports from ESM and requires from CommonJS', () => {
    assert.equal(run(dir, process.execPath, ['esm.mjs']).trim(), 'esm ok');
    assert.equal(run(dir, process.execPath, ['cjs.cjs']).trim(), 'cjs ok');
  });

  it('typechecks with its own TypeScript under bundler and nodenext resolution', () => {
    const tsc = join(dir, 'node_modules', 'typescript', 'bin', 'tsc');
    run(dir, process.execPath, [tsc, '-p', 'tsconfig.bundler.json']);
    run(dir, process.execPath, [tsc, '-p', 'tsconfig.nodenext.json']);
    assert.ok(existsSync(join(dir, 'out', 'server.js')));
  });

  it('serves a WAMP call from a server built on the installed package', async () => {
    const child = spawn(process.execPath, [join('out', 'server.js')], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
    server = child;
    const lines = createInterface({ input: child.stdout! });
    const first = await new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`the consumer's server exited (${code}) before listening`)));
    });
    const { url, protocols } = JSON.parse(first) as { url: string; protocols: string[] };
    assert.ok(protocols.includes('wamp.2.cbor'));
    const client = await RawClient.connect(url, 'wamp.2.json');
    try {
      const welcome = await client.hello('realm1');
      assert.equal(welcome[0], 2, 'WELCOME');
      client.send([48, 1, {}, 'math.add', [2, 3]]);
      assert.deepEqual(await client.next(10_000), [50, 1, {}, [5]]);
    } finally {
      client.close();
      child.kill();
    }
  });
});
