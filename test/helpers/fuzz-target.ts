/**
 * The fuzzer's side of the server process (test/helpers/fuzz-server.ts): starts
 * it, watches it stay alive, and keeps a bystander autobahn session calling it
 * throughout, recording each answer's latency.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { connectAutobahn, type AutobahnClient } from './clients.js';

export interface ServerHealth {
  objectPrototype: string[];
  arrayPrototype: number;
  functionPrototype: number;
  polluted: boolean;
  heapUsed: number;
  rss: number;
  gc: boolean;
}

export class FuzzServer {
  readonly url: string;
  readonly rawPort: number;
  readonly #child: ChildProcess;
  #stderr = '';

  private constructor(child: ChildProcess, url: string, rawPort: number) {
    this.#child = child;
    this.url = url;
    this.rawPort = rawPort;
    child.stderr!.on('data', (chunk: Buffer) => {
      if (this.#stderr.length < 8192) this.#stderr += chunk.toString();
    });
  }

  static async start(): Promise<FuzzServer> {
    const entry = fileURLToPath(new URL('./fuzz-server.ts', import.meta.url));
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', entry], { stdio: ['ignore', 'pipe', 'pipe'] });
    let line = '';
    for await (const chunk of child.stdout!) {
      line += String(chunk);
      if (line.includes('\n')) break;
    }
    const { url, rawPort } = JSON.parse(line) as { url: string; rawPort: number };
    return new FuzzServer(child, url, rawPort);
  }

  /** Why the process is gone (exit code or signal and the start of its stderr), or undefined while it runs. */
  get death(): string | undefined {
    const { exitCode, signalCode } = this.#child;
    if (exitCode === null && signalCode === null) return undefined;
    return `the server process exited (${exitCode ?? signalCode}): ${this.#stderr.slice(0, 2000)}`;
  }

  async stop(): Promise<void> {
    if (this.death !== undefined) return;
    const exited = once(this.#child, 'exit');
    this.#child.kill('SIGKILL');
    await exited;
  }
}

/** A real autobahn session calling `math.add` every `intervalMs`, checking each answer and timing it. */
export class Bystander {
  readonly latencies: number[] = [];
  readonly failures: string[] = [];
  readonly #client: AutobahnClient;
  #running = true;
  #loop: Promise<void> | undefined;
  #pendingSince: number | undefined;

  private constructor(client: AutobahnClient) {
    this.#client = client;
  }

  static async join(url: string, intervalMs = 20): Promise<Bystander> {
    const bystander = new Bystander(await connectAutobahn(url, { realm: 'realm1' }));
    bystander.#loop = bystander.#run(intervalMs);
    return bystander;
  }

  /** How long the current call has waited (0 if none is pending). */
  get stalledFor(): number {
    return this.#pendingSince === undefined ? 0 : performance.now() - this.#pendingSince;
  }

  get worst(): number {
    return this.latencies.reduce((a, b) => Math.max(a, b), 0);
  }

  percentile(p: number): number {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
  }

  async call(procedure: string, args: unknown[] = []): Promise<unknown> {
    return this.#client.session.call(procedure, args);
  }

  async #run(intervalMs: number): Promise<void> {
    for (let i = 0; this.#running; i++) {
      this.#pendingSince = performance.now();
      try {
        const result = await this.#client.session.call('math.add', [i, 1]);
        if (result !== i + 1) this.failures.push(`math.add(${i}, 1) answered ${String(result)}`);
      } catch (error) {
        this.failures.push(`math.add failed: ${String((error as { error?: string }).error ?? error)}`);
        if (!this.#client.connection.isOpen) break;
      }
      this.latencies.push(performance.now() - this.#pendingSince);
      this.#pendingSince = undefined;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }

  async stop(): Promise<void> {
    this.#running = false;
    // A frozen server never answers the pending call: do not wait for it forever.
    await Promise.race([this.#loop, new Promise((resolve) => setTimeout(resolve, 2000))]);
    await Promise.race([this.#client.close(), new Promise((resolve) => setTimeout(resolve, 2000))]);
  }
}
