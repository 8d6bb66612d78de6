/**
 * `serverwamp/cloudflare`: serves an application on Cloudflare Workers and
 * workerd: from a Durable Object (one object, one application; WebSockets
 * with the hibernation API) behind a routing Worker, or from a plain Worker
 * with one application per connection. Runtime-neutral: no Node. See
 * docs/serving-cloudflare.md.
 * @module
 */
export { serveDurableObject, SOCKET_TAG, type DurableObjectWamp } from './durable-object.js';
export type { CloudflareServeOptions, DurableObjectServeOptions } from './options.js';
export { routeToDurableObject, type DurableObjectRoute, type WorkerHandler } from './route.js';
export { WampDurableObject } from './wamp-durable-object.js';
export { serveWorker, type WorkerWamp } from './worker.js';
export type { DurableObjectNamespaceLike, DurableObjectStateLike, HibernatableWebSocket } from './workerd.js';
