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

/** Close codes serverwamp passes to {@link Transport.close} (WebSocket close codes; other transports may ignore them). */
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

/** Why a host refuses a new connection before it is accepted. */
export interface ConnectionRefusal {
  /** The limit: the application is shutting down, or the peer's address has its share of connections. */
  readonly limit: 'draining' | 'maxConnectionsPerAddress';
  /** What an HTTP-based adapter answers the upgrade with: 503 while draining, 429 over the limit. */
  readonly status: 503 | 429;
  /** A short sentence for the client, naming the limit. */
  readonly message: string;
}

/** What an adapter drives: the engine's side of one accepted connection. */
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

/** What accepts connections from an adapter: an `Application`. */
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
 */
export interface Closable {
  /** Stops accepting connections and releases what it holds. Connections are closed by the application first. */
  close(): Promise<void>;
}
