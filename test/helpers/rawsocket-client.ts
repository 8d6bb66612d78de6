/**
 * A raw WAMP RawSocket peer for protocol-level tests: writes exact octets
 * (handshakes, frame headers, split or coalesced frames) and reads the
 * server's frames with its own codec (not serverwamp's).
 */
import { once } from 'node:events';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { Packr, Unpackr } from 'msgpackr';
import { Encoder, Decoder } from 'cbor-x';

const packr = new Packr({ useRecords: false });
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true, int64AsType: 'auto' } as any);
const cborEncoder = new Encoder({ useRecords: false, mapsAsObjects: true });
const cborDecoder = new Decoder({ useRecords: false, mapsAsObjects: true } as any);

export const WAMP = 0;
export const PING = 1;
export const PONG = 2;

export interface ReceivedFrame {
  type: number;
  payload: Buffer;
}

/** The 4 handshake octets: `0x7F, LLLL SSSS, 0, 0`. */
export function handshake(serializer = 1, lengthExponent = 15): Buffer {
  return Buffer.from([0x7f, (lengthExponent << 4) | serializer, 0, 0]);
}

/** A frame: a 4-octet header (type, 24-bit length) and the payload. */
export function frame(type: number, payload: string | Buffer): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const header = Buffer.from([type, (body.length >> 16) & 0xff, (body.length >> 8) & 0xff, body.length & 0xff]);
  return Buffer.concat([header, body]);
}

export class RawSocketClient {
  readonly socket: Socket;
  /** Resolves when the server closed the connection (or it dropped). */
  readonly closed: Promise<void>;
  #buffer = Buffer.alloc(0);
  #handshakeDone = false;
  readonly #frames: ReceivedFrame[] = [];
  readonly #waiters: Array<() => void> = [];
  readonly #serializer: number;
  #reply: Buffer | undefined;

  private constructor(socket: Socket, serializer: number) {
    this.socket = socket;
    this.#serializer = serializer;
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#parse();
      for (const waiter of this.#waiters.splice(0)) waiter();
    });
    socket.on('close', () => {
      for (const waiter of this.#waiters.splice(0)) waiter();
    });
  }

  /** Connects without sending anything. */
  static async connect(port: number, options: { serializer?: number; tls?: ConnectionOptions } = {}): Promise<RawSocketClient> {
    const socket = options.tls
      ? tlsConnect({ host: '127.0.0.1', port, ...options.tls })
      : netConnect({ host: '127.0.0.1', port });
    await once(socket, options.tls ? 'secureConnect' : 'connect');
    return new RawSocketClient(socket, options.serializer ?? 1);
  }

  /** Connects and completes the handshake; rejects if the server refuses it. */
  static async open(
    port: number,
    options: { serializer?: number; lengthExponent?: number; tls?: ConnectionOptions } = {},
  ): Promise<RawSocketClient> {
    const client = await RawSocketClient.connect(port, options);
    client.socket.write(handshake(options.serializer ?? 1, options.lengthExponent ?? 15));
    const reply = await client.handshakeReply();
    if ((reply[1]! & 0x0f) === 0) throw new Error(`handshake refused with error ${reply[1]! >> 4}`);
    return client;
  }

  /** The server's 4-octet handshake reply. */
  async handshakeReply(timeoutMs = 2000): Promise<Buffer> {
    await this.#until(() => this.#reply !== undefined, timeoutMs, 'no handshake reply');
    return this.#reply!;
  }

  /** Writes exact octets. */
  write(octets: Buffer): void {
    this.socket.write(octets);
  }

  /** Sends a message encoded with the negotiated serializer, in one WAMP frame. */
  send(msg: unknown[]): void {
    this.write(frame(WAMP, this.encode(msg)));
  }

  /** Sends exact text or bytes as one WAMP frame. */
  sendRaw(data: string | Buffer): void {
    this.write(frame(WAMP, data));
  }

  encode(msg: unknown[]): Buffer {
    if (this.#serializer === 2) return Buffer.from(packr.pack(msg));
    if (this.#serializer === 3) return Buffer.from(cborEncoder.encode(msg));
    return Buffer.from(JSON.stringify(msg));
  }

  /** The next frame of any type. */
  async nextFrame(timeoutMs = 2000): Promise<ReceivedFrame> {
    await this.#until(() => this.#frames.length > 0, timeoutMs, 'no frame');
    return this.#frames.shift()!;
  }

  /** The next WAMP message, decoded (PINGs and PONGs before it are skipped). */
  async next(timeoutMs = 2000): Promise<any[]> {
    for (;;) {
      const received = await this.nextFrame(timeoutMs);
      if (received.type !== WAMP) continue;
      if (this.#serializer === 2) return unpackr.unpack(received.payload) as any[];
      if (this.#serializer === 3) return cborDecoder.decode(received.payload) as any[];
      return JSON.parse(received.payload.toString('utf8')) as any[];
    }
  }

  /** HELLO with every client role; resolves to the WELCOME (or whatever came back). */
  async hello(realm = 'realm1', details: Record<string, unknown> = {}): Promise<any[]> {
    this.send([1, realm, { roles: { caller: {}, callee: {}, publisher: {}, subscriber: {} }, ...details }]);
    return this.next();
  }

  close(): void {
    this.socket.end();
  }

  #parse(): void {
    if (!this.#handshakeDone) {
      if (this.#buffer.length < 4) return;
      this.#reply = this.#buffer.subarray(0, 4);
      this.#buffer = this.#buffer.subarray(4);
      this.#handshakeDone = true;
    }
    while (this.#buffer.length >= 4) {
      const length = this.#buffer.readUIntBE(1, 3) + ((this.#buffer[0]! & 0x08) !== 0 ? 2 ** 24 : 0);
      if (this.#buffer.length < 4 + length) return;
      this.#frames.push({ type: this.#buffer[0]! & 0x07, payload: this.#buffer.subarray(4, 4 + length) });
      this.#buffer = this.#buffer.subarray(4 + length);
    }
  }

  async #until(ready: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ready()) {
      if (this.socket.destroyed || this.socket.readableEnded) throw new Error(`${what}: the connection closed`);
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`${what} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}
