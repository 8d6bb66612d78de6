/**
 * `serverwamp/fastify`: a Fastify 5 plugin serving an `Application`
 * over WebSocket on the Fastify instance's own server, next to its routes
 * (docs/serving-fastify.md). `fastify` is an optional peer dependency: this
 * entry needs only its types.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { Application } from 'serverwamp';
 * import { serverwamp } from 'serverwamp/fastify';
 *
 * const app = new Application();
 * const fastify = Fastify({ logger: true });
 * await fastify.register(serverwamp(app), { path: '/ws' });
 * await fastify.listen({ port: 8080 });
 * ```
 * @module
 */
export { serverwamp, type FastifyWampOptions } from './plugin.js';
