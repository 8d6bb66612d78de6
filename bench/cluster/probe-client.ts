/**
 * The subscriber side of the latency measure: one session (WAMP on the lean
 * raw client, or socket.io) subscribed to the probe, recording for each
 * probe the time from its publish call on the publishing node to its
 * arrival here, on the monotonic clock every process shares.
 * @module
 */
import type WebSocket from 'ws';
import type { Socket } from 'socket.io-client';
import { nowNs } from '../ipc.js';
import { openSocketIO } from '../loadgen.js';
import { decode, encode, openSession } from '../wamp-client.js';
import { PROBE_TOPIC } from './target.js';

export interface ProbeSpec {
  readonly kind: 'wamp' | 'socketio';
  readonly url: string;
}

/** One series of probes as this subscriber saw it. */
export interface ProbeSeries {
  /** Publish-to-arrival time of probe `seq` at index `seq`, ms; NaN for a probe not received. */
  readonly bySeq: number[];
  /** Probes seen twice (at-most-once would be broken). */
  readonly duplicates: number;
  /** Probes seen after a later one (order per publisher would be broken). */
  readonly reordered: number;
}

const MAX_SAMPLES = 100_000;

export class ProbeSession {
  readonly #spec: ProbeSpec;
  #ws: WebSocket | undefined;
  #io: Socket | undefined;
  #samples: (number | undefined)[] = [];
  #seen = new Set<number>();
  #last = -1;
  #duplicates = 0;
  #reordered = 0;

  constructor(spec: ProbeSpec) {
    this.#spec = spec;
  }

  async open(): Promise<void> {
    if (this.#spec.kind === 'socketio') {
      const socket = (this.#io = await openSocketIO(this.#spec.url, 'json'));
      socket.on('probe', (seq: number, sentNs: number) => this.#record(seq, sentNs));
      await socket.timeout(10_000).emitWithAck('join', PROBE_TOPIC);
      return;
    }
    const ws = (this.#ws = await openSession(this.#spec.url, 'json'));
    const subscribed = new Promise<unknown[]>((resolve) => ws.once('message', (data: Buffer) => resolve(decode('json', data))));
    ws.send(encode('json', [32, 1, {}, PROBE_TOPIC]));
    const reply = await subscribed;
    if (reply[0] !== 33) throw new Error(`SUBSCRIBE failed: ${JSON.stringify(reply)}`);
    ws.on('message', (data: Buffer) => {
      const message = decode('json', data);
      const args = message[4] as [number, number] | undefined;
      if (message[0] === 36 && args !== undefined) this.#record(args[0], args[1]);
    });
  }

  /** What was received since the last call, which starts a new series. */
  take(): ProbeSeries {
    const bySeq = Array.from(this.#samples, (latency) => latency ?? NaN);
    const series = { bySeq, duplicates: this.#duplicates, reordered: this.#reordered };
    this.#samples = [];
    this.#seen = new Set();
    this.#last = -1;
    this.#duplicates = 0;
    this.#reordered = 0;
    return series;
  }

  close(): void {
    this.#ws?.terminate();
    this.#io?.disconnect();
  }

  #record(seq: number, sentNs: number): void {
    const latencyMs = (nowNs() - sentNs) / 1e6;
    if (this.#seen.has(seq)) this.#duplicates++;
    if (this.#seen.size < MAX_SAMPLES) this.#seen.add(seq);
    if (seq < this.#last) this.#reordered++;
    this.#last = Math.max(this.#last, seq);
    // The first arrival counts; seq comes from the harness's own publisher, bounded here all the same.
    if (Number.isInteger(seq) && seq >= 0 && seq < MAX_SAMPLES && this.#samples[seq] === undefined) this.#samples[seq] = latencyMs;
  }
}
