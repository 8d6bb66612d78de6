/**
 * Child processes for the benchmark, and a request/reply protocol over the
 * Node IPC channel: the parent sends `{ id, cmd, ...args }`, the child answers
 * `{ id, ok, value }` or `{ id, ok: false, error }`. Children may also send
 * unsolicited `{ event, ... }` messages.
 * @module
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export type Handler = (args: Record<string, unknown>) => unknown;

/** A child process started with `tsx` and driven by requests. */
export class Child {
  readonly name: string;
  readonly process: ChildProcess;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly #listeners = new Map<string, (msg: Record<string, unknown>) => void>();
  #nextId = 1;
  #exited = false;

  constructor(name: string, script: string, args: string[] = [], nodeFlags: string[] = []) {
    this.name = name;
    this.process = fork(fileURLToPath(new URL(script, import.meta.url)), args, {
      cwd: ROOT,
      execArgv: ['--import', 'tsx', ...nodeFlags],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    this.process.on('message', (raw) => {
      const msg = raw as Record<string, unknown>;
      if (typeof msg['event'] === 'string') {
        this.#listeners.get(msg['event'])?.(msg);
        return;
      }
      const waiter = this.#pending.get(msg['id'] as number);
      if (waiter === undefined) return;
      this.#pending.delete(msg['id'] as number);
      if (msg['ok'] === true) waiter.resolve(msg['value']);
      else waiter.reject(new Error(`${name}: ${String(msg['error'])}`));
    });
    this.process.on('exit', (code, signal) => {
      this.#exited = true;
      for (const waiter of this.#pending.values()) waiter.reject(new Error(`${name} exited (${code ?? signal})`));
      this.#pending.clear();
    });
  }

  /** Sends a command and resolves with the child's answer. */
  request<T = unknown>(cmd: string, args: Record<string, unknown> = {}, timeoutMs = 120_000): Promise<T> {
    if (this.#exited) return Promise.reject(new Error(`${this.name} has exited`));
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`${this.name}: ${cmd} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.process.send({ id, cmd, ...args });
    });
  }

  /** Listens for one kind of unsolicited event from the child. */
  on(event: string, listener: (msg: Record<string, unknown>) => void): void {
    this.#listeners.set(event, listener);
  }

  /** Ends the child (SIGKILL if it does not leave within a second). */
  async stop(): Promise<void> {
    if (this.#exited) return;
    const exited = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 1000);
    await exited;
    clearTimeout(timer);
  }
}

/** In a child: answers the parent's requests with `handlers`. */
export function serve(handlers: Record<string, Handler>): void {
  process.on('message', (raw) => {
    const msg = raw as Record<string, unknown>;
    const id = msg['id'];
    const handler = handlers[msg['cmd'] as string];
    const reply = (body: Record<string, unknown>): void => void process.send?.({ id, ...body });
    if (handler === undefined) return reply({ ok: false, error: `unknown command ${String(msg['cmd'])}` });
    Promise.resolve()
      .then(() => handler(msg))
      .then(
        (value) => reply({ ok: true, value }),
        (error: unknown) => reply({ ok: false, error: error instanceof Error ? error.message : String(error) }),
      );
  });
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => process.exit(0));
}

/** In a child: sends an unsolicited event to the parent. */
export function emit(event: string, body: Record<string, unknown> = {}): void {
  process.send?.({ event, ...body });
}

/** The monotonic clock in nanoseconds, shared by every process on the machine. */
export function nowNs(): number {
  return Number(process.hrtime.bigint());
}
