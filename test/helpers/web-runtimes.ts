/**
 * Bun and Deno from their npm packages (devDependencies), found without
 * relying on the packages' install scripts: npm may not run them (npm 11
 * warns about scripts not covered by `allowScripts`, and a later npm may skip
 * them). Both packages pull the binary in as a per-platform optional
 * dependency, which is run directly when the script did not link it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { commandWorks } from './system.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MODULES = join(ROOT, 'node_modules');

export type WebRuntime = 'bun' | 'deno';

const ARCH: Record<string, string> = { x64: 'x64', arm64: 'aarch64' };

function candidates(runtime: WebRuntime): string[] {
  if (runtime === 'bun') {
    const platform = `${process.platform}-${ARCH[process.arch] ?? process.arch}`;
    return [join(MODULES, 'bun', 'bin', 'bun.exe'), join(MODULES, '@oven', `bun-${platform}`, 'bin', 'bun'), join(MODULES, '@oven', `bun-${platform}-musl`, 'bin', 'bun')];
  }
  const platform = `${process.platform}-${process.arch}`;
  return [join(MODULES, 'deno', 'deno'), join(MODULES, '@deno', `${platform}-glibc`, 'deno'), join(MODULES, '@deno', platform, 'deno')];
}

const found = new Map<WebRuntime, string | undefined>();

/** The runtime's binary from node_modules, if one runs here. */
export function runtimeBinary(runtime: WebRuntime): string | undefined {
  if (!found.has(runtime)) found.set(runtime, candidates(runtime).find((path) => existsSync(path) && commandWorks(path, ['--version'])));
  return found.get(runtime);
}

/** How to run a TypeScript file of this repository under the runtime. */
export function runtimeArgs(runtime: WebRuntime, script: string): string[] {
  // Deno: --sloppy-imports maps the sources' `./x.js` specifiers to `./x.ts`; packages come from node_modules.
  return runtime === 'bun' ? [script] : ['run', '--allow-net', '--allow-read', '--allow-env', '--sloppy-imports', '--quiet', script];
}

export interface RuntimeServer {
  readonly url: string;
  /** e.g. `bun 1.4.5`. */
  readonly runtime: string;
  readonly child: ChildProcess;
  /** Resolves with the exit code once the process has ended. */
  readonly exited: Promise<number | null>;
}

/**
 * Starts `script` (a server printing `{"url": …}` on its first line) under
 * the runtime; killed when `t` ends. Rejects with its stderr if it does not
 * print within `timeoutMs`.
 */
export function startRuntimeServer(t: Pick<TestContext, 'after'>, runtime: WebRuntime, script: string, timeoutMs = 30_000): Promise<RuntimeServer> {
  const binary = runtimeBinary(runtime);
  if (binary === undefined) return Promise.reject(new Error(`${runtime} is not installed (npm install)`));
  const child = spawn(binary, runtimeArgs(runtime, script), { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    if (stderr.length < 8192) stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`${runtime} server did not start within ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n')[0]!;
      if (stdout.includes('\n')) {
        clearTimeout(timer);
        const started = JSON.parse(line) as { url: string; runtime: string };
        resolve({ ...started, child, exited });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${runtime} server exited (${code}) before listening: ${stderr}`));
    });
  });
}
