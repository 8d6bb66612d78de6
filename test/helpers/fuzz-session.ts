/**
 * Runs one fuzz script on a connection of its own and judges what the server
 * did: a script is an optional HELLO, a few well-formed messages and one last
 * message (invalid, hostile or garbage), then a probe CALL. The session must
 * end (ABORT, GOODBYE, close) or answer the probe within the deadline; a last
 * message the server must refuse must draw an ABORT, a close, or an ERROR
 * for its request before the probe is answered.
 */
import fc from 'fast-check';
import WebSocket from 'ws';
import { batch, decode, decodeBatch, encode, type Family } from './fuzz-codec.js';
import { garbage, hello, hostile, invalid, wellFormed, type Item } from './fuzz-messages.js';
import { frame, RawSocketClient, WAMP } from './rawsocket-client.js';

export interface Target {
  readonly family: Family;
  readonly batched: boolean;
  /** A WebSocket URL, or a RawSocket port. */
  readonly url?: string;
  readonly rawPort?: number;
}

export interface Script {
  readonly hello: Item | undefined;
  readonly before: readonly Item[];
  readonly last: Item;
  /** Batched variants: how the last message is framed (alone, in the batch, or with the batch framing broken). */
  readonly framing: 'batch' | 'alone' | 'broken';
  /** JSON over WebSocket: text or binary frames. */
  readonly text: boolean;
}

export interface Verdict {
  readonly ended: 'abort' | 'goodbye' | 'closed' | 'probe' | 'timeout';
  readonly problems: string[];
  readonly messages: number;
  readonly abortReason?: string;
}

const PROBE_ID = 2 ** 52 + 7;
/** ABORT and ERROR frames stay small: they name the problem, they do not echo the client's data. */
export const MAX_REFUSAL_BYTES = 4096;
const STACK_TRACE = /\n\s+at |node_modules|\.[cm]?[jt]s:\d+/;

export function scripts(family: Family): fc.Arbitrary<Script> {
  const last = fc.oneof({ weight: 5, arbitrary: invalid(family) }, { weight: 4, arbitrary: hostile(family) }, { weight: 1, arbitrary: garbage(family) });
  return fc.record({
    hello: hello(family),
    before: fc.array(wellFormed(family), { maxLength: 3 }),
    last,
    framing: fc.constantFrom('batch', 'alone', 'broken'),
    text: fc.boolean(),
  });
}

/** Scripts of well-formed messages only, to warm the server up before its heap baseline. */
export function benignScripts(family: Family): fc.Arbitrary<Script> {
  return fc.record({
    hello: fc.constant({ bytes: encode(family, [1, 'realm1', { roles: { caller: {}, publisher: {}, subscriber: {}, callee: {} } }]), label: 'HELLO', refuse: false }),
    before: fc.array(wellFormed(family), { maxLength: 3 }),
    last: wellFormed(family),
    framing: fc.constant('batch' as const),
    text: fc.boolean(),
  });
}

/** The frames of a script: each message alone, or batched; a broken batch is refused as a whole. */
function frames(target: Target, script: Script): { frames: Buffer[]; brokenBatch: boolean } {
  const probe = encode(target.family, [48, PROBE_ID, {}, 'fuzz.probe', []]);
  const head = [...(script.hello ? [script.hello.bytes] : []), ...script.before.map((item) => item.bytes)];
  // RawSocket: a broken script sends its last message in a frame of a reserved type (3 to 7).
  if (target.rawPort !== undefined && script.framing === 'broken') return { frames: [...head, script.last.bytes, probe], brokenBatch: true };
  if (!target.batched) return { frames: [...head, script.last.bytes, probe], brokenBatch: false };
  const wrap = (messages: Buffer[]): Buffer => batch(target.family, messages);
  switch (script.framing) {
    case 'alone':
      return { frames: [...head.map((m) => wrap([m])), wrap([script.last.bytes]), wrap([probe])], brokenBatch: false };
    case 'batch':
      return { frames: [wrap([...head, script.last.bytes]), wrap([probe])], brokenBatch: false };
    case 'broken': {
      const good = wrap([script.last.bytes]);
      // JSON: the last separator dropped; binary: a length prefix longer than what follows.
      const broken = target.family === 'json' ? good.subarray(0, good.length - 1) : Buffer.concat([good.subarray(0, 3), Buffer.from([good[3]! + 9]), good.subarray(4)]);
      return { frames: [...head.map((m) => wrap([m])), broken, wrap([probe])], brokenBatch: true };
    }
  }
}

interface Channel {
  send(data: Buffer): void;
  /** RawSocket only: a frame of another type than WAMP. */
  sendFrame(type: number, data: Buffer): void;
  next(timeoutMs: number): Promise<{ message: unknown; bytes: number } | 'closed' | 'timeout'>;
  close(): void;
}

async function webSocketChannel(target: Target, text: boolean, timeoutMs: number): Promise<Channel> {
  const protocol = `wamp.2.${target.family}${target.batched ? '.batched' : ''}`;
  // A frozen server accepts TCP connections but never answers the upgrade.
  const ws = new WebSocket(target.url!, protocol, { perMessageDeflate: false, handshakeTimeout: timeoutMs });
  ws.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
    ws.once('unexpected-response', () => reject(new Error('the upgrade was refused')));
  });
  const queue: Array<{ message: unknown; bytes: number }> = [];
  let closed = false;
  let wake: (() => void) | undefined;
  ws.on('message', (data: Buffer) => {
    const messages = target.batched ? decodeBatch(target.family, data) : [decode(target.family, data)];
    for (const message of messages) queue.push({ message, bytes: data.length });
    wake?.();
  });
  ws.on('close', () => {
    closed = true;
    wake?.();
  });
  return {
    send: (data) => ws.send(data, { binary: target.family !== 'json' || !text }),
    sendFrame: () => {
      throw new Error('frame types are RawSocket only');
    },
    async next(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (queue.length === 0) {
        if (closed) return 'closed';
        const remaining = deadline - Date.now();
        if (remaining <= 0) return 'timeout';
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, remaining);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
      return queue.shift()!;
    },
    close: () => ws.terminate(),
  };
}

async function rawSocketChannel(target: Target): Promise<Channel> {
  const serializer = { json: 1, msgpack: 2, cbor: 3 }[target.family];
  const client = await RawSocketClient.open(target.rawPort!, { serializer, lengthExponent: 15 });
  return {
    send: (data) => client.write(frame(WAMP, data)),
    sendFrame: (type, data) => client.write(frame(type, data)),
    async next(timeoutMs) {
      try {
        for (;;) {
          const received = await client.nextFrame(timeoutMs);
          if (received.type === WAMP) return { message: decode(target.family, received.payload), bytes: received.payload.length };
        }
      } catch (error) {
        return String(error).includes('closed') ? 'closed' : 'timeout';
      }
    },
    close: () => client.socket.destroy(),
  };
}

function describe(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? `<${v.length} bytes>` : v));
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** Runs `script` on a new connection; every problem found is a line of the verdict. */
export async function runScript(target: Target, script: Script, deadlineMs: number): Promise<Verdict> {
  const problems: string[] = [];
  const { frames: out, brokenBatch } = frames(target, script);
  const mustRefuse = brokenBatch || script.last.refuse || script.hello?.refuse === true;
  let channel: Channel;
  try {
    channel = target.url !== undefined ? await webSocketChannel(target, script.text, deadlineMs) : await rawSocketChannel(target);
  } catch (error) {
    return { ended: 'timeout', problems: [`could not connect: ${String(error)}`], messages: 0 };
  }
  out.forEach((data, i) => (brokenBatch && target.rawPort !== undefined && i === out.length - 2 ? channel.sendFrame(3 + (data.length % 5), data) : channel.send(data)));
  const deadline = Date.now() + deadlineMs;
  let refused = false;
  let ended: Verdict['ended'];
  let abortReason: string | undefined;
  try {
    for (;;) {
      const got = await channel.next(Math.max(0, deadline - Date.now()));
      if (got === 'closed' || got === 'timeout') {
        ended = got;
        break;
      }
      const message = got.message as unknown[];
      const type = Array.isArray(message) ? message[0] : undefined;
      if (type === 3 || type === 8) {
        if (got.bytes > MAX_REFUSAL_BYTES) problems.push(`a ${type === 3 ? 'ABORT' : 'ERROR'} of ${got.bytes} bytes`);
        const details = type === 3 ? message[1] : message[3];
        const text = typeof details === 'object' && details !== null ? (details as Record<string, unknown>)['message'] : undefined;
        if (text !== undefined && typeof text !== 'string') problems.push(`details.message is not a string: ${describe(text)}`);
      }
      if (STACK_TRACE.test(describe(message))) problems.push(`a stack trace reached the client: ${describe(message)}`);
      if (type === 3) {
        ended = 'abort';
        abortReason = String(message[2]);
        break;
      }
      if (type === 6) {
        ended = 'goodbye';
        break;
      }
      if (type === 8 && script.last.requestId !== undefined && message[2] === script.last.requestId) refused = true;
      if ((type === 50 || type === 8) && message[type === 50 ? 1 : 2] === PROBE_ID) {
        ended = 'probe';
        break;
      }
    }
  } finally {
    channel.close();
  }
  if (ended === 'timeout') problems.push(`the session neither ended nor answered within ${deadlineMs} ms`);
  if (mustRefuse && !refused && (ended === 'probe' || ended === 'goodbye')) {
    const what = brokenBatch ? (target.rawPort !== undefined ? 'a frame of a reserved type' : 'a broken batch') : script.hello?.refuse ? script.hello.label : script.last.label;
    problems.push(`accepted without ABORT or ERROR: ${what}`);
  }
  const messages = (script.hello ? 1 : 0) + script.before.length + 1;
  return abortReason === undefined ? { ended, problems, messages } : { ended, problems, messages, abortReason };
}
