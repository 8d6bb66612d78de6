/**
 * Serving on any host with web-standard upgrades: the host asks for a
 * decision on each upgrade `Request`, accepts the WebSocket with the
 * subprotocol it names, and hands over the standard `WebSocket`.
 * @module
 */
import { WebEndpoint } from './endpoint.js';
import type { WebHost, WebSocketServeOptions } from './host.js';
import { serveStandardSocket, type StandardWebSocket } from './standard-socket.js';
import type { PeerInfo } from './transport-info.js';
import type { AcceptedUpgrade, UpgradeDecision } from './upgrade.js';

/**
 * What {@link webSocketEndpoint} returns.
 *
 * @example
 * ```ts
 * import { webSocketEndpoint, type WebWamp } from 'serverwamp/web';
 *
 * const wamp: WebWamp = webSocketEndpoint(app, { path: '/ws' });
 * // wamp.upgrade(request) and wamp.serve(socket, decision) per request (see webSocketEndpoint); to stop
 * // taking WAMP clients while the host goes on serving HTTP (app.close() does it too):
 * await wamp.close(); // open connections close with 1001, new upgrades get 503
 * ```
 */
export interface WebWamp {
  /**
   * Decides on an upgrade request: `{ accepted: true, protocol }` (accept the
   * WebSocket with exactly that subprotocol, then call `serve`) or
   * `{ accepted: false, response }` (answer it). Never throws.
   */
  upgrade(request: Request, peer?: PeerInfo): UpgradeDecision;
  /** Serves the accepted socket (open or still connecting). */
  serve(socket: StandardWebSocket, upgrade: AcceptedUpgrade): void;
  /** Closes the open connections with 1001 (where the socket allows it) and refuses new ones (503). */
  close(): Promise<void>;
}

/**
 * An endpoint for any host that hands out standard `WebSocket`s on the
 * server side. The endpoint is registered with the application, so
 * `app.close()` closes it.
 *
 * @example
 * ```ts
 * const wamp = webSocketEndpoint(app, { path: '/ws' });
 *
 * function onUpgrade(request: Request, peerAddress: string): Response {
 *   const decision = wamp.upgrade(request, { peerAddress });
 *   if (!decision.accepted) return decision.response;
 *   const { socket, response } = host.acceptWebSocket(request, { protocol: decision.protocol });
 *   wamp.serve(socket, decision);
 *   return response;
 * }
 * ```
 */
export function webSocketEndpoint(app: WebHost, options: WebSocketServeOptions = {}): WebWamp {
  const endpoint = new WebEndpoint(app, options);
  return {
    upgrade: (request, peer) => endpoint.decide(request, peer),
    serve: (socket, upgrade) => serveStandardSocket(endpoint, socket, upgrade),
    close: () => endpoint.close(),
  };
}
