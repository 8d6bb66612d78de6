/**
 * A {@link Transport} over a standard `WebSocket` (WHATWG), as Deno's
 * `Deno.upgradeWebSocket` and other web-standard hosts hand out on the
 * server side.
 * @module
 */
import type { Connection } from '../engine/connection.js';
import { exceedsLength } from '../frame-length.js';
import type { Transport } from '../transport.js';
import { closeSocket } from './close-reason.js';
import type { WebEndpoint } from './endpoint.js';
import type { AcceptedUpgrade } from './upgrade.js';

/**
 * What serverwamp uses of a standard `WebSocket` (declared here: no DOM types needed).
 *
 * @example
 * ```ts
 * import { webSocketEndpoint, type StandardWebSocket } from 'serverwamp/web';
 *
 * const wamp = webSocketEndpoint(app, { path: '/ws' });
 * function onUpgrade(request: Request): Response {
 *   const decision = wamp.upgrade(request);
 *   if (!decision.accepted) return decision.response;
 *   const accepted = host.acceptWebSocket(request, { protocol: decision.protocol });
 *   const socket: StandardWebSocket = accepted.socket; // a server-side WebSocket fits
 *   wamp.serve(socket, decision); // served once open
 *   return accepted.response;
 * }
 * ```
 */
export interface StandardWebSocket {
  /** The subprotocol the host accepted: the decision's `protocol`, or `''` where the runtime does not tell (Deno). */
  readonly protocol: string;
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** Bytes queued by `send` and not yet written; where a runtime leaves it at 0, slow-consumer protection is off. */
  readonly bufferedAmount: number;
  /** Set to `arraybuffer` by the adapter, so binary frames arrive as bytes. */
  binaryType: string;
  /** Sends one frame. */
  send(data: string | Uint8Array): void;
  /** Starts the closing handshake. */
  close(code?: number, reason?: string): void;
  /** Listens for `open`, `message`, `close` and `error`. */
  addEventListener(type: 'open' | 'message' | 'close' | 'error', listener: (event: { data?: unknown }) => void): void;
}

const OPEN = 1;

function frameOf(data: unknown): string | Uint8Array | undefined {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return undefined;
}

class StandardSocketTransport implements Transport {
  readonly #socket: StandardWebSocket;

  constructor(socket: StandardWebSocket) {
    this.#socket = socket;
  }

  send(frame: string | Uint8Array): void {
    // The engine never sends after close; a socket closed by the peer meanwhile drops the frame as WebSocket does.
    if (this.#socket.readyState === OPEN) this.#socket.send(frame);
  }

  close(code: number, reason: string): void {
    closeSocket(this.#socket, code, reason);
  }

  get bufferedAmount(): number {
    return this.#socket.bufferedAmount;
  }
}

/**
 * Serves one accepted standard WebSocket. The session starts when the socket
 * is open (a standard socket cannot send before). Never throws.
 */
export function serveStandardSocket(endpoint: WebEndpoint, socket: StandardWebSocket, upgrade: AcceptedUpgrade): void {
  const { host } = endpoint;
  let connection: Connection | undefined;
  const served = { close: (code: number, reason: string) => closeSocket(socket, code, reason) };
  const start = (): void => {
    // Deno leaves `protocol` empty on server sockets although it answered the one asked for.
    if (socket.protocol !== '' && socket.protocol !== upgrade.protocol) {
      // The host accepted another subprotocol than the one negotiated: the client would misread every frame.
      host.logger.warn({ protocol: socket.protocol, expected: upgrade.protocol }, 'websocket accepted with the wrong subprotocol');
      closeSocket(socket, 1002, `subprotocol must be ${upgrade.protocol}`);
      return;
    }
    endpoint.sockets.add(served);
    try {
      connection = host.accept(new StandardSocketTransport(socket), upgrade.serializer, upgrade.transportInfo);
    } catch (error) {
      host.logger.error({ err: error }, 'could not accept a WebSocket connection');
      closeSocket(socket, 1011, 'internal error');
    }
  };
  socket.binaryType = 'arraybuffer';
  socket.addEventListener('message', (event) => {
    if (connection === undefined || connection.closed) return;
    const frame = frameOf(event.data);
    if (frame === undefined || exceedsLength(frame, endpoint.maxPayload)) {
      closeSocket(socket, 1009, frame === undefined ? 'unsupported message type' : 'message too big');
      connection.transportClosed();
      return;
    }
    connection.receive(frame);
  });
  socket.addEventListener('close', () => {
    endpoint.sockets.delete(served);
    connection?.transportClosed();
  });
  socket.addEventListener('error', () => {
    // A 'close' event follows every 'error': the session ends there.
  });
  if (socket.readyState === OPEN) start();
  else socket.addEventListener('open', start);
}
