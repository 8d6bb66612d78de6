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
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { boolean, either, func, nonNegativeNumber, stringList, timerDelay, urlPath, type OptionSpec } from '../options.js';
import { ServerwampError } from '../errors.js';
import type { Connection } from '../engine/connection.js';
import type { ConnectionRefusal, Transport } from '../transport.js';
import type { Logger } from '../logger.js';
import { negotiateProtocol, type Serializer } from '../serializers/index.js';
import { originCheck, type AllowedOrigins } from './origin.js';
import { OutboundMeter, type Metered, type OutboundBudget } from '../outbound-budget.js';
import { parseRequestTarget } from './request-target.js';
import { transportInfoFromRequest, type TransportInfo } from './transport-info.js';

/** ws options for bytes that are a text frame's UTF-8 (shared, never modified). */
const TEXT_FRAME = { binary: false } as const;

// One publication's bytes go to every subscriber in a row: the Buffer view ws
// would make of them for each send is made once.
let lastBytes: Uint8Array | undefined;
let lastBuffer: Buffer | undefined;

function asBuffer(bytes: Uint8Array): Buffer {
  if (bytes !== lastBytes) {
    lastBytes = bytes;
    lastBuffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  return lastBuffer!;
}

/**
 * Options of a WebSocket endpoint.
 *
 * @example
 * ```ts
 * import { listen } from 'serverwamp/node';
 *
 * await listen(app, { path: '/ws', maxPayload: 256 * 1024, pingInterval: 20_000, allowedOrigins: ['https://app.example.com'] });
 * ```
 */
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
  /** The application's account of what is queued for its connections. */
  readonly outboundBudget: OutboundBudget;
  accept(transport: Transport, serializer: Serializer, transportInfo: TransportInfo): Connection;
  /** Whether a connection from this address may be upgraded now (see `TransportHost.admit`). */
  admit?(peerAddress: string): ConnectionRefusal | undefined;
}

/**
 * A WebSocket endpoint serving WAMP.
 *
 * @example
 * ```ts
 * import { Application } from 'serverwamp';
 * import { webSocketEndpoint, type WebSocketEndpoint } from 'serverwamp/node';
 *
 * // Two applications on one server, by path: each endpoint takes the upgrades you route to it.
 * const adminApp = new Application();
 * const publicWamp: WebSocketEndpoint = webSocketEndpoint(app);
 * const adminWamp: WebSocketEndpoint = webSocketEndpoint(adminApp, { allowedOrigins: ['https://admin.example.com'] });
 * server.on('upgrade', (request, socket, head) => {
 *   if (request.url === '/ws') publicWamp.handleUpgrade(request, socket, head);
 *   else if (request.url === '/admin/ws') adminWamp.handleUpgrade(request, socket, head);
 *   else socket.destroy();
 * });
 * ```
 */
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

const STATUS_TEXT = { 429: 'Too Many Requests', 503: 'Service Unavailable' } as const;

function refuse(socket: Duplex, status: number, reason: string, body: string, extraHeaders = ''): void {
  // Another listener of the same server may have answered already: its answer stands.
  if (socket.writableEnded || socket.destroyed) return;
  if (!socket.writable) return void socket.destroy();
  // node:http servers allow half-open sockets: without the destroy, a client that never closes keeps its descriptor.
  socket.once('finish', destroySocket);
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\n${extraHeaders}Content-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

function destroySocket(this: Duplex): void {
  this.destroy();
}

/** node:http hands over upgrade sockets without its error listener: a reset before ws takes one must not be fatal. */
function ignoreError(): void {}

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
class WebSocketTransport implements Transport, Metered {
  readonly ws: WebSocket;
  readonly endpoint: EndpointState;
  /** The TCP (or TLS) socket under `ws`. */
  readonly #socket: Duplex;
  #corked = false;
  readonly #meter: OutboundMeter;
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
    this.#meter = new OutboundMeter(endpoint.host.outboundBudget, this);
    (ws as TrackedWebSocket)[kTransport] = this;
    ws.on('message', onMessage);
    ws.on('pong', onPong);
    ws.on('error', onError);
    ws.on('close', onClose);
  }

  send(frame: string | Uint8Array): void {
    const meter = this.#meter;
    if (meter.idle) return this.ws.send(frame);
    this.ws.send(frame, meter.written);
    meter.sent();
  }

  /** A text frame already in UTF-8 (an event encoded once for many): ws sends the bytes as they are. */
  sendUTF8(frame: Uint8Array): void {
    const meter = this.#meter;
    const bytes = asBuffer(frame);
    if (meter.idle) return this.ws.send(bytes, TEXT_FRAME);
    this.ws.send(bytes, TEXT_FRAME, meter.written);
    meter.sent();
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

  // The socket's own counters (TCP or TLS): byte metrics at no cost per message.
  get bytesRead(): number {
    return (this.#socket as Partial<Socket>).bytesRead ?? 0;
  }

  get bytesWritten(): number {
    return (this.#socket as Partial<Socket>).bytesWritten ?? 0;
  }

  get outboundCost(): number {
    return this.#meter.cost;
  }

  pauseReading(): void {
    this.ws.pause();
  }

  resumeReading(): void {
    this.ws.resume();
  }

  closed(): void {
    this.#meter.close();
    this.endpoint.transports.delete(this);
    this.connection?.transportClosed();
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

  /** After everything one read produced was written: the peer that is not taking it is read no more. */
  uncork(): void {
    this.#corked = false;
    this.#socket.uncork();
    this.#meter.check();
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
  (this as TrackedWebSocket)[kTransport].closed();
}

/** What each {@link WebSocketOptions} key accepts (checked by the application's serving methods). */
export const webSocketOptionShape: Record<keyof WebSocketOptions, OptionSpec> = {
  path: urlPath,
  maxPayload: nonNegativeNumber,
  pingInterval: timerDelay,
  perMessageDeflate: boolean,
  // Entries are checked for being origins by originCheck.
  allowedOrigins: either(stringList, func),
};

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
    try {
      transport.connection = host.accept(transport, serializer, transportInfoFromRequest(request, serializer.protocol));
    } catch (error) {
      // ws calls this from its own socket handling: a throw here would escape to the process.
      host.logger.error({ err: error }, 'could not accept a WebSocket connection');
      ws.terminate();
    }
  }

  function upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (parseRequestTarget(request.url) === undefined) {
      host.logger.debug('upgrade refused: the request target is not a URL path');
      refuse(socket, 400, 'Bad Request', 'The request target is not a valid path.\n');
      return;
    }
    if (!originAllowed(request)) {
      host.logger.debug('upgrade refused: origin not allowed');
      refuse(socket, 403, 'Forbidden', 'This origin may not open WAMP connections here.\n');
      return;
    }
    const serializer = negotiateProtocol(offeredProtocols(request), host.serializers);
    if (serializer === undefined) {
      refuse(socket, 400, 'Bad Request', `This endpoint speaks WAMP; offer one of these WebSocket subprotocols: ${supported}\n`);
      return;
    }
    // Last, so that only upgrades that would otherwise be served count as refused by a limit.
    const refusal = host.admit?.(request.socket.remoteAddress ?? '');
    if (refusal !== undefined) {
      host.logger.debug({ limit: refusal.limit }, 'upgrade refused by a limit');
      // Retry-After: a client (or proxy) that honours it does not hammer a draining or saturated server.
      refuse(socket, refusal.status, STATUS_TEXT[refusal.status], `${refusal.message}\n`, 'Retry-After: 5\r\n');
      return;
    }
    chosen.set(request, serializer);
    wss.handleUpgrade(request, socket, head, (ws) => onConnection(ws, socket, request, serializer));
  }

  return {
    handleUpgrade(request, socket, head) {
      guarded(host.logger, socket, () => upgrade(request, socket, head));
    },
    async close() {
      if (timer !== undefined) clearInterval(timer);
      for (const transport of endpoint.transports) transport.ws.close(1001, 'server shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** How many serverwamp endpoints have declined each upgrade request (it was for another path). */
const declines = new WeakMap<IncomingMessage, number>();

/**
 * How long an upgrade declined by serverwamp may wait for another listener to
 * answer it. Some listeners leave what they do not serve to the others
 * (`@hono/node-server`'s does, when it is not alone), and so does serverwamp:
 * without this, an upgrade to a path nobody serves would hold its socket for ever.
 */
const UNCLAIMED_UPGRADE_MS = 10_000;

/**
 * An endpoint declined `request`. Once every `upgrade` listener of the server
 * has (all of them serverwamp endpoints on other paths), nobody will answer
 * it: 404, or the socket would stay open for ever. An upgrade another kind of
 * listener may still take is left to it, and refused with 404 if nothing has
 * been written to its socket within {@link UNCLAIMED_UPGRADE_MS}.
 */
function declined(server: HTTPServer | HTTPSServer, request: IncomingMessage, socket: Duplex): void {
  const count = (declines.get(request) ?? 0) + 1;
  declines.set(request, count);
  if (count >= server.listenerCount('upgrade')) {
    refuse(socket, 404, 'Not Found', 'No WebSocket endpoint here.\n');
    return;
  }
  if (count > 1) return; // the first endpoint to decline watches the socket
  const timer = setTimeout(() => {
    if (!socket.destroyed && (socket as Duplex & { bytesWritten?: number }).bytesWritten === 0) refuse(socket, 404, 'Not Found', 'No WebSocket endpoint here.\n');
  }, UNCLAIMED_UPGRADE_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}

/**
 * Runs `handle` for one upgrade. Whatever it throws (it parses client bytes,
 * and runs the application's origin predicate) fails that upgrade with 400,
 * never escapes to the server's `upgrade` event, where it would end the process.
 */
function guarded(logger: Logger, socket: Duplex, handle: () => void): void {
  if (!socket.listeners('error').includes(ignoreError)) socket.on('error', ignoreError);
  try {
    handle();
  } catch (error) {
    logger.warn({ err: error }, 'upgrade failed');
    refuse(socket, 400, 'Bad Request', 'The upgrade request could not be processed.\n');
  }
}

/**
 * Serves WAMP on `server` at `options.path`. Upgrades for other paths are left
 * to other listeners; once every listener is a serverwamp endpoint that
 * declined one, it is refused with 404.
 */
/** The paths each server already serves WAMP on (`''`: every path), so that a second attach fails at once. */
const attachedPaths = new WeakMap<HTTPServer | HTTPSServer, Set<string>>();

export function attachWebSocket(
  host: WebSocketHost,
  server: HTTPServer | HTTPSServer,
  options: WebSocketOptions = {},
): WebSocketEndpoint {
  const paths = attachedPaths.get(server) ?? new Set<string>();
  const key = options.path ?? '';
  if (paths.has(key)) {
    // Two endpoints would both take the same upgrade; ws then throws on the first client.
    throw new ServerwampError(
      'ERR_ALREADY_ATTACHED',
      `attach: this server already serves WAMP on ${options.path === undefined ? 'every path' : options.path}; attach once per server and path`,
    );
  }
  const endpoint = createWebSocketEndpoint(host, options);
  paths.add(key);
  attachedPaths.set(server, paths);
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    guarded(host.logger, socket, () => {
      const target = parseRequestTarget(request.url);
      if (options.path !== undefined && target !== undefined && target.path !== options.path) {
        declined(server, request, socket);
        return;
      }
      endpoint.handleUpgrade(request, socket, head);
    });
  };
  server.on('upgrade', onUpgrade);
  return {
    handleUpgrade: endpoint.handleUpgrade,
    async close() {
      server.off('upgrade', onUpgrade);
      paths.delete(key);
      await endpoint.close();
    },
  };
}
