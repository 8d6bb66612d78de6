/**
 * WebSocket serving on Node (`serverwamp/node`): attach to an HTTP server,
 * hand over upgrades yourself, or start a server. Every endpoint is
 * registered with the application, so `app.close()` stops it.
 * @module
 */
import { createServer, type Server as HTTPServer } from 'node:http';
import type { Server as HTTPSServer } from 'node:https';
import type { Application } from '../application.js';
import { boolean, checkOptions, either, nested, port, string, urlPath, type OptionShape, type OptionSpec } from '../options.js';
import { ServerwampError } from '../errors.js';
import { answerHealth } from './health-route.js';
import { parseRequestTarget } from './request-target.js';
import { checkApplication, checkServer } from './application-argument.js';
import { upgradableServer, type NodeHTTPServer } from './upgradable-server.js';
import { closeWithServer } from './close-with-server.js';
import { closeServer, listenOn, stopOnce, urlHostOf } from './listen-on.js';
import { createRawSocketEndpoint, rawSocketOptionShape, type RawSocketOptions } from './rawsocket.js';
import { shareWithRawSocket } from './rawsocket-sharing.js';
import { attachWebSocket, createWebSocketEndpoint, webSocketOptionShape, type WebSocketEndpoint, type WebSocketOptions } from './websocket.js';

/**
 * Options of {@link attach}.
 *
 * @example
 * ```ts
 * import { attach } from 'serverwamp/node';
 *
 * attach(app, server, { path: '/ws', rawSocket: true, allowedOrigins: ['https://app.example.com'] });
 * ```
 */
export interface AttachOptions extends WebSocketOptions {
  /**
   * Also serve WAMP over RawSocket on this server's port (`true`, or the
   * RawSocket options). Connections whose first octet is 0x7F are RawSocket;
   * every other one goes to HTTP as before. Default false.
   */
  rawSocket?: boolean | RawSocketOptions;
}

/**
 * Options of {@link listen}: those of {@link attach}, and where to listen.
 *
 * @example
 * ```ts
 * import { listen } from 'serverwamp/node';
 *
 * const { url } = await listen(app, { host: '0.0.0.0', port: 8080, path: '/ws', health: '/healthz' });
 * ```
 */
export interface ListenOptions extends AttachOptions {
  /** The TCP port (default 0: any free port, see {@link ListeningServer.port}). */
  port?: number;
  /**
   * The address to listen on. Default `127.0.0.1`: only clients on this
   * machine can connect. Use `0.0.0.0` (IPv4) or `::` (IPv6 and, on most
   * systems, IPv4) to accept clients from the network, e.g. in a container.
   */
  host?: string;
  /**
   * An HTTP path answering `app.health()` as JSON, e.g. `/healthz`: 200
   * while the application is ready (`ok` or `degraded`), 503 once it is
   * draining or closed. For a load balancer's readiness probe. Default: off.
   */
  health?: string;
}

/**
 * A server started by {@link listen}.
 *
 * @example
 * ```ts
 * import { listen } from 'serverwamp/node';
 *
 * const listening = await listen(app, { port: 8080, path: '/ws', rawSocket: true });
 * console.log(listening.url, listening.rawSocketUrl); // ws://127.0.0.1:8080/ws rs://127.0.0.1:8080
 * process.once('SIGTERM', () => void listening.close()); // calls finish, sessions get GOODBYE, then the server closes
 * ```
 */
export interface ListeningServer {
  /** The `node:http` server `listen` started. */
  readonly server: HTTPServer;
  /** The WebSocket URL, e.g. `ws://127.0.0.1:8080/ws`. */
  readonly url: string;
  /** With the `rawSocket` option: the RawSocket URL on the same port, e.g. `rs://127.0.0.1:8080`. */
  readonly rawSocketUrl: string | undefined;
  /** The port it listens on (useful with `port: 0`). */
  readonly port: number;
  /**
   * Shuts the application down gracefully (`app.close()` with its defaults:
   * calls in flight finish, every session is told GOODBYE), then closes the
   * server. `server.close()` does the same, and so does `app.close()`: the
   * server is `listen`'s, and closes with the application.
   */
  close(): Promise<void>;
}

const attachOptionShape: Record<keyof AttachOptions, OptionSpec> = { ...webSocketOptionShape, rawSocket: either(boolean, nested(rawSocketOptionShape)) };
const listenOptionShape: OptionShape = { ...attachOptionShape, port, host: string, health: urlPath };

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
 * A `node:http2` server is taken (frameworks such as `@hono/node-server`
 * return the union) when it can upgrade: a secure one with `allowHTTP1`;
 * any other throws `ERR_INVALID_ARGUMENT`.
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
export function attach(app: Application, server: NodeHTTPServer, options: AttachOptions = {}): WebSocketEndpoint {
  checkApplication(app, 'attach');
  checkServer(server, 'attach', 'node:http or node:https server');
  checkOptions(options, attachOptionShape, 'attach');
  const upgradable = upgradableServer(server, 'attach');
  return registered(app, tiedToServer(app, upgradable, attachChecked(app, upgradable, options)));
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
 * `rawSocket` also RawSocket on the same port, on `127.0.0.1` unless `host`
 * says otherwise. With `health`, that path answers `app.health()`; other
 * HTTP requests get 426. The server belongs to the application:
 * `app.close()` closes it once the sessions have drained.
 *
 * @example
 * ```ts
 * import { listen } from 'serverwamp/node';
 *
 * const { url, rawSocketUrl } = await listen(app, { port: 8080, host: '0.0.0.0', rawSocket: true, health: '/healthz' });
 * console.log(`WAMP at ${url} and ${rawSocketUrl}`);
 * ```
 */
export async function listen(app: Application, options: ListenOptions = {}): Promise<ListeningServer> {
  checkApplication(app, 'listen');
  checkOptions(options, listenOptionShape, 'listen');
  const { port = 0, host = '127.0.0.1', health, ...attachOptions } = options;
  if (health !== undefined && typeof app.health !== 'function') {
    throw new ServerwampError('ERR_INVALID_OPTION', 'listen: the health option needs an Application (it answers app.health())');
  }
  const path = attachOptions.path ?? '/ws';
  const server = createServer((request, response) => {
    if (health !== undefined && parseRequestTarget(request.url)?.path === health) return answerHealth(app, request, response);
    response.writeHead(426, { 'Content-Type': 'text/plain' }).end(`Connect with a WAMP client to ${path}\n`);
  });
  const endpoint = tiedToServer(app, server, attachChecked(app, server, { ...attachOptions, path }));
  const stop = stopOnce(async () => {
    await endpoint.close();
    // Keep-alive HTTP connections (a health probe's) would hold server.close() open.
    server.closeAllConnections();
    await closeServer(server);
  });
  // The server is listen's own: app.close() closes it too, after the drain.
  const unregister = app.addClosable({ close: stop });
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
      await stop();
      unregister();
    },
  };
}

