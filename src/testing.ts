/**
 * `serverwamp/testing`: an in-memory transport pair for tests. A
 * {@link TestPeer} is a WAMP client peer joined to an application through
 * `app.accept`, with no sockets: what it sends reaches the engine at once,
 * and what the engine sends waits in the peer's queue. Combined with mock
 * timers, every engine timeout can be tested without waiting.
 * {@link inspectApplication} counts what an application holds, for leak checks.
 * @module
 */
import type { Application } from './application.js';
import type { ApplicationTables } from './model/tables.js';
import type { WampMessage } from './protocol/build.js';
import { createSerializers, SUPPORTED_PROTOCOLS } from './serializers/index.js';
import type { Serializer } from './serializers/serializer.js';
import type { EngineConnection, Transport, TransportHost } from './transport.js';
import type { TransportInfo } from './transport-info.js';

/**
 * How a {@link TestPeer} connects: the second argument of {@link connectTestPeer}.
 *
 * @example
 * ```ts
 * import { connectTestPeer } from 'serverwamp/testing';
 *
 * // A MessagePack client behind a known address, with the cookie a transport authenticator reads:
 * const peer = connectTestPeer(app, {
 *   protocol: 'wamp.2.msgpack',
 *   transportInfo: { peerAddress: '203.0.113.7', httpCookies: { sid: 'abc123' } },
 * });
 * ```
 */
export interface TestPeerOptions {
  /** The WAMP subprotocol both sides speak (default `wamp.2.json`). */
  readonly protocol?: (typeof SUPPORTED_PROTOCOLS)[number];
  /** Fields of the connection's `transportInfo` (default: transport `memory`, no address, no HTTP). */
  readonly transportInfo?: Partial<TransportInfo>;
  /** The largest message the peer accepts, as a RawSocket client announces one. */
  readonly maxMessageLength?: number;
}

/**
 * How the server closed the peer's transport: what `peer.closed` resolves to.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { connectTestPeer } from 'serverwamp/testing';
 *
 * const peer = connectTestPeer(app);
 * await app.close();
 * assert.deepEqual(await peer.closed, { code: 1001, reason: 'server shutting down' });
 * ```
 */
export interface TestPeerClose {
  /** The close code the server gave (a WebSocket close code). */
  readonly code: number;
  /** The close reason the server gave. */
  readonly reason: string;
}

/**
 * A WAMP message as the peer decoded it: what `peer.next()` resolves to and `peer.pending` holds.
 *
 * @example
 * ```ts
 * import { MessageType } from 'serverwamp';
 * import { connectTestPeer, type ReceivedMessage } from 'serverwamp/testing';
 *
 * const peer = connectTestPeer(app);
 * peer.send([MessageType.HELLO, 'realm1', { roles: { caller: {} } }]);
 * const welcome: ReceivedMessage = await peer.next();
 * const [type, sessionId] = welcome; // MessageType.WELCOME, the new session's id
 * ```
 */
export type ReceivedMessage = unknown[];

/**
 * The client end of an in-memory connection.
 *
 * @example
 * ```ts
 * const peer = connectTestPeer(app);
 * peer.send([MessageType.HELLO, 'realm1', { roles: { caller: {} } }]);
 * const [type] = await peer.next(); // 2: WELCOME
 * peer.disconnect();
 * ```
 */
export class TestPeer {
  /** The engine's side, as the application sees it (`session.connection`). */
  readonly connection: EngineConnection;
  /** Settles when the server closes the transport, with its close code and reason. */
  readonly closed: Promise<TestPeerClose>;
  /**
   * Bytes the simulated network has not yet taken, as the engine reads it
   * through `Transport.bufferedAmount`: set it to play a slow consumer.
   */
  bufferedAmount = 0;
  readonly #serializer: Serializer;
  readonly #queue: ReceivedMessage[] = [];
  readonly #waiters: Array<{ resolve: (msg: ReceivedMessage) => void; reject: (error: Error) => void }> = [];
  #close: TestPeerClose | undefined;
  #resolveClosed!: (close: TestPeerClose) => void;

  /** @internal Use {@link connectTestPeer}. */
  constructor(host: TransportHost, options: TestPeerOptions) {
    const protocol = options.protocol ?? 'wamp.2.json';
    const serializer = createSerializers([protocol]).get(protocol)!;
    this.#serializer = serializer.forConnection?.() ?? serializer;
    this.closed = new Promise((resolve) => (this.#resolveClosed = resolve));
    this.connection = host.accept(new MemoryTransport(this, options.maxMessageLength), serializer, memoryTransportInfo(protocol, options.transportInfo));
  }

  /** Whether the server has closed the transport (or the peer has, with {@link disconnect}). */
  get isClosed(): boolean {
    return this.#close !== undefined;
  }

  /** Messages received and not yet taken with {@link next}. */
  get pending(): readonly ReceivedMessage[] {
    return this.#queue;
  }

  /** Encodes one message with the peer's serializer and delivers it to the engine. */
  send(message: readonly unknown[]): void {
    this.sendFrame(this.#serializer.encode(message as WampMessage));
  }

  /** Delivers exact bytes or text to the engine, as one frame. */
  sendFrame(frame: string | Uint8Array): void {
    if (this.#close !== undefined) throw new Error('the test peer is closed');
    this.connection.receive(frame);
  }

  /**
   * The next message from the server. Rejects if the transport is closed
   * with nothing left to read.
   */
  next(): Promise<ReceivedMessage> {
    const queued = this.#queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.#close !== undefined) return Promise.reject(closedError(this.#close));
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /** Drops the connection from the client side, as a network failure would. */
  disconnect(): void {
    if (this.#close !== undefined) return;
    this.closedBy({ code: 1006, reason: '' });
    this.connection.transportClosed();
  }

  /** @internal The transport's send. */
  deliver(frame: string | Uint8Array): void {
    if (this.#close !== undefined) throw new Error('the engine sent a frame after closing the transport');
    for (const message of this.#serializer.decode(frame)) {
      const msg = message as ReceivedMessage;
      const waiter = this.#waiters.shift();
      if (waiter !== undefined) waiter.resolve(msg);
      else this.#queue.push(msg);
    }
  }

  /** @internal The transport's close. */
  closedBy(close: TestPeerClose): void {
    if (this.#close !== undefined) return;
    this.#close = close;
    this.#resolveClosed(close);
    for (const waiter of this.#waiters.splice(0)) waiter.reject(closedError(close));
  }
}

/** The server end: hands frames to the peer. */
class MemoryTransport implements Transport {
  readonly #peer: TestPeer;
  readonly maxMessageLength?: number;

  constructor(peer: TestPeer, maxMessageLength: number | undefined) {
    this.#peer = peer;
    if (maxMessageLength !== undefined) this.maxMessageLength = maxMessageLength;
  }

  get bufferedAmount(): number {
    return this.#peer.bufferedAmount;
  }

  send(frame: string | Uint8Array): void {
    this.#peer.deliver(frame);
  }

  close(code: number, reason: string): void {
    this.#peer.closedBy({ code, reason });
  }

  terminate(): void {
    this.#peer.closedBy({ code: 1006, reason: '' });
  }
}

function closedError(close: TestPeerClose): Error {
  return new Error(`the transport is closed (${close.code}${close.reason === '' ? '' : ` ${close.reason}`})`);
}

function memoryTransportInfo(protocol: string, fields: Partial<TransportInfo> = {}): TransportInfo {
  return {
    transport: 'memory',
    peerAddress: '',
    peerPort: undefined,
    httpCookies: {},
    httpHeaders: {},
    httpPath: '',
    httpQuery: new URLSearchParams(),
    peerCertificate: undefined,
    secure: false,
    protocol,
    ...fields,
  };
}

/**
 * Connects a new in-memory client peer to `host` (an `Application`).
 *
 * @example
 * ```ts
 * const peer = connectTestPeer(app);
 * peer.send([1, 'realm1', { roles: { caller: {} } }]); // HELLO
 * const [type, sessionId] = await peer.next();       // [2, id, details]: WELCOME
 * ```
 */
export function connectTestPeer(host: TransportHost, options: TestPeerOptions = {}): TestPeer {
  return new TestPeer(host, options);
}

export type { ApplicationTables, SessionTables } from './model/tables.js';

/**
 * Counts what `app` holds in its tables: connections, sessions, subscriptions,
 * calls in flight both ways, registrations, queued bytes, remote requests.
 * For tests and soak runs, not for production monitoring: it walks every
 * connection. Once every client has gone, each count is 0.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { inspectApplication } from 'serverwamp/testing';
 * // …after the clients have left:
 * assert.deepEqual(Object.values(inspectApplication(app)).filter((n) => n !== 0), []);
 * ```
 */
export function inspectApplication<Context>(app: Application<Context>): ApplicationTables {
  return app.tables();
}
