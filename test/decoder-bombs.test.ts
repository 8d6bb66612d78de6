/**
 * Decoder bombs: hostile frames for every serializer, sent over a real
 * WebSocket before HELLO and after WELCOME. Each must end that session with
 * ABORT wamp.error.protocol_violation within a bounded time, while the
 * process, a bystander session and Object.prototype are unaffected.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Packr, Unpackr } from 'msgpackr';
import { Encoder, decode as decodeCborX } from 'cbor-x';
import WebSocket from 'ws';
import { Application, RPCResult, RPCRouteSet } from '../src/index.js';
import { serve, type Served } from './helpers/server.js';

type Family = 'json' | 'msgpack' | 'cbor';
const familyOf = (protocol: string): Family => protocol.split('.')[2] as Family;
const isBatched = (protocol: string): boolean => protocol.endsWith('.batched');

const plainPackr = new Packr({ useRecords: false });
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true, int64AsType: 'auto' } as never);
const cborEncoder = new Encoder({ useRecords: false, mapsAsObjects: true });

/** One message body as the family writes it (a batch wraps it below). */
function encodeBody(family: Family, message: unknown): string | Buffer {
  if (family === 'json') return JSON.stringify(message);
  return Buffer.from(family === 'msgpack' ? plainPackr.pack(message) : cborEncoder.encode(message));
}

function frame(protocol: string, body: string | Buffer): string | Buffer {
  if (!isBatched(protocol)) return body;
  if (typeof body === 'string') return body + '\u001e';
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(body.byteLength);
  return Buffer.concat([prefix, body]);
}

function decodeReply(protocol: string, data: Buffer): unknown {
  const family = familyOf(protocol);
  if (family === 'json') return JSON.parse(isBatched(protocol) ? data.toString().slice(0, -1) : data.toString());
  const body = isBatched(protocol) ? data.subarray(4) : data;
  return family === 'msgpack' ? unpackr.unpack(body) : decodeCborX(body);
}

/** A raw peer for any of the six subprotocols. */
class Peer {
  readonly closed: Promise<number>;
  readonly #queue: unknown[][] = [];
  readonly #waiters: Array<(msg: unknown[]) => void> = [];

  private constructor(readonly ws: WebSocket, readonly protocol: string) {
    this.closed = new Promise((resolve) => ws.once('close', (code) => resolve(code)));
    ws.on('message', (data: Buffer) => {
      const msg = decodeReply(protocol, data) as unknown[];
      const waiter = this.#waiters.shift();
      if (waiter) waiter(msg);
      else this.#queue.push(msg);
    });
  }

  static connect(url: string, protocol: string): Promise<Peer> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, protocol, { perMessageDeflate: false });
      ws.once('open', () => resolve(new Peer(ws, protocol)));
      ws.once('error', reject);
    });
  }

  send(message: unknown[]): void {
    this.ws.send(frame(this.protocol, encodeBody(familyOf(this.protocol), message)));
  }

  next(timeoutMs = 5000): Promise<unknown[]> {
    const queued = this.#queue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no message within ${timeoutMs} ms`)), timeoutMs);
      this.#waiters.push((msg) => {
        clearTimeout(timer);
        resolve(msg);
      });
    });
  }

  async hello(): Promise<void> {
    this.send([1, 'realm1', { roles: { caller: {}, callee: {}, publisher: {}, subscriber: {} } }]);
    const welcome = await this.next();
    assert.equal(welcome[0], 2, `expected WELCOME, got ${String(welcome[0])}`);
  }
}

// ---- hostile bodies, each one message -------------------------------------------------

const CALL_HEAD = [48, 7, {}, 'no.such.procedure'];
const hex = (text: string): Buffer => Buffer.from(text.replaceAll(' ', ''), 'hex');
const repeat = (bytes: Buffer, count: number): Buffer => Buffer.concat(Array.from({ length: count }, () => bytes));

/** `[48, 7, {}, "no.such.procedure", <args>]` with `args` given as raw bytes. */
function msgpackCall(args: Buffer): Buffer {
  return Buffer.concat([hex('95 30 07 80'), Buffer.from(plainPackr.pack('no.such.procedure')), args]);
}
function cborCall(args: Buffer): Buffer {
  return Buffer.concat([hex('85 18 30 07 a0'), Buffer.from(cborEncoder.encode('no.such.procedure')), args]);
}

/** A DAG of `levels` levels where each node holds its child twice: 2^levels paths. */
function dag(levels: number): unknown {
  let node: unknown = [1];
  for (let i = 0; i < levels; i++) node = [node, node];
  return node;
}

function cyclic(): unknown[] {
  const args: unknown[] = [];
  args.push(args);
  return [...CALL_HEAD, args];
}

const cloning = new Packr({ structuredClone: true, useRecords: false, moreTypes: true } as never);
const records = new Packr({ useRecords: true });

/** CBOR: a chain of 40 shareable (tag 28) arrays, each holding its child and a reference (tag 29) to it. */
function cborSharedDag(levels: number): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < levels; i++) parts.push(hex('d81c 82'));
  parts.push(hex('d81c 81 01'));
  for (let i = levels - 1; i >= 0; i--) parts.push(Buffer.concat([hex('d81d'), Buffer.from(cborEncoder.encode(levels - i))]));
  return cborCall(Buffer.concat([hex('81'), ...parts]));
}

function deepBytes(open: Buffer, inner: Buffer, depth: number): Buffer {
  return Buffer.concat([repeat(open, depth), inner]);
}

interface Bomb {
  name: string;
  family: Family;
  body: () => string | Buffer;
}

const bombs: Bomb[] = [
  { name: '10,000-deep nesting', family: 'json', body: () => `[48,7,{},"echo",[${'['.repeat(10_000)}${']'.repeat(10_000)}]]` },

  { name: 'a structured-clone cycle', family: 'msgpack', body: () => Buffer.from(cloning.pack(cyclic())) },
  { name: 'a structured-clone DAG of 2^40 paths', family: 'msgpack', body: () => Buffer.from(cloning.pack([...CALL_HEAD, [dag(40)]])) },
  {
    name: 'a shared DAG followed by a stray byte (msgpackr renders it in its error)',
    family: 'msgpack',
    body: () => Buffer.concat([Buffer.from(cloning.pack([...CALL_HEAD, [dag(25)]])), hex('00')]),
  },
  { name: 'a record extension', family: 'msgpack', body: () => Buffer.from(records.pack([...CALL_HEAD, [{ a: 1 }, { a: 2 }]])) },
  { name: 'a Set', family: 'msgpack', body: () => Buffer.from(cloning.pack([...CALL_HEAD, [new Set([1])]])) },
  { name: 'a Map', family: 'msgpack', body: () => Buffer.from(cloning.pack([...CALL_HEAD, [new Map([[1, 2]])]])) },
  { name: 'a RegExp', family: 'msgpack', body: () => Buffer.from(cloning.pack([...CALL_HEAD, [/x+/g]])) },
  { name: 'a Date', family: 'msgpack', body: () => Buffer.from(plainPackr.pack([...CALL_HEAD, [new Date(0)]])) },
  { name: 'an Error', family: 'msgpack', body: () => Buffer.from(cloning.pack([...CALL_HEAD, [new Error('x')]])) },
  { name: 'a Float64Array', family: 'msgpack', body: () => Buffer.from(cloning.pack([...CALL_HEAD, [new Float64Array([1.5])]])) },
  { name: '1,000-deep nesting', family: 'msgpack', body: () => msgpackCall(deepBytes(hex('91'), hex('c0'), 1_000)) },
  { name: '10,000-deep nesting', family: 'msgpack', body: () => msgpackCall(deepBytes(hex('91'), hex('c0'), 10_000)) },

  { name: 'a value-sharing cycle (tags 28/29)', family: 'cbor', body: () => cborCall(hex('d81c 81 d81d 00')) },
  { name: 'a value-sharing DAG of 2^40 paths', family: 'cbor', body: () => cborSharedDag(40) },
  { name: 'a 256 KiB bignum (tag 2)', family: 'cbor', body: () => cborCall(Buffer.concat([hex('81 c2 5a 00040000'), Buffer.alloc(256 * 1024, 0xa5)])) },
  {
    name: 'a map whose 1,000 keys are one shared 4 KiB bignum',
    family: 'cbor',
    body: () => {
      const key = Buffer.concat([hex('d81c c2 59 1000'), Buffer.alloc(4096, 0x7f)]);
      const pairs: Buffer[] = [Buffer.concat([key, hex('01')])];
      for (let i = 1; i < 1000; i++) pairs.push(hex('d81d 00 01'));
      return cborCall(Buffer.concat([hex('81 b9 03e8'), ...pairs]));
    },
  },
  { name: 'a Set (tag 258)', family: 'cbor', body: () => cborCall(Buffer.concat([hex('81'), Buffer.from(cborEncoder.encode(new Set([1])))])) },
  { name: 'a Map with a non-string key', family: 'cbor', body: () => cborCall(hex('81 a1 01 02')) },
  { name: 'a RegExp (tag 27)', family: 'cbor', body: () => cborCall(Buffer.concat([hex('81'), Buffer.from(cborEncoder.encode(/x+/g))])) },
  { name: 'a Date (tag 1)', family: 'cbor', body: () => cborCall(Buffer.concat([hex('81'), Buffer.from(cborEncoder.encode(new Date(0)))])) },
  { name: 'an Error', family: 'cbor', body: () => cborCall(Buffer.concat([hex('81'), Buffer.from(cborEncoder.encode(new Error('x')))])) },
  { name: 'a Float64Array (tag 86)', family: 'cbor', body: () => cborCall(Buffer.concat([hex('81'), Buffer.from(cborEncoder.encode(new Float64Array([1.5])))])) },
  { name: 'an unknown tag', family: 'cbor', body: () => cborCall(hex('81 d9 ffff 01')) },
  { name: '10,000-deep nesting', family: 'cbor', body: () => cborCall(deepBytes(hex('81'), hex('f6'), 10_000)) },
];

const PROTOCOLS = ['wamp.2.json', 'wamp.2.msgpack', 'wamp.2.cbor', 'wamp.2.json.batched', 'wamp.2.msgpack.batched', 'wamp.2.cbor.batched'];
// Generous for a loaded 2-core machine; the measured times are printed as diagnostics.
const DEADLINE_MS = 3000;

function createApp(): Application {
  const app = new Application();
  const routes = new RPCRouteSet();
  routes.route('echo', (request) => new RPCResult({ args: [...request.args] }));
  routes.route('kwargs.keys', (request) => ({
    keys: Object.keys(request.kwargs),
    prototypeIsClean: Object.getPrototypeOf(request.kwargs) === Object.prototype,
  }));
  app.addRPCRoutes(routes);
  return app;
}

function prototypeUntouched(): void {
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), Object.getOwnPropertyNames(Object.getPrototypeOf({})).sort());
  assert.equal(Object.keys(Object.prototype).length, 0);
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
}

describe('decoder bombs', () => {
  let served: Served;
  let bystander: Peer;
  let requestId = 100;
  const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();

  before(async () => {
    served = await serve(createApp(), undefined);
    bystander = await Peer.connect(served.url, 'wamp.2.json');
    await bystander.hello();
  });
  after(async () => {
    bystander.ws.close();
    await served.close();
  });

  async function bystanderAnswers(): Promise<void> {
    const id = ++requestId;
    bystander.send([48, id, {}, 'echo', ['still here']]);
    assert.deepEqual(await bystander.next(), [50, id, {}, ['still here']]);
  }

  for (const protocol of PROTOCOLS) {
    for (const bomb of bombs.filter((b) => b.family === familyOf(protocol))) {
      for (const established of [false, true]) {
        it(`${protocol}: ${bomb.name} ${established ? 'after WELCOME' : 'before HELLO'} is a protocol violation`, async (t) => {
          const peer = await Peer.connect(served.url, protocol);
          if (established) await peer.hello();
          const data = frame(protocol, bomb.body());
          const started = performance.now();
          peer.ws.send(data);
          const abort = await peer.next(DEADLINE_MS);
          const elapsed = performance.now() - started;
          t.diagnostic(`rejected in ${elapsed.toFixed(1)} ms (${data.length} bytes)`);
          assert.equal(abort[0], 3, `expected ABORT, got message type ${String(abort[0])}`);
          assert.equal(abort[2], 'wamp.error.protocol_violation');
          const message = String((abort[1] as Record<string, unknown>)['message']);
          assert.match(message, /could not be decoded as wamp\.2\.[a-z.]+: \S/, 'the reason names the problem');
          if (bomb.name.includes('deep nesting')) assert.match(message, /nesting deeper than 64/);
          assert.ok(message.length < 200, 'the reason never renders client data');
          assert.equal(await peer.closed, 1002);
          assert.ok(elapsed < DEADLINE_MS);
          await bystanderAnswers();
          assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), prototypeNames);
          prototypeUntouched();
        });
      }
    }
  }

  for (const protocol of ['wamp.2.msgpack', 'wamp.2.cbor', 'wamp.2.msgpack.batched', 'wamp.2.cbor.batched']) {
    it(`${protocol}: a request id of 2^53 + 1 as uint64 is a protocol violation, not rounded`, async () => {
      const peer = await Peer.connect(served.url, protocol);
      await peer.hello();
      const id = familyOf(protocol) === 'msgpack' ? hex('cf 0020000000000001') : hex('1b 0020000000000001');
      const tail = Buffer.from(encodeBody(familyOf(protocol), 'echo'));
      const call: Buffer[] = familyOf(protocol) === 'msgpack' ? [hex('94 30'), id, hex('80'), tail] : [hex('84 18 30'), id, hex('a0'), tail];
      peer.ws.send(frame(protocol, Buffer.concat(call)));
      const abort = await peer.next(DEADLINE_MS);
      assert.equal(abort[0], 3, `expected ABORT, got ${JSON.stringify(abort, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`);
      assert.equal(abort[2], 'wamp.error.protocol_violation');
      assert.equal(await peer.closed, 1002);
      await bystanderAnswers();
    });

    it(`${protocol}: a __proto__ key stays an own data property and pollutes nothing`, async () => {
      const peer = await Peer.connect(served.url, protocol);
      await peer.hello();
      const kwargs = JSON.parse('{"__proto__": {"polluted": 1}, "plain": 2}') as Record<string, unknown>;
      peer.send([48, 9, {}, 'kwargs.keys', [], kwargs]);
      const result = await peer.next();
      assert.equal(result[0], 50);
      assert.deepEqual(result[4], { keys: ['__proto__', 'plain'], prototypeIsClean: true });
      prototypeUntouched();
      peer.ws.close();
    });
  }
});
