/**
 * `serverwamp/hono`: WAMP as a route of a Hono app on Bun and Deno
 * (`upgradeWAMP`), the subprotocol negotiated by serverwamp. Runtime-neutral:
 * no Node. On Node, `attach` from `serverwamp/node` takes the server
 * `@hono/node-server` returns. See docs/serving-hono.md.
 * @module
 */
export { upgradeWAMP, type HonoWampHandler, type HonoWampOptions } from './upgrade-wamp.js';
export type { HonoContextLike } from './context.js';
