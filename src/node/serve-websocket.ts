/**
 * WebSocket serving on Node (`serverwamp/node`): attach to an HTTP server,
 * hand over upgrades yourself, or start a server. Every endpoint is
 * registered with the application, so `app.close()` stops it.
 * @module
 */
import { createServer, type Server as HTTPServer } from 'node:http';
import type { Server as HTTPSServer } from 'node:https';
import type { Application } from '../application.js';
import { boolean, checkOptions, either, nested, port, string, type OptionShape, type OptionSpec } from '../options.js';
import { checkApplication, checkServer } from './application-argument.js';
import { closeWithServer } from './close-with-server.js';
import { listenOn, urlHostOf } from './listen-on.js';
import { createRawSocketEndpoint, rawSocketOptionShape, type RawSocketOptions } from './rawsocket.js';
import { shareWithRawSocket } from './rawsocket-sharing.js';
import { attachWebSocket, createWebSocketEndpoint, webSocketOptionShape, type WebSocketEndpoint, type WebSocketOptions } from './websocket.js';

/** Options of {@link attach}. */
export interface AttachOptions extends WebSocketOptions {
  /**
   * Also serve WAMP over RawSocket on this server's port (`true`, or the
   * RawSocket options). Connections whose first octet is 0x7F are RawSocket;
   * every other one goes to HTTP as before. Default false.
   */
  rawSocket?: boolean | RawSocketOptions;
}

/** Options of {@link listen}: those of {@link attach}, and where to listen. */
export interface ListenOptions extends AttachOptions {
  /** The TCP port (default 0: any free port, see {@link ListeningServer.port}). */
  port?: number;
  /** The address to listen on (default `127.0.0.1`). */
  host?: string;
}

/** A server started by {@link listen}. */
export interface ListeningServer {
  readonly server: HTTPServer;
  /** The WebSocket URL, e.g. `ws://127.0.0.1:8080/ws`. */
  readonly url: string;
  /** With the `rawSocket` option: the RawSocket URL on the same port, e.g. `rs://127.0.0.1:8080`. */
  readonly rawSocketUrl: string | undefined;
  readonly port: number;
  /**
   * Shuts the application down gracefully (`app.close()` with its defaults:
   * calls in flight finish, every session is told GOODBYE), then closes the
   * server. `server.close()` does the same.
   */
  close(): Promise<void>;
}

const attachOptionShape: Record<keyof AttachOptions, OptionSpec> = { ...webSocketOptionShape, rawSocket: either(boolean, nested(rawSocketOptionShape)) };
const listenOptionShape: OptionShape = { ...attachOptionShape, port, host: string };

function registered<T extends WebSocketEndpoint>(app: Application, endpoint: T): T {
  app.addClosable(endpoint);
  return endpoint;
}

function attachChecked(app: Application, server: HTTPServer | HTTPSServer, options: AttachOptions): WebSocketEndpoint {
  const { rawSocket, ...wsOptions } = options;
  const webSocket = attachWebSocket(app, server, wsOptions);
  if (rawSocket === undefined || rawSocket === false) return webSocket;
  const rawSocketOptions = rawSocket === true ? {} : rawSocket;
  const rawSocketEndpoint = createRawSocketEndpoint(app, rawSocketOptions);
  const unshare = shareWithRawSocket(server, rawSocketEndpoint, rawSocketOptions.handshakeTimeout ?? 10_000);
  return {
    handleUpgrade: webSocket.handleUpgrade,
    async close() {
      unshare();
      await Promise.all([webSocket.close(), rawSocketEndpoint.close()]);
    },
  };
}

/**
 * Serves `app` over WebSocket on an existing `node:http` or `node:https`
 * server, at `options.path`, alongside its other routes. With `rawSocket`,
 * RawSocket clients are served on the same port (over TLS on `https`).
 * Throws `ServerwampError` `ERR_INVALID_OPTION` for an unknown or mistyped option.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { attach } from 'serverwamp/node';
 *
 * const server = createServer(expressApp);
 * attach(app, server, { path: '/ws', rawSocket: true }); // ws://host:8080/ws and rs://host:8080
 * server.listen(8080);
 * ```
 */
export function attach(app: Application, server: HTTPServer | HTTPSServer, options: AttachOptions = {}): WebSocketEndpoint {
  checkApplication(app, 'attach');
  checkServer(server, 'attach', 'node:http or node:https server');
  checkOptions(options, attachOptionShape, 'attach');
  return registered(app, tiedToServer(app, server, attachChecked(app, server, options)));
}

/** `server.close()` closes `app` too, until the endpoint is closed on its own. */
function tiedToServer(app: Application, server: HTTPServer | HTTPSServer, endpoint: WebSocketEndpoint): WebSocketEndpoint {
  const untie = closeWithServer(app, server);
  return {
    handleUpgrade: endpoint.handleUpgrade,
    async close() {
      untie();
      await endpoint.close();
    },
  };
}

/**
 * A WebSocket endpoint for servers whose upgrades you route yourself: call
 * `endpoint.handleUpgrade(request, socket, head)` from your `upgrade` listener.
 *
 * @example
 * ```ts
 * const endpoint = webSocketEndpoint(app);
 * server.on('upgrade', (request, socket, head) => {
 *   if (request.url === '/wamp') endpoint.handleUpgrade(request, socket, head);
 * });
 * ```
 */
export function webSocketEndpoint(app: Application, options: WebSocketOptions = {}): WebSocketEndpoint {
  checkApplication(app, 'webSocketEndpoint');
  checkOptions(options, webSocketOptionShape, 'webSocketEndpoint');
  return registered(app, createWebSocketEndpoint(app, options));
}

/**
 * Starts an HTTP server that serves `app` at `path` (default `/ws`), and with
 * `rawSocket` also RawSocket on the same port. Other HTTP requests get 426.
 *
 * @example
 * ```ts
 * import { listen } from 'serverwamp/node';
 *
 * const { url, rawSocketUrl } = await listen(app, { port: 8080, rawSocket: true });
 * console.log(`WAMP at ${url} and ${rawSocketUrl}`);
 * ```
 */
export async function listen(app: Application, options: ListenOptions = {}): Promise<ListeningServer> {
  checkApplication(app, 'listen');
  checkOptions(options, listenOptionShape, 'listen');
  const { port = 0, host = '127.0.0.1', ...attachOptions } = options;
  const path = attachOptions.path ?? '/ws';
  const server = createServer((_request, response) => {
    response.writeHead(426, { 'Content-Type': 'text/plain' }).end(`Connect with a WAMP client to ${path}\n`);
  });
  const endpoint = tiedToServer(app, server, attachChecked(app, server, { ...attachOptions, path }));
  const unregister = app.addClosable(endpoint);
  const address = await listenOn(server, port, host);
  const urlHost = urlHostOf(address);
  const rawSocket = attachOptions.rawSocket !== undefined && attachOptions.rawSocket !== false;
  return {
    server,
    port: address.port,
    url: `ws://${urlHost}:${address.port}${path}`,
    rawSocketUrl: rawSocket ? `rs://${urlHost}:${address.port}` : undefined,
    close: async () => {
      await app.close();
      await endpoint.close();
      unregister();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
