/**
 * The Fastify plugin: WAMP over WebSocket on the Fastify instance's own
 * server, next to its routes, through serverwamp/node's endpoint; the
 * application logs to Fastify's log and closes in Fastify's `preClose`.
 * @module
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Application } from '../application.js';
import { ServerwampError } from '../errors.js';
import { checkOptions } from '../options.js';
import { checkApplication } from '../node/application-argument.js';
import { attachWebSocket, webSocketOptionShape, type WebSocketOptions } from '../node/websocket.js';
import { fastifyLogger } from './logger.js';

/**
 * Options of the plugin, given to `fastify.register`: those of a
 * `serverwamp/node` WebSocket endpoint. `path` defaults to `/ws`, and is
 * absolute: the plugin serves the instance's server, which every
 * encapsulation context shares, so a `prefix` does not apply to it.
 *
 * @example
 * ```ts
 * import { serverwamp } from 'serverwamp/fastify';
 *
 * await fastify.register(serverwamp(app), {
 *   path: '/wamp', // absolute: a prefix of the registering context does not apply
 *   maxPayload: 256 * 1024,
 *   allowedOrigins: ['https://app.example.com'],
 * });
 * ```
 */
export type FastifyWampOptions = WebSocketOptions;

/**
 * WebSocket starts with an HTTP/1.1 upgrade: an HTTP/2-only instance would
 * register fine and never see a client, so it is refused at registration.
 */
function checkUpgradable(fastify: FastifyInstance): void {
  const { http2, https } = fastify.initialConfig as { http2?: boolean; https?: boolean | { allowHTTP1?: boolean } };
  if (http2 !== true || (typeof https === 'object' && https.allowHTTP1 === true)) return;
  throw new ServerwampError(
    'ERR_INVALID_ARGUMENT',
    'serverwamp/fastify: an HTTP/2 Fastify instance takes no WebSocket upgrades; allow HTTP/1.1 on it (https: { allowHTTP1: true }) or serve WAMP on an HTTP/1.1 instance',
  );
}

/** The path each Fastify server already serves WAMP on: one plugin per instance. */
const served = new WeakMap<object, string>();

/**
 * A Fastify 5 plugin serving `app` over WebSocket at `path` (default `/ws`)
 * on the instance's server, alongside its HTTP routes. It skips
 * encapsulation (like a `fastify-plugin` plugin), logs the application's
 * lines to `fastify.log` (unless the application was given a `logger`), and
 * closes the application in `preClose`: `fastify.close()` lets calls in
 * flight finish and tells every session GOODBYE before the server closes.
 * The plugin rejects unknown options (`ERR_INVALID_OPTION`), a second
 * registration on one instance (`ERR_ALREADY_ATTACHED`) and an HTTP/2-only
 * instance (`ERR_INVALID_ARGUMENT`).
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { serverwamp } from 'serverwamp/fastify';
 *
 * const fastify = Fastify({ logger: true });
 * fastify.get('/', async () => 'hello');
 * await fastify.register(serverwamp(app), { path: '/ws' });
 * await fastify.listen({ port: 8080 }); // ws://127.0.0.1:8080/ws
 * ```
 */
export function serverwamp(app: Application): FastifyPluginAsync<FastifyWampOptions> {
  checkApplication(app, 'serverwamp');
  const plugin = async (fastify: FastifyInstance, options: FastifyWampOptions): Promise<void> => {
    checkOptions(options, webSocketOptionShape, 'serverwamp/fastify');
    checkUpgradable(fastify);
    const server = fastify.server;
    const path = options.path ?? '/ws';
    const servedPath = served.get(server);
    if (servedPath !== undefined) {
      throw new ServerwampError(
        'ERR_ALREADY_ATTACHED',
        `serverwamp/fastify: this Fastify instance already serves WAMP on ${servedPath}; register the plugin once per instance (one Application serves many realms)`,
      );
    }
    const endpoint = attachWebSocket(app, server, { ...options, path });
    served.set(server, path);
    const logger = fastifyLogger(fastify.log);
    if (logger !== undefined) app.useHostLogger(logger);
    // app.close() on its own (or fastify.close(), through it) takes the endpoint off the server.
    app.addClosable({
      async close() {
        served.delete(server);
        await endpoint.close();
      },
    });
    fastify.addHook('preClose', async () => {
      await app.close();
    });
  };
  // Fastify's plugin metadata, as fastify-plugin sets it: one context for all (the server is shared), and Fastify 5 only.
  return Object.assign(plugin, {
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: 'serverwamp',
    [Symbol.for('plugin-meta')]: { name: 'serverwamp', fastify: '5.x' },
  });
}
