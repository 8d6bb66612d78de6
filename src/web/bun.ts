/**
 * Serving on `Bun.serve`, natively: Bun's own upgrade (`server.upgrade`) and
 * its `websocket` handlers, with backpressure from Bun's `send` result,
 * `getBufferedAmount()` and `drain`.
 * @module
 */
import type { Connection } from '../engine/connection.js';
import type { Transport } from '../transport.js';
import { WebEndpoint } from './endpoint.js';
import type { WebHost, WebSocketServeOptions } from './host.js';
import type { AcceptedUpgrade } from './upgrade.js';

/**
 * What serverwamp uses of Bun's `Server` (declared here: no Bun types needed).
 *
 * @example
 * ```ts
 * import { serveBun, type BunServerLike } from 'serverwamp/web';
 *
 * const wamp = serveBun(app, { path: '/ws' });
 * Bun.serve({
 *   port: 8080,
 *   websocket: wamp.websocket,
 *   fetch(request: Request, server: BunServerLike) { // Bun's Server fits BunServerLike
 *     if (new URL(request.url).pathname === '/healthz') return new Response('ok');
 *     return wamp.fetch(request, server);
 *   },
 * });
 * ```
 */
export interface BunServerLike {
  /** Bun's `server.upgrade`: accepts the WebSocket; false when the request was not an upgrade. */
  upgrade(request: Request, options: { headers?: Record<string, string>; data?: unknown }): boolean;
  /** Bun's `server.requestIP`: the peer's address. */
  requestIP?(request: Request): {
    /** The peer's IP address. */
    address: string;
    /** The peer's port. */
    port: number;
  } | null;
}

/**
 * The per-connection data serverwamp keeps on Bun's socket.
 *
 * @example
 * ```ts
 * import { serveBun, type BunSocketData, type BunSocketLike } from 'serverwamp/web';
 *
 * const wamp = serveBun(app, { path: '/ws' });
 * Bun.serve({
 *   fetch: wamp.fetch,
 *   websocket: {
 *     ...wamp.websocket,
 *     close(ws: BunSocketLike, code: number, reason: string) {
 *       const data: BunSocketData = ws.data; // serverwamp's: the upgrade, and the connection once open
 *       log.debug({ code, protocol: data.upgrade.protocol, authid: data.connection?.session?.authid }, 'WAMP socket closed');
 *       wamp.websocket.close(ws, code, reason);
 *     },
 *   },
 * });
 * ```
 */
export interface BunSocketData {
  /** The accepted upgrade: protocol, serializer and transport info. */
  readonly upgrade: AcceptedUpgrade;
  /** The session's connection, once the socket is open. */
  connection?: Connection;
  /** The transport serverwamp made for the socket. */
  transport?: BunSocketTransport;
}

/**
 * What serverwamp uses of Bun's `ServerWebSocket`.
 *
 * @example
 * ```ts
 * import { serveBun, type BunSocketLike } from 'serverwamp/web';
 *
 * const wamp = serveBun(app, { path: '/ws' });
 * // Bun passes its ServerWebSocket, which fits BunSocketLike, to the handlers.
 * function open(ws: BunSocketLike): void {
 *   metrics.increment('wamp_sockets_opened', { protocol: ws.data.upgrade.protocol });
 *   wamp.websocket.open(ws);
 * }
 * Bun.serve({ fetch: wamp.fetch, websocket: { ...wamp.websocket, open } });
 * ```
 */
export interface BunSocketLike {
  /** What `fetch` attached to the socket at upgrade. */
  readonly data: BunSocketData;
  /** -1: queued behind backpressure; 0: dropped (the socket is closing); otherwise the bytes sent. */
  send(data: string | Uint8Array): number;
  /** Bun's `ws.close`: a closing handshake with `code` and `reason`. */
  close(code?: number, reason?: string): void;
  /** Bun's `ws.terminate`: drops the connection without a closing handshake. */
  terminate?(): void;
  /** Bun's `ws.getBufferedAmount`: bytes queued and not yet sent. */
  getBufferedAmount?(): number;
}

/**
 * The `websocket` handlers to give `Bun.serve` (with the message size limit).
 *
 * @example
 * ```ts
 * import { serveBun, type BunWebSocketHandlers } from 'serverwamp/web';
 *
 * const wamp = serveBun(app, { maxPayload: 64 * 1024 });
 * const websocket: BunWebSocketHandlers = wamp.websocket;
 * console.log(websocket.maxPayloadLength); // 65536: Bun closes a connection whose message is larger
 * Bun.serve({ port: 8080, fetch: wamp.fetch, websocket });
 * ```
 */
export interface BunWebSocketHandlers {
  /** The largest message accepted (`maxPayload`); Bun closes the connection past it. */
  readonly maxPayloadLength: number;
  /** A WebSocket was accepted: its session starts. */
  open(ws: BunSocketLike): void;
  /** A frame arrived. */
  message(ws: BunSocketLike, message: string | Uint8Array): void;
  /** The WebSocket closed: its session ends. */
  close(ws: BunSocketLike, code: number, reason: string): void;
  /** Bun's backpressure eased: held frames may go. */
  drain(ws: BunSocketLike): void;
}

/**
 * What {@link serveBun} returns: spread `fetch` and `websocket` into `Bun.serve`.
 *
 * @example
 * ```ts
 * import { serveBun, type BunWamp } from 'serverwamp/web';
 *
 * const wamp: BunWamp = serveBun(app, { path: '/ws' });
 * Bun.serve({ port: 8080, fetch: wamp.fetch, websocket: wamp.websocket });
 * // app.close() closes wamp too: sessions are told GOODBYE, new upgrades get 503.
 * ```
 */
export interface BunWamp {
  /** Answers a request: upgrades it (and returns `undefined`, as Bun expects) or returns the refusal. */
  fetch(request: Request, server: BunServerLike): Response | undefined;
  /** The handlers to pass as `Bun.serve({ websocket })`. */
  readonly websocket: BunWebSocketHandlers;
  /** Closes the open connections with 1001 and refuses new ones (503); `app.close()` calls it. */
  close(): Promise<void>;
}

class BunSocketTransport implements Transport {
  readonly #ws: BunSocketLike;
  /** Bytes Bun queued behind backpressure since the last `drain`, for a Bun without `getBufferedAmount`. */
  #queued = 0;
  #open = true;

  constructor(ws: BunSocketLike) {
    this.#ws = ws;
  }

  send(frame: string | Uint8Array): void {
    if (!this.#open) return;
    // Bun sends at once when it can; -1 means the frame waits in its buffer.
    if (this.#ws.send(frame) === -1) this.#queued += typeof frame === 'string' ? frame.length : frame.byteLength;
  }

  close(code: number, reason: string): void {
    this.#ws.close(code, reason);
  }

  terminate(): void {
    if (this.#ws.terminate !== undefined) this.#ws.terminate();
    else this.#ws.close(1008, 'not reading');
  }

  get bufferedAmount(): number {
    return this.#ws.getBufferedAmount?.() ?? this.#queued;
  }

  drained(): void {
    this.#queued = 0;
  }

  closed(): void {
    this.#open = false;
  }
}

function peerOf(server: BunServerLike, request: Request): { peerAddress?: string; peerPort?: number } {
  const ip = server.requestIP?.(request);
  return ip === null || ip === undefined ? {} : { peerAddress: ip.address, peerPort: ip.port };
}

/**
 * Serves `app` on `Bun.serve`: the upgrade in `fetch`, the connections in
 * `websocket`. The endpoint is registered with the application, so
 * `app.close()` closes it. Route other paths yourself before calling `fetch`,
 * or set `path` (other paths then get 404).
 *
 * @example
 * ```ts
 * import { serveBun } from 'serverwamp/web';
 *
 * const wamp = serveBun(app, { path: '/ws' });
 * Bun.serve({ hostname: '127.0.0.1', port: 8080, fetch: wamp.fetch, websocket: wamp.websocket });
 * ```
 */
export function serveBun(app: WebHost, options: WebSocketServeOptions = {}): BunWamp {
  const endpoint = new WebEndpoint(app, options);
  const { host } = endpoint;
  const websocket: BunWebSocketHandlers = {
    maxPayloadLength: endpoint.maxPayload,
    open(ws) {
      const transport = new BunSocketTransport(ws);
      ws.data.transport = transport;
      endpoint.sockets.add(transport);
      try {
        ws.data.connection = host.accept(transport, ws.data.upgrade.serializer, ws.data.upgrade.transportInfo);
      } catch (error) {
        host.logger.error({ err: error }, 'could not accept a WebSocket connection');
        ws.close(1011, 'internal error');
      }
    },
    message(ws, message) {
      const connection = ws.data.connection;
      if (connection !== undefined && !connection.closed) connection.receive(message);
    },
    close(ws) {
      const transport = ws.data.transport;
      if (transport !== undefined) {
        transport.closed();
        endpoint.sockets.delete(transport);
      }
      ws.data.connection?.transportClosed();
    },
    drain(ws) {
      ws.data.transport?.drained();
    },
  };
  return {
    fetch(request, server) {
      const upgrade = endpoint.decide(request, peerOf(server, request));
      if (!upgrade.accepted) return upgrade.response;
      const data: BunSocketData = { upgrade };
      if (server.upgrade(request, { headers: { 'Sec-WebSocket-Protocol': upgrade.protocol }, data })) return undefined;
      return new Response('The WebSocket upgrade failed.\n', { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    },
    websocket,
    close: () => endpoint.close(),
  };
}
