/**
 * Serving from a plain Worker, without a Durable Object: each upgrade gets
 * its own application and a `WebSocketPair`. The Workers runtime forbids I/O
 * on another request's objects ("Cannot perform I/O on behalf of a different
 * request"), and a WebSocket belongs to the request that opened it, so an
 * application shared by connections would fail to deliver an event (or a
 * meta event) from one to another: one connection, one application.
 * Sessions that must reach each other need a Durable Object.
 * @module
 */
import { ServerwampError } from '../errors.js';
import { WebEndpoint } from '../web/endpoint.js';
import type { WebHost } from '../web/host.js';
import { serveStandardSocket, type StandardWebSocket } from '../web/standard-socket.js';
import { checkCloudflareOptions, type CloudflareServeOptions } from './options.js';
import { preflight } from './preflight.js';
import { connectingIp, requireWorkersRuntime, upgradeResponse, webSocketPair } from './workerd.js';

/**
 * What {@link serveWorker} returns.
 *
 * @example
 * ```ts
 * import { serveWorker, type WorkerWamp } from 'serverwamp/cloudflare';
 *
 * const wamp: WorkerWamp = serveWorker(() => createApp(), { path: '/ws' });
 * export default {
 *   fetch(request: Request): Response {
 *     return new URL(request.url).pathname === '/ws' ? wamp.fetch(request) : new Response('hello');
 *   },
 * };
 * ```
 */
export interface WorkerWamp {
  /** Answers an upgrade with the 101 (the negotiated subprotocol) or the refusal. */
  fetch(request: Request): Response;
}

/** The server end of a pair, accepted by the Worker itself (not hibernatable). */
interface AcceptableWebSocket extends StandardWebSocket {
  accept(): void;
}

/**
 * Serves one application per connection from a Worker's `fetch`:
 * `createApplication` is called for each upgrade request (inside the
 * request, where the runtime allows random values and timers). Suits
 * calls to the Worker's own procedures; for sessions that publish to each
 * other, use a Durable Object ({@link serveDurableObject}).
 *
 * @example
 * ```ts
 * const wamp = serveWorker(() => {
 *   const app = new Application();
 *   app.addRPCRoutes(new RPCRouteSet().route('math.add', (r) => Number(r.args[0]) + Number(r.args[1])));
 *   return app;
 * }, { path: '/ws' });
 * export default { fetch: (request: Request) => wamp.fetch(request) };
 * ```
 */
export function serveWorker(createApplication: (request: Request) => WebHost, options: CloudflareServeOptions = {}): WorkerWamp {
  if (typeof createApplication !== 'function') {
    throw new ServerwampError('ERR_INVALID_OPTION', 'serveWorker: the first argument must be a function that creates the application for one connection');
  }
  checkCloudflareOptions('serveWorker', options, ['path', 'maxPayload', 'allowedOrigins', 'peerAddress']);
  requireWorkersRuntime('serveWorker');
  const { peerAddress = connectingIp, ...serveOptions } = options;
  return {
    fetch(request) {
      // A plain request or another path costs no application.
      const url = preflight(request, serveOptions.path);
      if (url instanceof Response) return url;
      const endpoint = new WebEndpoint(createApplication(request), serveOptions);
      const upgrade = endpoint.decide(request, { peerAddress: peerAddress(request) });
      if (!upgrade.accepted) return upgrade.response;
      const { client, server } = webSocketPair<AcceptableWebSocket>();
      server.accept();
      serveStandardSocket(endpoint, server, upgrade);
      return upgradeResponse(client, upgrade.protocol);
    },
  };
}
