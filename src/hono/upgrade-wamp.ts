/**
 * WAMP as a Hono route on Bun and Deno: the route hands the upgrade
 * `Request` to serverwamp/web's endpoint for the runtime, so serverwamp
 * negotiates the subprotocol (Hono's own `upgradeWebSocket` helpers answer
 * the client's first offer, whatever it is).
 * @module
 */
import { ServerwampError } from '../errors.js';
import { serveBun, type BunWebSocketHandlers } from '../web/bun.js';
import { serveDeno, type DenoServeInfo, type DenoServeOptions } from '../web/deno.js';
import type { WebHost } from '../web/host.js';
import { bunServerOf, type HonoContextLike } from './context.js';

/**
 * Options of {@link upgradeWAMP}: those of serverwamp/web's endpoints (`idleTimeout` and `upgradeWebSocket` apply on Deno).
 *
 * @example
 * ```ts
 * import { upgradeWAMP } from 'serverwamp/hono';
 *
 * // idleTimeout applies on Deno only (Bun keeps its own idleTimeout and pings).
 * const wamp = upgradeWAMP(app, { maxPayload: 256 * 1024, allowedOrigins: ['https://app.example.com'], idleTimeout: 60 });
 * ```
 */
export type HonoWampOptions = DenoServeOptions;

/**
 * The route handler {@link upgradeWAMP} returns, with what the runtime needs besides.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono';
 * import { upgradeWAMP, type HonoWampHandler } from 'serverwamp/hono';
 *
 * const wamp: HonoWampHandler = upgradeWAMP(app);
 * const web = new Hono().get('/ws', wamp);
 * if (wamp.runtime === 'bun') Bun.serve({ port: 8080, fetch: web.fetch, websocket: wamp.websocket });
 * else Deno.serve({ port: 8080 }, web.fetch);
 * ```
 */
export interface HonoWampHandler {
  /** Answers the route: the upgrade (101), or the refusal naming what was wrong. */
  (c: HonoContextLike): Response;
  /** `bun` or `deno`: the runtime the handler serves. */
  readonly runtime: 'bun' | 'deno';
  /** On Bun, the `websocket` handlers to give `Bun.serve` beside `fetch: honoApp.fetch`; `undefined` on Deno. */
  readonly websocket: BunWebSocketHandlers | undefined;
  /** Closes the open connections and refuses new upgrades (503); `app.close()` calls it. */
  close(): Promise<void>;
}

const TEXT = { 'content-type': 'text/plain; charset=utf-8' };

function serverError(host: WebHost, message: string, error?: unknown): Response {
  host.logger.error(error === undefined ? {} : { err: error }, message);
  return new Response('The WebSocket upgrade failed.\n', { status: 500, headers: TEXT });
}

function bunHandler(app: WebHost, options: HonoWampOptions): HonoWampHandler {
  const { idleTimeout: _idle, upgradeWebSocket: _upgrade, ...webOptions } = options;
  const bun = serveBun(app, webOptions);
  const handler = (c: HonoContextLike): Response => {
    const server = bunServerOf(c.env);
    if (server === undefined) return serverError(app, 'upgradeWAMP: no Bun server in the Hono context: serve the app with Bun.serve({ fetch: honoApp.fetch, websocket: wamp.websocket })');
    try {
      // After a successful upgrade Bun ignores the response; Hono needs one to finish the route.
      return bun.fetch(c.req.raw, server) ?? new Response(null);
    } catch (error) {
      // Bun throws when the server has no websocket handlers.
      return serverError(app, 'upgradeWAMP: the upgrade failed: give Bun.serve the handlers, websocket: wamp.websocket', error);
    }
  };
  return Object.assign(handler, { runtime: 'bun' as const, websocket: bun.websocket, close: bun.close });
}

function denoHandler(app: WebHost, options: HonoWampOptions): HonoWampHandler {
  const deno = serveDeno(app, options);
  const handler = (c: HonoContextLike): Response => deno.fetch(c.req.raw, c.env as DenoServeInfo | undefined);
  return Object.assign(handler, { runtime: 'deno' as const, websocket: undefined, close: deno.close });
}

/**
 * A Hono route serving `app` over WebSocket on Bun or Deno, beside the Hono
 * app's other routes. Registered with the application, so `app.close()`
 * closes its connections. Throws `ServerwampError` `ERR_INVALID_OPTION` on
 * another runtime: on Node, `attach(app, server)` from `serverwamp/node` to
 * the server `@hono/node-server`'s `serve()` returns (docs/serving-hono.md).
 *
 * @example
 * ```ts
 * import { Hono } from 'hono';
 * import { upgradeWAMP } from 'serverwamp/hono';
 *
 * const wamp = upgradeWAMP(app);
 * const web = new Hono().get('/', (c) => c.text('hello')).get('/ws', wamp);
 * Bun.serve({ fetch: web.fetch, websocket: wamp.websocket }); // Deno: Deno.serve(web.fetch)
 * ```
 */
export function upgradeWAMP(app: WebHost, options: HonoWampOptions = {}): HonoWampHandler {
  const runtime = globalThis as { Bun?: unknown; Deno?: unknown };
  if (runtime.Bun !== undefined) return bunHandler(app, options);
  if (runtime.Deno !== undefined || options.upgradeWebSocket !== undefined) return denoHandler(app, options);
  throw new ServerwampError(
    'ERR_INVALID_OPTION',
    'upgradeWAMP serves on Bun and Deno; on Node, call attach(app, server) from serverwamp/node with the server @hono/node-server\'s serve() returns',
  );
}
