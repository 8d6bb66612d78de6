/**
 * Many idle sessions in one client process, for the footprint and fan-out
 * benchmarks: WAMP sessions (HELLO/WELCOME, then optionally SUBSCRIBE) on the
 * lean raw client, or socket.io connections. Received events are counted;
 * each time every session has received one more, the time is noted.
 * @module
 */
import type WebSocket from 'ws';
import type { Socket } from 'socket.io-client';
import { nowNs } from './ipc.js';
import { openSocketIO } from './loadgen.js';
import { decode, encode, isEventFrame, openMany, openSession, type Codec } from './wamp-client.js';
import { EVENT_TOPIC } from './targets/target.js';

export interface SessionsSpec {
  readonly kind: 'wamp' | 'socketio';
  readonly url: string;
  readonly codec: Codec;
  readonly count: number;
  readonly localAddress?: string;
}

const CONCURRENCY = 200;

/** A group of idle sessions to one target. */
export class SessionGroup {
  readonly #spec: SessionsSpec;
  #ws: WebSocket[] = [];
  #io: Socket[] = [];
  #received = 0;
  /** Count of events received → when it was reached (only at multiples of the session count). */
  readonly #reached = new Map<number, number>();
  readonly #waiters = new Map<number, (ns: number) => void>();

  constructor(spec: SessionsSpec) {
    this.#spec = spec;
  }

  get size(): number {
    return this.#ws.length + this.#io.length;
  }

  async open(): Promise<void> {
    const { kind, url, codec, count, localAddress } = this.#spec;
    const options = localAddress === undefined ? {} : { localAddress };
    if (kind === 'wamp') {
      this.#ws = await openMany(count, CONCURRENCY, () => openSession(url, codec, options));
      for (const ws of this.#ws) ws.on('message', (data: Buffer) => this.#onFrame(ws, data));
    } else {
      this.#io = await openMany(count, CONCURRENCY, () => openSocketIO(url, codec, localAddress));
      for (const socket of this.#io) socket.on('tick', () => this.#onEvent());
    }
  }

  /** Subscribes every WAMP session to the benchmark topic (socket.io sockets join the room on connect). */
  async subscribe(): Promise<void> {
    if (this.#spec.kind !== 'wamp') return;
    const { codec } = this.#spec;
    await openMany(this.#ws.length, CONCURRENCY, async (i) => {
      const ws = this.#ws[i]!;
      const reply = new Promise<unknown[]>((resolve) => ws.once('message', (data: Buffer) => resolve(decode(codec, data))));
      ws.send(encode(codec, [32, 1, {}, EVENT_TOPIC]));
      const msg = await reply;
      if (msg[0] !== 33) throw new Error(`SUBSCRIBE failed: ${JSON.stringify(msg)}`);
    });
  }

  /** Resolves with the time at which `total` events had been received. */
  whenReceived(total: number): Promise<number> {
    const at = this.#reached.get(total);
    if (at !== undefined) return Promise.resolve(at);
    return new Promise((resolve) => this.#waiters.set(total, resolve));
  }

  close(): void {
    for (const ws of this.#ws) ws.terminate();
    for (const socket of this.#io) socket.disconnect();
    this.#ws = [];
    this.#io = [];
  }

  #onFrame(_ws: WebSocket, data: Buffer): void {
    if (isEventFrame(this.#spec.codec, data)) this.#onEvent();
  }

  #onEvent(): void {
    const n = ++this.#received;
    if (n % this.size !== 0) return;
    const at = nowNs();
    this.#reached.set(n, at);
    const waiter = this.#waiters.get(n);
    if (waiter !== undefined) {
      this.#waiters.delete(n);
      waiter(at);
    }
  }
}
