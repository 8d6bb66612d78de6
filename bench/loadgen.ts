/**
 * The RPC load generator: N connections × M calls in flight for a fixed time,
 * after a warm-up. WAMP targets are driven by the lean raw client (real CALL
 * and RESULT frames), socket.io by socket.io-client with acknowledgements.
 * Every latency is recorded; percentiles are computed at the end.
 * @module
 */
import type WebSocket from 'ws';
import { io, type Socket } from 'socket.io-client';
import msgpackParser from 'socket.io-msgpack-parser';
import { decode, encodeAddCall, openMany, openSession, type Codec } from './wamp-client.js';

export interface RPCLoad {
  readonly kind: 'wamp' | 'socketio';
  readonly url: string;
  readonly codec: Codec;
  readonly connections: number;
  readonly inflight: number;
  readonly warmupMs: number;
  readonly durationMs: number;
}

export interface RPCRunResult {
  readonly calls: number;
  readonly seconds: number;
  readonly callsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  /** The load generator's own CPU microseconds per call (near 1e6 / calls/s means it is the bottleneck). */
  readonly clientCpuPerCallUs: number;
}

const MAX_SAMPLES = 1 << 22;
const RING = 1 << 16;

/** Latencies and counters of one run. */
class Recorder {
  readonly samples = new Float64Array(MAX_SAMPLES);
  count = 0;
  calls = 0;
  errors = 0;
  recording = false;
  running = true;
  outstanding = 0;

  record(latencyMs: number, ok: boolean): void {
    this.outstanding--;
    if (!this.recording) return;
    this.calls++;
    if (!ok) this.errors++;
    if (this.count < MAX_SAMPLES) this.samples[this.count++] = latencyMs;
  }

  percentile(sorted: Float64Array, p: number): number {
    if (sorted.length === 0) return NaN;
    return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  }
}

/** Drives one WAMP connection: keeps `inflight` CALLs outstanding while running. */
function driveWamp(ws: WebSocket, codec: Codec, inflight: number, rec: Recorder): void {
  const sentAt = new Float64Array(RING);
  let nextId = 1;
  const call = (): void => {
    const id = nextId++;
    sentAt[id & (RING - 1)] = performance.now();
    rec.outstanding++;
    ws.send(encodeAddCall(codec, id, id, 2));
  };
  ws.on('message', (data: Buffer) => {
    const msg = decode(codec, data);
    const id = msg[1] as number;
    const ok = msg[0] === 50 && (msg[3] as number[])[0] === id + 2;
    rec.record(performance.now() - sentAt[id & (RING - 1)]!, ok);
    if (rec.running) call();
  });
  for (let i = 0; i < inflight; i++) call();
}

function openSocketIO(url: string, codec: Codec, localAddress?: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(url, {
      transports: ['websocket'],
      // socket.io-client types only allow a threshold here; ws takes false (compression off).
      perMessageDeflate: false as unknown as { threshold: number },
      forceNew: true,
      reconnection: false,
      ...(codec === 'msgpack' ? { parser: msgpackParser } : {}),
      ...(localAddress === undefined ? {} : { localAddress }),
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** Drives one socket.io connection: keeps `inflight` acknowledged `add` events outstanding. */
function driveSocketIO(socket: Socket, inflight: number, rec: Recorder): void {
  let nextId = 1;
  const call = (): void => {
    const id = nextId++;
    const start = performance.now();
    rec.outstanding++;
    socket.emit('add', id, 2, (sum: number) => {
      rec.record(performance.now() - start, sum === id + 2);
      if (rec.running) call();
    });
  };
  for (let i = 0; i < inflight; i++) call();
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs one load; `onMeasuring` is called when the measured window starts. */
export async function runRPC(load: RPCLoad, onMeasuring: () => void): Promise<RPCRunResult> {
  const rec = new Recorder();
  let closeAll: () => void;
  if (load.kind === 'wamp') {
    const sockets = await openMany(load.connections, load.connections, () => openSession(load.url, load.codec));
    for (const ws of sockets) driveWamp(ws, load.codec, load.inflight, rec);
    closeAll = () => sockets.forEach((ws) => ws.terminate());
  } else {
    const sockets = await openMany(load.connections, load.connections, () => openSocketIO(load.url, load.codec));
    for (const socket of sockets) driveSocketIO(socket, load.inflight, rec);
    closeAll = () => sockets.forEach((socket) => socket.disconnect());
  }
  await sleep(load.warmupMs);
  onMeasuring();
  rec.recording = true;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  await sleep(load.durationMs);
  rec.recording = false;
  const cpu = process.cpuUsage(cpuStart);
  const seconds = (performance.now() - start) / 1000;
  rec.running = false;
  for (let waited = 0; rec.outstanding > 0 && waited < 5000; waited += 10) await sleep(10);
  closeAll();
  const sorted = rec.samples.subarray(0, rec.count).sort();
  return {
    calls: rec.calls,
    seconds,
    callsPerSecond: rec.calls / seconds,
    p50Ms: rec.percentile(sorted, 0.5),
    p99Ms: rec.percentile(sorted, 0.99),
    errors: rec.errors + rec.outstanding,
    clientCpuPerCallUs: (cpu.user + cpu.system) / Math.max(1, rec.calls),
  };
}

export { openSocketIO };
