/**
 * workerd (Cloudflare's Workers runtime) from the `workerd` npm package,
 * found without its install script: the binary comes in a per-platform
 * optional dependency (@cloudflare/workerd-linux-64, …), run directly.
 * A Worker (test/fixtures/cloudflare-worker.ts, an example) is bundled with
 * esbuild once per process, a Cap'n Proto config is written next to it, and each server is
 * `workerd serve` on 127.0.0.1 with a port of the system's choosing
 * (reported on `--control-fd`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { commandWorks } from './system.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MODULES = join(ROOT, 'node_modules');

const PLATFORM: Record<string, string> = { 'linux-x64': 'linux-64', 'linux-arm64': 'linux-arm64', 'darwin-x64': 'darwin-64', 'darwin-arm64': 'darwin-arm64', 'win32-x64': 'windows-64' };

let binary: string | null | undefined;

/** The workerd binary from node_modules, if one runs here. */
export function workerdBinary(): string | undefined {
  if (binary === undefined) {
    const platform = PLATFORM[`${process.platform}-${process.arch}`];
    const candidates = [
      ...(platform === undefined ? [] : [join(MODULES, '@cloudflare', `workerd-${platform}`, 'bin', process.platform === 'win32' ? 'workerd.exe' : 'workerd')]),
      join(MODULES, 'workerd', 'bin', 'workerd'),
    ];
    binary = candidates.find((path) => existsSync(path) && commandWorks(path, ['--version'])) ?? null;
  }
  return binary ?? undefined;
}

/** A Worker to serve: its entry file, and its Durable Object classes by binding name. */
export interface WorkerdScript {
  readonly entry: string;
  readonly durableObjects: Readonly<Record<string, string>>;
}

/** test/fixtures/cloudflare-worker.ts: the suite's application on a Durable Object, one that may hibernate, and plain Workers. */
export const SUITE_WORKER: WorkerdScript = { entry: join(ROOT, 'test', 'fixtures', 'cloudflare-worker.ts'), durableObjects: { ROOMS: 'SuiteRoom', NAPPING: 'NappingRoom' } };

function config(bundle: string, durableObjects: Readonly<Record<string, string>>): string {
  const classes = Object.entries(durableObjects);
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "${bundle}")],
  compatibilityDate = "2026-01-01",
  compatibilityFlags = ["nodejs_compat"],
  bindings = [${classes.map(([binding, className]) => `(name = "${binding}", durableObjectNamespace = "${className}")`).join(', ')}],
  durableObjectNamespaces = [${classes.map(([, className]) => `(className = "${className}", uniqueKey = "serverwamp-${className}")`).join(', ')}],
  durableObjectStorage = (inMemory = void),
);
`;
}

const prepared = new Map<string, Promise<string>>();

/** Bundles the script and writes its config, once per script; the config's path. */
function prepare(script: WorkerdScript): Promise<string> {
  let pending = prepared.get(script.entry);
  if (pending !== undefined) return pending;
  pending = (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'serverwamp-workerd-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    await build({
      entryPoints: [script.entry],
      outfile: join(dir, 'worker.js'),
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      target: 'es2022',
      mainFields: ['module', 'main'],
      conditions: ['workerd', 'worker', 'browser'],
      logLevel: 'error',
    });
    const path = join(dir, 'config.capnp');
    writeFileSync(path, config('worker.js', script.durableObjects));
    return path;
  })();
  prepared.set(script.entry, pending);
  return pending;
}

export interface WorkerdServer {
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  readonly child: ChildProcess;
  /** From spawn to the port being reported. */
  readonly startupMs: number;
  /** What workerd wrote to stderr so far (its logs, uncaught exceptions). */
  stderr(): string;
}

/** Starts `workerd serve` with `script` (default: the suite's fixture); killed when `t` ends. */
export async function startWorkerd(t: Pick<TestContext, 'after'>, script: WorkerdScript = SUITE_WORKER, timeoutMs = 30_000): Promise<WorkerdServer> {
  const path = workerdBinary();
  if (path === undefined) throw new Error('workerd is not installed (npm install)');
  const configPath = await prepare(script);
  const started = Date.now();
  const child = spawn(path, ['serve', configPath, '--control-fd=3', '--verbose'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    if (stderr.length < 65_536) stderr += chunk.toString();
  });
  const control = child.stdio[3] as NodeJS.ReadableStream;
  const port = await new Promise<number>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`workerd did not listen within ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    control.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      for (const line of text.split('\n').slice(0, -1)) {
        const event = JSON.parse(line) as { event: string; socket?: string; port?: number };
        if (event.event === 'listen' && event.socket === 'http' && event.port !== undefined) {
          clearTimeout(timer);
          resolve(event.port);
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`workerd exited (${code}) before listening: ${stderr}`));
    });
  });
  return { origin: `http://127.0.0.1:${port}`, child, startupMs: Date.now() - started, stderr: () => stderr };
}
