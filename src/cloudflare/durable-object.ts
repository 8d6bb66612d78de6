/**
 * One serverwamp `Application` hosted by one Durable Object, its WebSockets
 * accepted with the hibernation API. Sessions live in the object's memory:
 * it is kept awake while a connection is open (`keepAwake`), and sockets
 * that outlive the object's memory anyway (eviction, a crash) are closed
 * with 1012 when it starts again, so that clients reconnect to a new
 * session instead of talking to one the server no longer knows.
 * @module
 */
import type { Connection } from '../engine/connection.js';
import { exceedsLength } from '../frame-length.js';
import { closeSocket } from '../web/close-reason.js';
import { WebEndpoint } from '../web/endpoint.js';
import type { WebHost } from '../web/host.js';
import { HibernatableTransport } from './hibernatable-transport.js';
import { checkCloudflareOptions, type DurableObjectServeOptions } from './options.js';
import { connectingIp, requireWorkersRuntime, upgradeResponse, webSocketPair, type DurableObjectStateLike, type HibernatableWebSocket } from './workerd.js';

/**
 * The tag of serverwamp's sockets (`ctx.getWebSockets(SOCKET_TAG)`): an object may hold other hibernatable sockets of its own.
 *
 * @example
 * ```ts
 * import { SOCKET_TAG } from 'serverwamp/cloudflare';
 *
 * // In a Durable Object that serverwamp serves: how many WAMP clients are connected now.
 * function wampClients(ctx: DurableObjectState): number {
 *   return ctx.getWebSockets(SOCKET_TAG).length;
 * }
 * ```
 */
export const SOCKET_TAG = 'serverwamp';

/** The close of a socket whose session the object no longer has (RFC 6455 1012: service restart, reconnect). */
const LOST = { code: 1012, reason: 'session lost: the server restarted; reconnect' } as const;

/** A pending timer keeps workerd and Cloudflare from hibernating the object; the period only bounds its cost. */
const KEEP_AWAKE_PERIOD_MS = 30_000;

const OPEN = 1;

/**
 * The Durable Object's handlers: call them from the class's methods of the same names.
 *
 * @example
 * ```ts
 * import { serveDurableObject, type DurableObjectWamp } from 'serverwamp/cloudflare';
 *
 * // An object that also accepts sockets of its own: false means the socket is not serverwamp's.
 * export class Room {
 *   readonly wamp: DurableObjectWamp;
 *   constructor(ctx: DurableObjectState) {
 *     this.wamp = serveDurableObject(ctx, createApp(), { path: '/ws' });
 *   }
 *   fetch(request: Request) { return this.wamp.fetch(request); }
 *   webSocketMessage(ws: WebSocket, message: string | ArrayBuffer) {
 *     if (!this.wamp.webSocketMessage(ws, message)) ws.send('this feed is read-only');
 *   }
 *   webSocketClose(ws: WebSocket, code: number, reason: string, clean: boolean) { this.wamp.webSocketClose(ws, code, reason, clean); }
 *   webSocketError(ws: WebSocket, error: unknown) { this.wamp.webSocketError(ws, error); }
 * }
 * ```
 */
export interface DurableObjectWamp {
  /** Answers an upgrade forwarded by the Worker: the 101 with the negotiated subprotocol, or the refusal. */
  fetch(request: Request): Response;
  /** Returns `false` for a socket that is not serverwamp's (tagged otherwise): handle it yourself. */
  webSocketMessage(ws: HibernatableWebSocket, message: string | ArrayBuffer): boolean;
  /**
   * Ends the session of a socket the client closed (`code` and `reason` from its Close frame) or
   * the runtime dropped. Returns `false` for a socket that is not serverwamp's.
   */
  webSocketClose(ws: HibernatableWebSocket, code: number, reason: string, wasClean: boolean): boolean;
  /** Ends the session of a socket the runtime reports failed. Returns `false` for a socket that is not serverwamp's. */
  webSocketError(ws: HibernatableWebSocket, error: unknown): boolean;
  /** Closes the open connections with 1001 and refuses new ones (503); `app.close()` calls it. */
  close(): Promise<void>;
}

/**
 * Serves `app` from a Durable Object whose state is `ctx`: call it once, in
 * the object's constructor, and route the object's `fetch` and
 * `webSocketMessage`/`webSocketClose`/`webSocketError` to what it returns
 * (or extend {@link WampDurableObject}, which does). Sockets of an earlier
 * instance of the object are closed with 1012 at once: their sessions are gone.
 *
 * @example
 * ```ts
 * export class Room {
 *   readonly wamp: DurableObjectWamp;
 *   constructor(ctx: DurableObjectState) {
 *     this.wamp = serveDurableObject(ctx, createApp(), { path: '/ws' });
 *   }
 *   fetch(request: Request) { return this.wamp.fetch(request); }
 *   webSocketMessage(ws: WebSocket, message: string | ArrayBuffer) { this.wamp.webSocketMessage(ws, message); }
 *   webSocketClose(ws: WebSocket, code: number, reason: string, clean: boolean) { this.wamp.webSocketClose(ws, code, reason, clean); }
 *   webSocketError(ws: WebSocket, error: unknown) { this.wamp.webSocketError(ws, error); }
 * }
 * ```
 */
export function serveDurableObject(ctx: DurableObjectStateLike, app: WebHost, options: DurableObjectServeOptions = {}): DurableObjectWamp {
  checkCloudflareOptions('serveDurableObject', options);
  requireWorkersRuntime('serveDurableObject');
  const { keepAwake = true, peerAddress = connectingIp, ...serveOptions } = options;
  const endpoint = new WebEndpoint(app, serveOptions);
  const live = new Map<HibernatableWebSocket, { connection?: Connection; transport: HibernatableTransport }>();
  let timer: ReturnType<typeof setInterval> | undefined;

  const holdAwake = (): void => {
    if (keepAwake && live.size > 0 && timer === undefined) {
      timer = setInterval(() => {
        // Nothing to do: a pending timer is what keeps the sessions' memory.
      }, KEEP_AWAKE_PERIOD_MS);
    } else if (live.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };

  const forget = (ws: HibernatableWebSocket): void => {
    const entry = live.get(ws);
    if (entry === undefined) return;
    live.delete(ws);
    endpoint.sockets.delete(entry.transport);
    entry.connection?.transportClosed();
    holdAwake();
  };

  const ours = (ws: HibernatableWebSocket): boolean => {
    if (live.has(ws)) return true;
    try {
      return (ctx.getTags?.(ws) ?? []).includes(SOCKET_TAG);
    } catch {
      // A socket the runtime no longer tracks (closed meanwhile) is nobody's to handle.
      return false;
    }
  };

  /** A socket of ours with no session here: the object lost its memory while the socket stayed open. */
  const lost = (ws: HibernatableWebSocket): void => {
    if (ws.readyState === OPEN) closeSocket(ws, LOST.code, LOST.reason);
  };

  const survivors = ctx.getWebSockets(SOCKET_TAG).filter((ws) => ws.readyState === OPEN);
  if (survivors.length > 0) {
    app.logger.warn({ sockets: survivors.length }, 'Durable Object restarted with open WebSockets: their sessions are lost; closing them (1012)');
    for (const ws of survivors) lost(ws);
  }

  return {
    fetch(request) {
      const upgrade = endpoint.decide(request, { peerAddress: peerAddress(request) });
      if (!upgrade.accepted) return upgrade.response;
      const { client, server } = webSocketPair<HibernatableWebSocket>();
      ctx.acceptWebSocket(server, [SOCKET_TAG]);
      const transport = new HibernatableTransport(server, () => forget(server));
      const entry: { connection?: Connection; transport: HibernatableTransport } = { transport };
      live.set(server, entry);
      endpoint.sockets.add(transport);
      holdAwake();
      try {
        // `accept` may close at once (shut down, over a limit): the transport then forgets the socket.
        entry.connection = app.accept(transport, upgrade.serializer, upgrade.transportInfo);
      } catch (error) {
        app.logger.error({ err: error }, 'could not accept a WebSocket connection');
        transport.close(1011, 'internal error');
      }
      return upgradeResponse(client, upgrade.protocol);
    },

    webSocketMessage(ws, message) {
      const entry = live.get(ws);
      if (entry === undefined) {
        if (!ours(ws)) return false;
        lost(ws);
        return true;
      }
      const connection = entry.connection;
      if (connection === undefined || connection.closed) return true;
      const frame = typeof message === 'string' ? message : new Uint8Array(message);
      if (exceedsLength(frame, endpoint.maxPayload)) {
        entry.transport.close(1009, 'message too big');
        return true;
      }
      connection.receive(frame);
      return true;
    },

    webSocketClose(ws, code) {
      if (!ours(ws)) return false;
      forget(ws);
      // Completes the closing handshake where the runtime does not answer a close frame itself.
      closeSocket(ws, code, '');
      return true;
    },

    webSocketError(ws) {
      if (!ours(ws)) return false;
      forget(ws);
      return true;
    },

    close: () => endpoint.close(),
  };
}
