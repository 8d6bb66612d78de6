/**
 * A raw WAMP peer for protocol-level tests: sends exact frames and reads the
 * server's frames decoded with independent decoders (not serverwamp's).
 */
import WebSocket from 'ws';
import { Packr, Unpackr } from 'msgpackr';

const packr = new Packr({ useRecords: false });
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true, int64AsType: 'auto' } as any);

export interface Closed {
  code: number;
  reason: string;
}

export class RawClient {
  readonly ws: WebSocket;
  readonly protocol: string;
  readonly closed: Promise<Closed>;
  readonly #queue: unknown[] = [];
  readonly #waiters: Array<(msg: unknown) => void> = [];

  private constructor(ws: WebSocket) {
    this.ws = ws;
    this.protocol = ws.protocol;
    this.closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const msg = this.protocol.startsWith('wamp.2.msgpack')
        ? unpackr.unpack(data)
        : JSON.parse(isBinary ? data.toString('utf8') : data.toString());
      const waiter = this.#waiters.shift();
      if (waiter) waiter(msg);
      else this.#queue.push(msg);
    });
  }

  static connect(url: string, protocols: string | string[] = 'wamp.2.json', headers: Record<string, string> = {}): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, protocols, { headers, perMessageDeflate: false });
      ws.once('open', () => resolve(new RawClient(ws)));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode, body })));
      });
    });
  }

  /** Sends a message encoded with the negotiated serializer. */
  send(msg: unknown[]): void {
    if (this.protocol.startsWith('wamp.2.msgpack')) this.ws.send(packr.pack(msg));
    else this.ws.send(JSON.stringify(msg));
  }

  /** Sends exact bytes or text. */
  sendRaw(data: string | Buffer): void {
    this.ws.send(data);
  }

  /** The next message from the server (rejects after `timeoutMs`). */
  next(timeoutMs = 2000): Promise<any[]> {
    const queued = this.#queue.shift();
    if (queued !== undefined) return Promise.resolve(queued as any[]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.#waiters.indexOf(waiter);
        if (i >= 0) this.#waiters.splice(i, 1);
        reject(new Error(`no message within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = (msg: unknown): void => {
        clearTimeout(timer);
        resolve(msg as any[]);
      };
      this.#waiters.push(waiter);
    });
  }

  /** Resolves to true if no message arrives within `ms`. */
  async silent(ms = 200): Promise<boolean> {
    try {
      await this.next(ms);
      return false;
    } catch {
      return true;
    }
  }

  /** HELLO with every client role; resolves to the WELCOME (or whatever came back). */
  async hello(realm = 'realm1', details: Record<string, unknown> = {}): Promise<any[]> {
    this.send([1, realm, { roles: { caller: {}, callee: {}, publisher: {}, subscriber: {} }, ...details }]);
    return this.next();
  }

  close(): void {
    this.ws.close();
  }
}
