/**
 * The WebSocket adapter: serves WAMP on a `node:http`/`node:https` server
 * through `ws` in `noServer` mode, on one path, next to the server's other
 * routes. It refuses upgrades from origins not allowed, negotiates the
 * subprotocol, refuses upgrades that offer none it speaks, keeps connections
 * alive with pings, and only moves bytes between `ws` and the session engine.
 * @module
 */
import type { IncomingMessage, Server as HTTPServer } from 'node:http';
import type { Server as HTTPSServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Connection, Transport } from '../connection.js';
import type { Logger } from '../logger.js';
import { negotiateProtocol, type Serializer } from '../serializers/index.js';
import { originCheck, type AllowedOrigins } from './origin.js';
import { transportInfoFromRequest, type TransportInfo } from './transport-info.js';

/** Options of a WebSocket endpoint. */
export interface WebSocketOptions {
  /** The path WAMP is served on, e.g. `/ws`. Default: every path not handled by another upgrade listener. */
  path?: string;
  /** The largest message accepted, in bytes (default 1 MiB). Larger ones close the connection with 1009. */
  maxPayload?: number;
  /** Milliseconds between keepalive pings; a peer that misses a pong is dropped. 0 disables (default 30000). */
  pingInterval?: number;
  /** Enables permessage-deflate (default false: it costs CPU and memory per connection). */
  perMessageDeflate?: boolean;
  /**
   * Browser origins allowed to connect, e.g. `['https://app.example.com']`,
   * or a predicate. Upgrades from other origins are refused with 403;
   * upgrades without an `Origin` header (non-browser clients) are accepted.
   * Set it whenever cookies authenticate sessions. Default: any origin.
   */
  allowedOrigins?: AllowedOrigins;
}

/** What the adapter needs from the application. */
export interface WebSocketHost {
  readonly logger: Logger;
  readonly serializers: ReadonlyMap<string, Serializer>;
  accept(transport: Transport, serializer: Serializer, transportInfo: TransportInfo): Connection;
}

/** A WebSocket endpoint serving WAMP. */
export interface WebSocketEndpoint {
  /** Handles one HTTP upgrade request (for servers you route yourself). */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Stops accepting connections and closes the open ones with 1001 (clients will reconnect). */
  close(): Promise<void>;
}

function offeredProtocols(request: IncomingMessage): string[] {
  const header = request.headers['sec-websocket-protocol'];
  if (header === undefined) return [];
  return header
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

function refuse(socket: Duplex, status: number, reason: string, body: string): void {
  if (!socket.writable) return void socket.destroy();
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** Per-endpoint state shared by its connections. */
interface EndpointState {
  readonly host: WebSocketHost;
  readonly transports: Set<WebSocketTransport>;
}

const kTransport = Symbol('serverwamp.transport');
type TrackedWebSocket = WebSocket & { [kTransport]: WebSocketTransport };

/**
 * One WebSocket connection: the {@link Transport} the engine writes to. The ws
 * listeners are shared functions that find it on the socket, so that an idle
 * connection costs one small object rather than a set of closures.
 */
class WebSocketTransport implements Transport {
  readonly ws: WebSocket;
  readonly endpoint: EndpointState;
  /** The TCP (or TLS) socket under `ws`. */
  readonly #socket: Duplex;
  #corked = false;
  /** Whether text frames are decoded to strings for the engine (JSON serializers). */
  readonly #text: boolean;
  connection: Connection | undefined;
  /** Whether the peer answered the last ping. */
  alive = true;

  constructor(ws: WebSocket, socket: Duplex, endpoint: EndpointState, serializer: Serializer) {
    this.ws = ws;
    this.#socket = socket;
    this.endpoint = endpoint;
    this.#text = !serializer.binary;
    (ws as TrackedWebSocket)[kTransport] = this;
    ws.on('message', onMessage);
    ws.on('pong', onPong);
    ws.on('error', onError);
    ws.on('close', onClose);
  }

  send(frame: string | Uint8Array): void {
    this.ws.send(frame);
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }

  terminate(): void {
    this.ws.terminate();
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  receive(data: RawData, isBinary: boolean): void {
    if (!this.#corked) {
      // The replies to every frame of one read leave in one write: same bytes, fewer syscalls.
      this.#corked = true;
      this.#socket.cork();
      process.nextTick(uncork, this);
    }
    const bytes = Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? Buffer.from(data) : data;
    // ws has already checked that a text frame is valid UTF-8.
    this.connection?.receive(!isBinary && this.#text ? bytes.toString('utf8') : bytes);
  }

  uncork(): void {
    this.#corked = false;
    this.#socket.uncork();
  }
}

function uncork(transport: WebSocketTransport): void {
  transport.uncork();
}

function onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
  (this as TrackedWebSocket)[kTransport].receive(data, isBinary);
}

function onPong(this: WebSocket): void {
  (this as TrackedWebSocket)[kTransport].alive = true;
}

function onError(this: WebSocket, error: Error): void {
  (this as TrackedWebSocket)[kTransport].endpoint.host.logger.debug({ err: error }, 'websocket error');
}

function onClose(this: WebSocket): void {
  const transport = (this as TrackedWebSocket)[kTransport];
  transport.endpoint.transports.delete(transport);
  transport.connection?.transportClosed();
}

/** Creates an endpoint; `attachWebSocket` also hooks it to a server. */
export function createWebSocketEndpoint(host: WebSocketHost, options: WebSocketOptions = {}): WebSocketEndpoint {
  const chosen = new WeakMap<IncomingMessage, Serializer>();
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    maxPayload: options.maxPayload ?? 1024 * 1024,
    perMessageDeflate: options.perMessageDeflate ?? false,
    handleProtocols: (_offered, request) => chosen.get(request)?.protocol ?? false,
  });
  const endpoint: EndpointState = { host, transports: new Set() };
  const supported = [...host.serializers.keys()].join(', ');
  const originAllowed = originCheck(options.allowedOrigins);

  const pingInterval = options.pingInterval ?? 30_000;
  const timer =
    pingInterval > 0
      ? setInterval(() => {
          for (const transport of endpoint.transports) {
            if (!transport.alive) {
              transport.ws.terminate();
              continue;
            }
            transport.alive = false;
            transport.ws.ping();
          }
        }, pingInterval)
      : undefined;
  timer?.unref();

  function onConnection(ws: WebSocket, socket: Duplex, request: IncomingMessage, serializer: Serializer): void {
    const transport = new WebSocketTransport(ws, socket, endpoint, serializer);
    endpoint.transports.add(transport);
    transport.connection = host.accept(transport, serializer, transportInfoFromRequest(request, serializer.protocol));
  }

  return {
    handleUpgrade(request, socket, head) {
      if (!originAllowed(request)) {
        host.logger.debug({ origin: request.headers.origin }, 'upgrade refused: origin not allowed');
        refuse(socket, 403, 'Forbidden', 'This origin may not open WAMP connections here.\n');
        return;
      }
      const serializer = negotiateProtocol(offeredProtocols(request), host.serializers);
      if (serializer === undefined) {
        refuse(
          socket,
          400,
          'Bad Request',
          `This endpoint speaks WAMP; offer one of these WebSocket subprotocols: ${supported}\n`,
        );
        return;
      }
      chosen.set(request, serializer);
      wss.handleUpgrade(request, socket, head, (ws) => onConnection(ws, socket, request, serializer));
    },
    async close() {
      if (timer !== undefined) clearInterval(timer);
      for (const transport of endpoint.transports) transport.ws.close(1001, 'server shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/**
 * Serves WAMP on `server` at `options.path`. Upgrades for other paths are left
 * to other listeners, or refused with 404 if there are none.
 */
export function attachWebSocket(
  host: WebSocketHost,
  server: HTTPServer | HTTPSServer,
  options: WebSocketOptions = {},
): WebSocketEndpoint {
  const endpoint = createWebSocketEndpoint(host, options);
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (options.path !== undefined && path !== options.path) {
      if (server.listenerCount('upgrade') === 1) refuse(socket, 404, 'Not Found', 'No WebSocket endpoint here.\n');
      return;
    }
    endpoint.handleUpgrade(request, socket, head);
  };
  server.on('upgrade', onUpgrade);
  return {
    handleUpgrade: endpoint.handleUpgrade,
    async close() {
      server.off('upgrade', onUpgrade);
      await endpoint.close();
    },
  };
}
