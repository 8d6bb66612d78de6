/**
 * The RawSocket adapter: serves WAMP over any stream socket (TCP, TLS, Unix)
 * with the WAMP RawSocket framing. It answers the opening handshake, turns
 * frames into `connection.receive` calls and messages into frames, answers
 * PINGs, optionally keeps connections alive with PINGs of its own, and
 * enforces both sides' maximum message lengths. It only moves bytes; the
 * session is the engine's.
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { Server as NetServer, Socket } from 'node:net';
import { Server as TLSServer } from 'node:tls';
import { nonNegativeFinite, nonNegativeNumber, timerDelay, type OptionSpec } from '../options.js';
import type { Connection } from '../engine/connection.js';
import type { ConnectionRefusal, Transport } from '../transport.js';
import { ServerwampError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Serializer } from '../serializers/serializer.js';
import {
  FrameDecoder,
  FrameType,
  FramingError,
  HandshakeError,
  HEADER_LENGTH,
  handshakeErrorReply,
  handshakeReply,
  lengthExponent,
  MAGIC,
  MIN_MAX_LENGTH,
  parseClientHandshake,
  SERIALIZER_PROTOCOLS,
  writeFrameHeader,
  type Frame,
} from './rawsocket-framing.js';
import { OutboundMeter, type Metered, type OutboundBudget } from '../outbound-budget.js';
import { transportInfoFromSocket } from './socket-transport-info.js';
import type { TransportInfo } from './transport-info.js';

/**
 * Options of a RawSocket endpoint.
 *
 * @example
 * ```ts
 * import { attachRawSocket } from 'serverwamp/node';
 *
 * attachRawSocket(app, tcpServer, {
 *   maxMessageLength: 64 * 1024, // announced in the handshake; a power of two
 *   handshakeTimeout: 5_000,
 *   maxConnections: 10_000,
 * });
 * ```
 */
export interface RawSocketOptions {
  /**
   * The largest message the server accepts, in octets, announced in the
   * handshake: a power of two from 512 to 16 MiB (default 1 MiB). A larger
   * frame fails the connection.
   */
  maxMessageLength?: number;
  /**
   * Clients announcing a smaller maximum length than this are refused with
   * handshake error 2, "maximum message length unacceptable" (default 512:
   * every client is accepted).
   */
  minClientMaxLength?: number;
  /** Milliseconds a client has to send its 4-octet handshake (default 10000; 0: no limit). */
  handshakeTimeout?: number;
  /**
   * Milliseconds between keepalive PINGs; a client that has not answered the
   * previous one by the next is dropped. 0 disables (default 0, because
   * Autobahn|Python's asyncio client cannot answer PINGs and drops the connection).
   */
  pingInterval?: number;
  /** Open RawSocket connections this endpoint allows; more are refused with handshake error 4 (default: no limit). */
  maxConnections?: number;
}

/** What the adapter needs from the application. */
export interface RawSocketHost {
  readonly logger: Logger;
  readonly serializers: ReadonlyMap<string, Serializer>;
  /** The application's account of what is queued for its connections. */
  readonly outboundBudget: OutboundBudget;
  accept(transport: Transport, serializer: Serializer, transportInfo: TransportInfo): Connection;
  /** Whether a connection from this address may be served now (see `TransportHost.admit`). */
  admit?(peerAddress: string): ConnectionRefusal | undefined;
}

/**
 * A RawSocket endpoint serving WAMP.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:net';
 * import { rawSocketEndpoint, type RawSocketEndpoint } from 'serverwamp/node';
 *
 * // A server whose sockets you accept yourself; app.close() closes the endpoint too.
 * const endpoint: RawSocketEndpoint = rawSocketEndpoint(app);
 * createServer((socket) => endpoint.handleSocket(socket)).listen(8081);
 * ```
 */
export interface RawSocketEndpoint {
  /**
   * Serves one connected socket (for servers you wire yourself). Bytes already
   * read from it may be put back with `socket.unshift` first.
   */
  handleSocket(socket: Socket): void;
  /** Stops accepting connections, closes the open ones, and resolves when all are closed. */
  close(): Promise<void>;
}

/** How long a closing socket may take to write what it holds before it is destroyed. */
const CLOSE_GRACE_MS = 2000;
/** Payloads up to this size are copied behind their header (one write); larger ones are written beside it. */
const COPY_LIMIT = 16 * 1024;
const PING_PAYLOAD_LENGTH = 16;

interface Settings {
  readonly host: RawSocketHost;
  readonly maxLength: number;
  readonly minClientMaxLength: number;
  readonly handshakeTimeout: number;
  readonly maxConnections: number;
  /** Peers past the handshake. */
  readonly open: Set<RawSocketPeer>;
}

type State = 'handshake' | 'open' | 'closing' | 'closed';

/** One RawSocket connection: the {@link Transport} the engine writes to. */
class RawSocketPeer implements Transport, Metered {
  readonly socket: Socket;
  readonly #settings: Settings;
  readonly #logger: Logger;
  readonly #decoder: FrameDecoder;
  /** A client that does not read cannot queue PONGs or replies without bound: reading stops while it holds too much. */
  readonly #meter: OutboundMeter;
  readonly #handshake = new Uint8Array(4);
  #handshakeFilled = 0;
  #state: State = 'handshake';
  #connection: Connection | undefined;
  /** The largest message the client will receive. */
  #clientMaxLength = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** The payload of our unanswered keepalive PING. */
  #pingPayload: Buffer | undefined;

  /** Set when a limit refused the peer: its handshake is answered with this error. */
  readonly #refusal: HandshakeError | undefined;

  constructor(socket: Socket, settings: Settings, refusal?: HandshakeError) {
    this.socket = socket;
    this.#refusal = refusal;
    this.#settings = settings;
    this.#logger = settings.host.logger;
    this.#decoder = new FrameDecoder(settings.maxLength);
    this.#meter = new OutboundMeter(settings.host.outboundBudget, this);
    if (settings.handshakeTimeout > 0) {
      this.#timer = setTimeout(() => {
        this.#logger.debug({ peer: socket.remoteAddress }, 'rawsocket: no handshake in time');
        socket.destroy();
      }, settings.handshakeTimeout);
    }
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('end', () => this.#onEnd());
    socket.on('error', (error) => this.#logger.debug({ err: error, peer: socket.remoteAddress }, 'rawsocket error'));
    socket.on('close', () => this.#onClose());
    socket.resume();
  }

  get open(): boolean {
    return this.#state === 'open';
  }

  /** What the client announced in its handshake. */
  get maxMessageLength(): number {
    return this.#clientMaxLength;
  }

  get bufferedAmount(): number {
    return this.socket.writableLength;
  }

  // The socket's own counters: byte metrics at no cost per message.
  get bytesRead(): number {
    return this.socket.bytesRead;
  }

  get bytesWritten(): number {
    return this.socket.bytesWritten;
  }

  get outboundCost(): number {
    return this.#meter.cost;
  }

  pauseReading(): void {
    this.socket.pause();
  }

  resumeReading(): void {
    this.socket.resume();
  }

  send(frame: string | Uint8Array): void {
    if (this.#state !== 'open') return;
    const length = typeof frame === 'string' ? Buffer.byteLength(frame) : frame.byteLength;
    if (length > this.#clientMaxLength) return this.#oversize(length);
    this.#write(FrameType.WAMP, frame, length);
  }

  /** RawSocket frames carry bytes either way: an event's shared UTF-8 is written as it is. */
  sendUTF8(frame: Uint8Array): void {
    this.send(frame);
  }

  /** RawSocket has no close codes: the socket is ended (the engine has sent ABORT or GOODBYE if it had one to send). */
  close(): void {
    this.#closeGracefully();
  }

  terminate(): void {
    this.#state = 'closed';
    this.socket.destroy();
  }

  /** Sends a keepalive PING, or drops the client if the previous one is unanswered. */
  keepAlive(): void {
    if (this.#state !== 'open') return;
    if (this.#pingPayload !== undefined) {
      this.#logger.debug({ peer: this.socket.remoteAddress }, 'rawsocket: no PONG in time');
      return this.terminate();
    }
    this.#pingPayload = randomBytes(PING_PAYLOAD_LENGTH);
    this.#write(FrameType.PING, this.#pingPayload, PING_PAYLOAD_LENGTH);
  }

  #onData(chunk: Buffer): void {
    let bytes: Uint8Array = chunk;
    if (this.#state === 'handshake') {
      const take = Math.min(4 - this.#handshakeFilled, bytes.length);
      this.#handshake.set(bytes.subarray(0, take), this.#handshakeFilled);
      this.#handshakeFilled += take;
      if (this.#handshakeFilled < 4) return;
      try {
        this.#completeHandshake();
      } catch (error) {
        // A 'data' listener's throw would end the process: it ends this connection only.
        this.#logger.error({ err: error, peer: this.socket.remoteAddress }, 'rawsocket: the handshake could not be completed');
        return this.#fail();
      }
      bytes = bytes.subarray(take);
    }
    if (this.#state !== 'open' || bytes.length === 0) return;
    // The replies to every frame of one read leave in one write: same bytes, fewer syscalls.
    this.socket.cork();
    process.nextTick(uncork, this.socket);
    try {
      for (const frame of this.#decoder.push(bytes)) {
        this.#onFrame(frame);
        if (this.#state !== 'open') return;
      }
    } catch (error) {
      if (error instanceof FramingError) {
        this.#logger.debug({ peer: this.socket.remoteAddress, message: error.message }, 'rawsocket: framing error');
      } else {
        this.#logger.error({ err: error, peer: this.socket.remoteAddress }, 'rawsocket: unexpected failure while reading');
      }
      this.#fail();
      return;
    }
    this.#meter.check();
  }

  #completeHandshake(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const octets = this.#handshake;
    if (octets[0] !== MAGIC) {
      // Not a RawSocket client, and nothing else is served here: fail the connection.
      this.#logger.debug({ peer: this.socket.remoteAddress }, 'rawsocket: not a RawSocket handshake');
      this.#state = 'closed';
      this.socket.destroy();
      return;
    }
    if (this.#refusal !== undefined) return this.#refuse(this.#refusal);
    const handshake = parseClientHandshake(octets);
    if (!handshake.ok) return this.#refuse(handshake.error);
    const protocol = SERIALIZER_PROTOCOLS.get(handshake.serializerId);
    const serializer = protocol === undefined ? undefined : this.#settings.host.serializers.get(protocol);
    if (serializer === undefined) return this.#refuse(HandshakeError.SERIALIZER_UNSUPPORTED);
    if (handshake.maxLength < this.#settings.minClientMaxLength) return this.#refuse(HandshakeError.MAX_LENGTH_UNACCEPTABLE);
    if (this.#settings.open.size >= this.#settings.maxConnections) return this.#refuse(HandshakeError.CONNECTION_LIMIT);
    this.socket.write(handshakeReply(handshake.serializerId, this.#settings.maxLength));
    this.#state = 'open';
    this.#clientMaxLength = handshake.maxLength;
    this.#settings.open.add(this);
    this.#connection = this.#settings.host.accept(this, serializer, transportInfoFromSocket(this.socket, serializer.protocol));
  }

  #refuse(error: HandshakeError): void {
    this.#logger.debug({ peer: this.socket.remoteAddress, error }, 'rawsocket: handshake refused');
    this.socket.write(handshakeErrorReply(error));
    this.#closeGracefully();
  }

  #onFrame(frame: Frame): void {
    switch (frame.type) {
      case FrameType.WAMP:
        this.#connection!.receive(frame.payload);
        return;
      case FrameType.PING:
        if (frame.payload.length > this.#clientMaxLength) {
          this.#logger.debug({ peer: this.socket.remoteAddress }, 'rawsocket: a PING too large to echo');
          return this.#fail();
        }
        this.#write(FrameType.PONG, frame.payload, frame.payload.length);
        return;
      case FrameType.PONG:
        if (this.#pingPayload?.equals(frame.payload)) this.#pingPayload = undefined;
        return;
    }
  }

  #write(type: FrameType, payload: string | Uint8Array, length: number): void {
    if (typeof payload === 'string' || length <= COPY_LIMIT) {
      const out = Buffer.allocUnsafe(HEADER_LENGTH + length);
      writeFrameHeader(out, type, length);
      if (typeof payload === 'string') out.write(payload, HEADER_LENGTH, 'utf8');
      else out.set(payload, HEADER_LENGTH);
      this.socket.write(out, this.#meter.written);
      this.#meter.sent();
      return;
    }
    const header = Buffer.allocUnsafe(HEADER_LENGTH);
    writeFrameHeader(header, type, length);
    this.socket.cork();
    this.socket.write(header);
    this.socket.write(payload, this.#meter.written);
    this.socket.uncork();
    this.#meter.sent();
  }

  /**
   * The engine never sends a frame over the client's maximum (it aborts the
   * session instead, see `Transport.maxMessageLength`); should one come
   * anyway, the spec forbids writing it, so the connection is dropped.
   */
  #oversize(length: number): void {
    this.#logger.error({ peer: this.socket.remoteAddress, length, clientMaxLength: this.#clientMaxLength }, 'rawsocket: frame over the client maximum');
    const connection = this.#connection!;
    this.terminate();
    // The engine is in the middle of a send: tell it after it has returned.
    queueMicrotask(() => connection.transportClosed());
  }

  /** Fails the connection on a broken stream: nothing more is sent. */
  #fail(): void {
    this.#state = 'closed';
    this.socket.destroy();
    this.#connection?.transportClosed();
  }

  /**
   * Ends the connection once everything written has been handed to the
   * kernel (which still delivers it); a client that does not read gets
   * `CLOSE_GRACE_MS` before the socket is destroyed with its data. The
   * client's own end is not awaited: some (autobahn-js) never send it.
   */
  #closeGracefully(): void {
    if (this.#state === 'closing' || this.#state === 'closed') return;
    this.#state = 'closing';
    this.#settings.open.delete(this);
    clearTimeout(this.#timer);
    this.socket.end(() => this.socket.destroy());
    this.#timer = setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS);
  }

  #onEnd(): void {
    if (this.#state === 'open' && this.#decoder.midFrame) {
      this.#logger.debug({ peer: this.socket.remoteAddress }, 'rawsocket: the client went away mid-frame');
    }
    // Half-open connections are of no use to WAMP: end ours too.
    this.#closeGracefully();
  }

  #onClose(): void {
    this.#state = 'closed';
    this.#meter.close();
    this.#settings.open.delete(this);
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#connection?.transportClosed();
  }
}

function uncork(socket: Socket): void {
  socket.uncork();
}

/**
 * What each {@link RawSocketOptions} key accepts (checked by the application's
 * serving methods; lengths are also checked to be powers of two here).
 */
export const rawSocketOptionShape: Record<keyof RawSocketOptions, OptionSpec> = {
  maxMessageLength: nonNegativeFinite,
  minClientMaxLength: nonNegativeFinite,
  handshakeTimeout: timerDelay,
  pingInterval: timerDelay,
  maxConnections: nonNegativeNumber,
};

function settingsFrom(host: RawSocketHost, options: RawSocketOptions, open: Set<RawSocketPeer>): Settings {
  const maxLength = options.maxMessageLength ?? 1024 * 1024;
  const minClientMaxLength = options.minClientMaxLength ?? MIN_MAX_LENGTH;
  for (const [name, value] of [
    ['maxMessageLength', maxLength],
    ['minClientMaxLength', minClientMaxLength],
  ] as const) {
    try {
      lengthExponent(value);
    } catch (error) {
      throw new ServerwampError('ERR_INVALID_OPTION', `rawSocket.${name}: ${(error as Error).message}`);
    }
  }
  return {
    host,
    maxLength,
    minClientMaxLength,
    handshakeTimeout: options.handshakeTimeout ?? 10_000,
    maxConnections: options.maxConnections ?? Infinity,
    open,
  };
}

/** Creates an endpoint; `attachRawSocket` also hooks it to a server. */
export function createRawSocketEndpoint(host: RawSocketHost, options: RawSocketOptions = {}): RawSocketEndpoint {
  const open = new Set<RawSocketPeer>();
  const settings = settingsFrom(host, options, open);
  const pingInterval = options.pingInterval ?? 0;
  const sockets = new Set<Socket>();
  let closed = false;
  const timer =
    pingInterval > 0
      ? setInterval(() => {
          for (const peer of open) peer.keepAlive();
        }, pingInterval)
      : undefined;
  timer?.unref();

  return {
    handleSocket(socket) {
      if (closed || socket.destroyed) return void socket.destroy();
      const refusal = host.admit?.(socket.remoteAddress ?? '');
      // RawSocket has no way to say "shutting down": the socket is closed before the handshake.
      if (refusal?.limit === 'draining') return void socket.destroy();
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      // Over the per-address limit the client learns why: its handshake is answered with error 4.
      new RawSocketPeer(socket, settings, refusal === undefined ? undefined : HandshakeError.CONNECTION_LIMIT);
    },
    async close() {
      closed = true;
      if (timer !== undefined) clearInterval(timer);
      const closing = [...sockets].map((socket) => new Promise((resolve) => socket.once('close', resolve)));
      for (const peer of open) peer.close();
      for (const socket of sockets) if (!socket.writableEnded) socket.destroy();
      await Promise.all(closing);
    },
  };
}

/**
 * Serves WAMP over RawSocket on a `node:net` server (every connection), or a
 * `node:tls` server (every secure connection).
 */
export function attachRawSocket(host: RawSocketHost, server: NetServer, options: RawSocketOptions = {}): RawSocketEndpoint {
  const endpoint = createRawSocketEndpoint(host, options);
  const event = server instanceof TLSServer ? 'secureConnection' : 'connection';
  const onConnection = (socket: Socket): void => endpoint.handleSocket(socket);
  server.on(event, onConnection);
  return {
    handleSocket: endpoint.handleSocket,
    async close() {
      server.off(event, onConnection);
      await endpoint.close();
    },
  };
}
