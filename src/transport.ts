/**
 * The adapter contract: what an adapter (WebSocket, RawSocket, or one of your
 * own on any runtime) gives the engine, and what the engine gives back. An
 * adapter only moves bytes; every WAMP decision (ABORT, GOODBYE, limits on
 * message size) is the engine's.
 * @module
 */
import type { Serializer } from './serializers/serializer.js';
import type { TransportInfo } from './transport-info.js';

/**
 * The byte-moving side of one connection, implemented by each adapter.
 *
 * **Outbound limits.** The engine protects the server from peers that do not
 * read (slow consumers) by reading {@link outboundCost} (or, without it,
 * {@link bufferedAmount}) before each send: replies past the application's
 * `bufferLimit` close the connection, events past `eventBufferLimit` are
 * dropped or close it (`slowConsumer.policy`). An adapter must therefore
 * report what it holds for the peer and has not yet handed to the network.
 * A runtime that cannot tell (no `bufferedAmount`) must report `0`: that
 * silently **disables** slow-consumer protection for its connections, and the
 * server's memory is then bounded only by what that runtime buffers. Say so
 * in the adapter's documentation.
 *
 * **Input flow control** (no longer reading a peer that holds too much) stays
 * with the adapter: only it sees when a write completes and what it writes
 * on its own (RawSocket PINGs and PONGs, handshakes). The built-in adapters
 * meter this with `outbound-budget.ts`, whose `cost` is what they
 * report as `outboundCost`.
 *
 * @example
 * ```ts
 * import type { Transport } from 'serverwamp/adapter';
 *
 * // Over a runtime's server-side WebSocket, which knows what it still holds for the peer.
 * function transportOf(ws: WebSocket): Transport {
 *   return {
 *     send: (frame) => ws.send(frame),
 *     close: (code, reason) => ws.close(code, reason),
 *     get bufferedAmount() { return ws.bufferedAmount; },
 *   };
 * }
 * ```
 */
export interface Transport {
  /** Sends one frame (text for a string, binary for bytes). Never called after `close` or `terminate`. */
  send(frame: string | Uint8Array): void;
  /**
   * Optional: sends a text frame given as its UTF-8 bytes. When an event
   * goes to many peers of a text serializer (JSON), the engine encodes it to
   * UTF-8 once and hands the same bytes to every transport that has this,
   * instead of each `send` encoding the same string again. The bytes are
   * shared: do not modify them. Same rules as `send` otherwise.
   */
  sendUTF8?(frame: Uint8Array): void;
  /**
   * Closes the transport, with a closing handshake where it has one. The
   * engine has already sent ABORT or GOODBYE if it had one to send. Need not
   * call `connection.transportClosed()`: the engine knows.
   */
  close(code: number, reason: string): void;
  /**
   * Bytes sent but not yet written to the network: what a slow reader makes
   * the server hold. `0` where the runtime cannot tell, which disables
   * slow-consumer protection (see above).
   */
  readonly bufferedAmount: number;
  /**
   * Estimated memory held for the peer: `bufferedAmount` plus a fixed cost
   * per unflushed send, which is what many small replies really cost.
   * Defaults to `bufferedAmount`.
   */
  readonly outboundCost?: number;
  /**
   * The largest message, in octets, the peer accepts, if the transport has
   * such a limit (a RawSocket client announces one). The engine never sends a
   * larger frame: an event is dropped and counted, a reply ends the session
   * with ABORT `wamp.error.payload_size_exceeded` (sent only if that fits).
   */
  readonly maxMessageLength?: number;
  /**
   * Optional: octets read from and handed to the network for this
   * connection so far, framing included (Node's `socket.bytesRead` and
   * `bytesWritten`). With them the byte metrics cost nothing per message;
   * without them the engine measures each frame when metrics are on.
   */
  readonly bytesRead?: number;
  /** Octets handed to the network so far (see `bytesRead`). */
  readonly bytesWritten?: number;
  /**
   * Drops the connection at once, without a closing handshake, for a peer
   * that is not reading (a handshake would wait behind everything buffered).
   * Adapters without one get `close(1008, reason)`.
   */
  terminate?(): void;
}

/**
 * Close codes serverwamp passes to {@link Transport.close} (WebSocket close codes; other transports may ignore them).
 *
 * @example
 * ```ts
 * import { CloseCode, type Transport } from 'serverwamp/adapter';
 *
 * // A standard WebSocket's close() throws for codes other than 1000 and 3000–4999:
 * // such a transport closes with NORMAL and says in the reason which code the engine meant.
 * function closeOf(ws: WebSocket): Transport['close'] {
 *   return (code, reason) => ws.close(CloseCode.NORMAL, code === CloseCode.NORMAL ? reason : `code ${code}`);
 * }
 * ```
 */
export const CloseCode = {
  /** A normal closure. */
  NORMAL: 1000,
  /** The server is going away (shutting down). */
  GOING_AWAY: 1001,
  /** The peer broke the protocol. */
  PROTOCOL_ERROR: 1002,
  /** A peer that does not read what it is sent (slow consumer). */
  POLICY_VIOLATION: 1008,
  /** A connection over a limit (`maxConnectionsPerAddress`) that no adapter refused before it was accepted. */
  TRY_AGAIN_LATER: 1013,
} as const;

/**
 * Why a host refuses a new connection before it is accepted.
 *
 * @example
 * ```ts
 * import type { ConnectionRefusal } from 'serverwamp/adapter';
 *
 * // An adapter asks before it upgrades, and answers a refusal without accepting.
 * function refusalResponse(peerAddress: string): Response | undefined {
 *   const refusal: ConnectionRefusal | undefined = app.admit(peerAddress);
 *   if (refusal === undefined) return undefined; // go on: accept the WebSocket
 *   return new Response(refusal.message, { status: refusal.status, headers: { 'retry-after': '5' } });
 * }
 * ```
 */
export interface ConnectionRefusal {
  /** The limit: the application is shutting down, or the peer's address has its share of connections. */
  readonly limit: 'draining' | 'maxConnectionsPerAddress';
  /** What an HTTP-based adapter answers the upgrade with: 503 while draining, 429 over the limit. */
  readonly status: 503 | 429;
  /** A short sentence for the client, naming the limit. */
  readonly message: string;
}

/**
 * What an adapter drives: the engine's side of one accepted connection.
 *
 * @example
 * ```ts
 * import type { EngineConnection } from 'serverwamp/adapter';
 *
 * // The adapter's part once `app.accept(…)` has returned the connection: feed it, tell it of the close.
 * function feed(ws: WebSocket, connection: EngineConnection): void {
 *   ws.binaryType = 'arraybuffer';
 *   ws.onmessage = ({ data }) => connection.receive(typeof data === 'string' ? data : new Uint8Array(data as ArrayBuffer));
 *   ws.onclose = () => connection.transportClosed();
 * }
 * ```
 */
export interface EngineConnection {
  /** The serializer the connection speaks (per connection; may differ from the one passed to `accept`). */
  readonly serializer: Serializer;
  /** Whether the connection has closed; nothing more needs to be fed to it. */
  readonly closed: boolean;
  /** Feeds one received frame (one WAMP message, or a batch for batched serializers). Never throws. */
  receive(frame: string | Uint8Array): void;
  /** Tells the engine the transport has closed. Ends the session without sending anything. Idempotent. */
  transportClosed(): void;
}

/**
 * What accepts connections from an adapter: an `Application`.
 *
 * @example
 * ```ts
 * import { createSerializers, negotiateProtocol, type TransportHost, type TransportInfo } from 'serverwamp/adapter';
 *
 * // An adapter needs only this much of the application: serveSocket(app, ws, info).
 * function serveSocket(host: TransportHost, ws: WebSocket, info: TransportInfo): void {
 *   const serializer = negotiateProtocol([ws.protocol], createSerializers(['wamp.2.json'])); // text frames only
 *   if (serializer === undefined || host.admit?.(info.peerAddress) !== undefined) return ws.close(4000, 'refused');
 *   const transport = { send: (frame: string | Uint8Array) => ws.send(frame), close: () => ws.close(), bufferedAmount: 0 };
 *   const connection = host.accept(transport, serializer, info);
 *   ws.onmessage = ({ data }) => connection.receive(data as string);
 *   ws.onclose = () => connection.transportClosed();
 * }
 * ```
 */
export interface TransportHost {
  /**
   * Starts the engine for a new connection whose subprotocol has been
   * negotiated (see `negotiateProtocol`). The connection waits for HELLO.
   */
  accept(transport: Transport, serializer: Serializer, transportInfo: TransportInfo): EngineConnection;
  /**
   * Optional: asked by an adapter before it upgrades or accepts a connection
   * from `peerAddress` (`''` when unknown); a refusal is counted, and the
   * adapter answers it without accepting (HTTP status, RawSocket handshake
   * error, or closing the socket). An adapter that does not ask still has
   * over-limit connections closed by `accept` (close code 1013).
   */
  admit?(peerAddress: string): ConnectionRefusal | undefined;
}

/**
 * Something an adapter started for an application (an endpoint, a server)
 * and registers with `app.addClosable`, so that `app.close()` stops it too.
 *
 * @example
 * ```ts
 * import type { Closable } from 'serverwamp/adapter';
 *
 * // A TCP server an adapter started for the application: app.close() now closes it too.
 * const listener: Closable = {
 *   close: () => new Promise<void>((resolve, reject) => tcpServer.close((error) => (error ? reject(error) : resolve()))),
 * };
 * const unregister = app.addClosable(listener);
 * ```
 */
export interface Closable {
  /** Stops accepting connections and releases what it holds. Connections are closed by the application first. */
  close(): Promise<void>;
}
