/**
 * A lean WAMP client on bare `ws` for the load generator: real WAMP frames,
 * no library. JSON frames are built as text; msgpack with msgpackr.
 * @module
 */
import WebSocket from 'ws';
import { Packr, Unpackr } from 'msgpackr';

export type Codec = 'json' | 'msgpack';
export const CODECS: readonly Codec[] = ['json', 'msgpack'];

const packr = new Packr({ useRecords: false });
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true, int64AsType: 'number' } as ConstructorParameters<typeof Unpackr>[0]);

const HELLO_DETAILS = { roles: { caller: { features: {} }, subscriber: { features: {} } } };

/** Encodes one WAMP message for `codec`. */
export function encode(codec: Codec, message: unknown[]): string | Buffer {
  return codec === 'json' ? JSON.stringify(message) : packr.pack(message);
}

/** Decodes one WAMP frame for `codec`. */
export function decode(codec: Codec, data: Buffer): unknown[] {
  return (codec === 'json' ? JSON.parse(data.toString()) : unpackr.unpack(data)) as unknown[];
}

/** Whether a frame is an EVENT (36), read from its first bytes without decoding it. */
export function isEventFrame(codec: Codec, data: Buffer): boolean {
  // JSON "[36," ; msgpack fixarray header then positive fixint 36.
  return codec === 'json' ? data[1] === 0x33 && data[2] === 0x36 && data[3] === 0x2c : data[1] === 0x24;
}

/** A CALL of `math.add(a, b)` with request id `id`. */
export function encodeAddCall(codec: Codec, id: number, a: number, b: number): string | Buffer {
  return codec === 'json' ? `[48,${id},{},"math.add",[${a},${b}]]` : packr.pack([48, id, {}, 'math.add', [a, b]]);
}

export interface OpenOptions {
  /** A loopback source address, so that many connections to several servers do not run out of ports. */
  localAddress?: string;
}

/** Opens a WebSocket with the WAMP subprotocol for `codec`, permessage-deflate off, and joins `realm1`. */
export function openSession(url: string, codec: Codec, options: OpenOptions = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, `wamp.2.${codec}`, {
      perMessageDeflate: false,
      ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
    });
    ws.once('error', reject);
    ws.once('open', () => ws.send(encode(codec, [1, 'realm1', HELLO_DETAILS])));
    ws.once('message', (data: Buffer) => {
      const msg = decode(codec, data);
      ws.off('error', reject);
      if (msg[0] === 2) resolve(ws);
      else reject(new Error(`expected WELCOME, got ${JSON.stringify(msg)}`));
    });
  });
}

/** Runs `open` for `count` items with at most `concurrency` at once. */
export async function openMany<T>(count: number, concurrency: number, open: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array<T>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      out[i] = await open(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return out;
}
