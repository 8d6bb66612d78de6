/**
 * What the web-standard adapter needs from the application (an
 * `Application` fits), and its options.
 * @module
 */
import type { Connection } from '../engine/connection.js';
import type { Logger } from '../logger.js';
import type { Serializer } from '../serializers/index.js';
import type { Closable, ConnectionRefusal, Transport } from '../transport.js';
import type { TransportInfo } from '../transport-info.js';
import type { WebAllowedOrigins } from './origin.js';

/**
 * The application, as the web adapter sees it.
 *
 * @example
 * ```ts
 * import { serveBun, serveDeno, type WebHost } from 'serverwamp/web';
 *
 * // Serves an application on Bun or Deno, whichever runs this module.
 * function serveHere(host: WebHost): void {
 *   if ('Bun' in globalThis) {
 *     const wamp = serveBun(host, { path: '/ws' });
 *     Bun.serve({ port: 8080, fetch: wamp.fetch, websocket: wamp.websocket });
 *   } else Deno.serve({ port: 8080 }, serveDeno(host, { path: '/ws' }).fetch);
 * }
 * serveHere(app); // an Application is a WebHost
 * ```
 */
export interface WebHost {
  /** Where the adapter logs. */
  readonly logger: Logger;
  /** The serializers of the application's `protocols`, by subprotocol. */
  readonly serializers: ReadonlyMap<string, Serializer>;
  /** Starts a session on an accepted transport (`Application.accept`). */
  accept(transport: Transport, serializer: Serializer, transportInfo: TransportInfo): Connection;
  /** Whether a new connection from `peerAddress` is refused by a limit (`Application.admit`). */
  admit?(peerAddress: string): ConnectionRefusal | undefined;
  /** Registers what `app.close()` must close; returns the function that unregisters it. */
  addClosable(closable: Closable): () => void;
}

/**
 * Options of every web-standard endpoint (Bun, Deno, generic).
 *
 * @example
 * ```ts
 * import { serveBun } from 'serverwamp/web';
 *
 * const wamp = serveBun(app, { path: '/ws', maxPayload: 256 * 1024, allowedOrigins: ['https://app.example.com'] });
 * ```
 */
export interface WebSocketServeOptions {
  /** The only path WAMP is served on, e.g. `/ws`; other paths get 404. Default: every path. */
  path?: string;
  /**
   * The largest message accepted, in bytes (default 1 MiB); a larger one
   * closes the connection. Bun refuses it while reading; on runtimes without
   * such a setting (Deno) it has been read into memory first (see docs/serving-web.md).
   */
  maxPayload?: number;
  /** Browser origins allowed to connect, or a predicate; others get 403. Default: any origin. */
  allowedOrigins?: WebAllowedOrigins;
}
