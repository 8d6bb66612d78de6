/**
 * Serving on `Deno.serve`, natively, with `Deno.upgradeWebSocket`.
 * Backpressure is Deno's `WebSocket.bufferedAmount`; Deno cannot pause
 * reading a WebSocket, nor limit the size of a message before reading it
 * (docs/serving-web.md).
 * @module
 */
import { ServerwampError } from '../errors.js';
import { WebEndpoint } from './endpoint.js';
import type { WebHost, WebSocketServeOptions } from './host.js';
import { serveStandardSocket, type StandardWebSocket } from './standard-socket.js';

/**
 * Deno's `upgradeWebSocket` (declared here: no Deno types needed).
 *
 * @example
 * ```ts
 * import { serveDeno, type DenoUpgradeWebSocket } from 'serverwamp/web';
 *
 * // Another runtime with Deno's function (or a test double) is passed as the option;
 * // serverwamp gives it the negotiated protocol and the idleTimeout.
 * function serveWith(upgradeWebSocket: DenoUpgradeWebSocket): (request: Request) => Response {
 *   return serveDeno(app, { path: '/ws', upgradeWebSocket }).fetch;
 * }
 * ```
 */
export type DenoUpgradeWebSocket = (
  request: Request,
  options: { protocol?: string; idleTimeout?: number },
) => {
  /** The server side of the WebSocket. */
  socket: StandardWebSocket;
  /** The 101 response to return from the handler. */
  response: Response;
};

/**
 * The second argument of a `Deno.serve` handler, as far as serverwamp reads it.
 *
 * @example
 * ```ts
 * import { serveDeno, type DenoServeInfo } from 'serverwamp/web';
 *
 * const wamp = serveDeno(app, { path: '/ws' });
 * Deno.serve({ port: 8080 }, (request: Request, info: DenoServeInfo) => {
 *   if (new URL(request.url).pathname !== '/ws') return new Response('hello');
 *   return wamp.fetch(request, info); // info.remoteAddr: transportInfo.peerAddress and peerPort
 * });
 * ```
 */
export interface DenoServeInfo {
  /** The peer's address, as Deno gives it to the handler. */
  readonly remoteAddr?: {
    /** The peer's IP address. */
    readonly hostname?: string;
    /** The peer's port. */
    readonly port?: number;
  };
}

/**
 * Options of {@link serveDeno}.
 *
 * @example
 * ```ts
 * import { serveDeno } from 'serverwamp/web';
 *
 * const wamp = serveDeno(app, { path: '/ws', idleTimeout: 60, maxPayload: 256 * 1024, allowedOrigins: ['https://app.example.com'] });
 * Deno.serve({ port: 8080 }, wamp.fetch);
 * ```
 */
export interface DenoServeOptions extends WebSocketServeOptions {
  /** Seconds without a pong before Deno drops the peer (Deno pings meanwhile); 0 disables. Default 30. */
  idleTimeout?: number;
  /** Deno's `upgradeWebSocket`; default `Deno.upgradeWebSocket` (for tests or another runtime with the same function). */
  upgradeWebSocket?: DenoUpgradeWebSocket;
}

/**
 * What {@link serveDeno} returns.
 *
 * @example
 * ```ts
 * import { serveDeno, type DenoWamp } from 'serverwamp/web';
 *
 * const wamp: DenoWamp = serveDeno(app, { path: '/ws' });
 * Deno.serve({ port: 8080 }, wamp.fetch); // other paths get 404
 * // app.close() closes wamp too: sessions are told GOODBYE, the sockets close with 1000.
 * ```
 */
export interface DenoWamp {
  /** A `Deno.serve` handler: the upgrade's `Response`, or the refusal. */
  fetch(request: Request, info?: DenoServeInfo): Response;
  /** Closes the open connections (1000: Deno allows no other code) and refuses new ones (503); `app.close()` calls it. */
  close(): Promise<void>;
}

/**
 * The offers as Deno reads them: split on `", "` exactly. A client that
 * separates them with a bare comma (Node's `ws`) is served only if its whole
 * header is one protocol; otherwise the upgrade gets 400 naming the
 * subprotocols, rather than Deno's exception.
 */
function denoOffers(header: string | null): string[] {
  return header === null || header === '' ? [] : header.split(', ');
}

function denoUpgrade(): DenoUpgradeWebSocket | undefined {
  const deno = (globalThis as { Deno?: { upgradeWebSocket?: DenoUpgradeWebSocket } }).Deno;
  return deno?.upgradeWebSocket?.bind(deno);
}

/**
 * Serves `app` on `Deno.serve`. The endpoint is registered with the
 * application, so `app.close()` closes it. Throws `ServerwampError`
 * `ERR_INVALID_OPTION` outside Deno without an `upgradeWebSocket` option.
 *
 * @example
 * ```ts
 * import { serveDeno } from 'serverwamp/web';
 *
 * const wamp = serveDeno(app, { path: '/ws' });
 * Deno.serve({ hostname: '127.0.0.1', port: 8080 }, wamp.fetch);
 * ```
 */
export function serveDeno(app: WebHost, options: DenoServeOptions = {}): DenoWamp {
  const { idleTimeout = 30, upgradeWebSocket = denoUpgrade(), ...serveOptions } = options;
  if (upgradeWebSocket === undefined) {
    throw new ServerwampError('ERR_INVALID_OPTION', 'serveDeno: Deno.upgradeWebSocket is not available here; pass the upgradeWebSocket option');
  }
  const endpoint = new WebEndpoint(app, serveOptions, denoOffers);
  return {
    fetch(request, info) {
      const upgrade = endpoint.decide(request, { peerAddress: info?.remoteAddr?.hostname, peerPort: info?.remoteAddr?.port });
      if (!upgrade.accepted) return upgrade.response;
      let upgraded: ReturnType<DenoUpgradeWebSocket>;
      try {
        upgraded = upgradeWebSocket(request, { protocol: upgrade.protocol, idleTimeout });
      } catch (error) {
        endpoint.host.logger.debug({ err: error }, 'websocket upgrade failed');
        return new Response('The WebSocket upgrade failed.\n', { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' } });
      }
      serveStandardSocket(endpoint, upgraded.socket, upgrade);
      return upgraded.response;
    },
    close: () => endpoint.close(),
  };
}
