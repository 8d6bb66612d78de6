/**
 * What serverwamp reads of a Hono `Context`, declared structurally so that
 * the entry needs neither Hono's types nor a particular Hono version.
 * @module
 */
import type { BunServerLike } from '../web/bun.js';

/**
 * The part of Hono's `Context` a WAMP route reads: the upgrade `Request`, and the runtime's second `fetch` argument.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono';
 * import { upgradeWAMP, type HonoContextLike } from 'serverwamp/hono';
 *
 * const wamp = upgradeWAMP(app);
 * // Hono's Context fits HonoContextLike: a check of your own reads the same upgrade Request.
 * async function loggedIn(c: HonoContextLike): Promise<boolean> {
 *   const sid = /(?:^|;\s*)sid=([^;]*)/.exec(c.req.raw.headers.get('cookie') ?? '')?.[1];
 *   return (await webSessions.get(sid)) !== undefined;
 * }
 * const web = new Hono().get('/ws', async (c) => ((await loggedIn(c)) ? wamp(c) : c.text('log in first', 401)));
 * ```
 */
export interface HonoContextLike {
  /** Hono's request wrapper. */
  readonly req: {
    /** The runtime's own upgrade `Request`: its headers, cookies, URL and subprotocol offers. */
    readonly raw: Request;
  };
  /** Bun: the `Server` (or `{ server }`); Deno: the `ServeHandlerInfo`. */
  readonly env?: unknown;
}

/** Bun's server, where Hono keeps it: `c.env` itself (`Bun.serve({ fetch: app.fetch })`) or `c.env.server`. */
export function bunServerOf(env: unknown): BunServerLike | undefined {
  if (typeof env !== 'object' || env === null) return undefined;
  if (typeof (env as Partial<BunServerLike>).upgrade === 'function') return env as BunServerLike;
  const server = (env as { server?: Partial<BunServerLike> }).server;
  return typeof server?.upgrade === 'function' ? (server as BunServerLike) : undefined;
}
