/**
 * RawSocket (WAMP over TCP) serving on Node (`serverwamp/node`): attach to a
 * `node:net` or `node:tls` server, hand over sockets yourself, or start a
 * server. Every endpoint is registered with the application, so
 * `app.close()` stops it.
 * @module
 */
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import type { Application } from '../application.js';
import { checkOptions, port, string, type OptionShape } from '../options.js';
import { checkApplication, checkServer } from './application-argument.js';
import { closeWithServer } from './close-with-server.js';
import { closeServer, listenOn, stopOnce, urlHostOf } from './listen-on.js';
import { attachRawSocket as attachEndpoint, createRawSocketEndpoint, rawSocketOptionShape, type RawSocketEndpoint, type RawSocketOptions } from './rawsocket.js';

/**
 * Options of {@link listenRawSocket}: those of the endpoint, and where to listen.
 *
 * @example
 * ```ts
 * import { listenRawSocket } from 'serverwamp/node';
 *
 * // Backend services on the private network, with messages up to 4 MiB.
 * await listenRawSocket(app, { host: '0.0.0.0', port: 8081, maxMessageLength: 4 * 1024 * 1024, maxConnections: 500 });
 * ```
 */
export interface ListenRawSocketOptions extends RawSocketOptions {
  /** The TCP port (default 0: any free port, see {@link ListeningRawSocketServer.port}). */
  port?: number;
  /**
   * The address to listen on. Default `127.0.0.1`: only clients on this
   * machine can connect; `0.0.0.0` or `::` accepts clients from the network.
   */
  host?: string;
}

/**
 * A server started by {@link listenRawSocket}.
 *
 * @example
 * ```ts
 * import { listenRawSocket } from 'serverwamp/node';
 *
 * const rawSocket = await listenRawSocket(app, { port: 0 }); // any free port
 * console.log(`RawSocket at ${rawSocket.url} (port ${rawSocket.port})`);
 * process.once('SIGTERM', () => void rawSocket.close()); // app.close(), then the server
 * ```
 */
export interface ListeningRawSocketServer {
  /** The `node:net` server `listenRawSocket` started. */
  readonly server: NetServer;
  /** The RawSocket URL, e.g. `rs://127.0.0.1:8080` (Autobahn|Python's scheme). */
  readonly url: string;
  /** The port it listens on (useful with `port: 0`). */
  readonly port: number;
  /**
   * Shuts the application down gracefully (`app.close()` with its defaults),
   * then closes the server. `server.close()` does the same, and so does
   * `app.close()`: the server is `listenRawSocket`'s, and closes with the application.
   */
  close(): Promise<void>;
}

const listenRawSocketOptionShape: OptionShape = { ...rawSocketOptionShape, port, host: string };

/**
 * Serves `app` over RawSocket on an existing `node:net` server (or a
 * `node:tls` one, for RawSocket over TLS), or a Unix socket server.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:net';
 * import { attachRawSocket } from 'serverwamp/node';
 *
 * const server = createServer();
 * attachRawSocket(app, server, { maxMessageLength: 16 * 1024 * 1024 });
 * server.listen(8081);
 * ```
 */
export function attachRawSocket(app: Application, server: NetServer, options: RawSocketOptions = {}): RawSocketEndpoint {
  checkApplication(app, 'attachRawSocket');
  checkServer(server, 'attachRawSocket', 'node:net or node:tls server');
  checkOptions(options, rawSocketOptionShape, 'attachRawSocket');
  const endpoint = tiedToServer(app, server, attachEndpoint(app, server, options));
  app.addClosable(endpoint);
  return endpoint;
}

/**
 * A RawSocket endpoint for sockets you accept yourself: call
 * `endpoint.handleSocket(socket)` for each.
 *
 * @example
 * ```ts
 * const endpoint = rawSocketEndpoint(app);
 * tcpServer.on('connection', (socket) => endpoint.handleSocket(socket));
 * ```
 */
export function rawSocketEndpoint(app: Application, options: RawSocketOptions = {}): RawSocketEndpoint {
  checkApplication(app, 'rawSocketEndpoint');
  checkOptions(options, rawSocketOptionShape, 'rawSocketEndpoint');
  const endpoint = createRawSocketEndpoint(app, options);
  app.addClosable(endpoint);
  return endpoint;
}

/**
 * Starts a TCP server that serves `app` over RawSocket.
 *
 * @example
 * ```ts
 * import { listenRawSocket } from 'serverwamp/node';
 *
 * const { url } = await listenRawSocket(app, { port: 8081 });
 * console.log(`WAMP at ${url}`); // rs://127.0.0.1:8081
 * ```
 */
export async function listenRawSocket(app: Application, options: ListenRawSocketOptions = {}): Promise<ListeningRawSocketServer> {
  checkApplication(app, 'listenRawSocket');
  checkOptions(options, listenRawSocketOptionShape, 'listenRawSocket');
  const { port = 0, host = '127.0.0.1', ...rawSocketOptions } = options;
  const server = createNetServer();
  const endpoint = tiedToServer(app, server, attachEndpoint(app, server, rawSocketOptions));
  const stop = stopOnce(async () => {
    await endpoint.close();
    await closeServer(server);
  });
  // The server is listenRawSocket's own: app.close() closes it too, after the drain.
  const unregister = app.addClosable({ close: stop });
  const address = await listenOn(server, port, host);
  return {
    server,
    port: address.port,
    url: `rs://${urlHostOf(address)}:${address.port}`,
    close: async () => {
      await app.close();
      await stop();
      unregister();
    },
  };
}

/** `server.close()` closes `app` too, until the endpoint is closed on its own. */
function tiedToServer(app: Application, server: NetServer, endpoint: RawSocketEndpoint): RawSocketEndpoint {
  const untie = closeWithServer(app, server);
  return {
    handleSocket: (socket) => endpoint.handleSocket(socket),
    async close() {
      untie();
      await endpoint.close();
    },
  };
}
