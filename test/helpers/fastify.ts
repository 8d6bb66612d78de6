/**
 * Serves an application through the Fastify plugin, on 127.0.0.1, with a
 * Fastify HTTP route (`GET /hello`) on the same port; closed after the test.
 */
import type { TestContext } from 'node:test';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Application } from '../../src/index.js';
import { serverwamp, type FastifyWampOptions } from '../../src/fastify/index.js';

/** Closes at once: calls still running are canceled, and GOODBYE replies are not awaited. */
const TEARDOWN = { timeout: 0, goodbyeWait: 0 } as const;

export interface FastifyServed {
  fastify: FastifyInstance;
  /** The WAMP URL, e.g. ws://127.0.0.1:PORT/ws. */
  url: string;
  /** The HTTP origin, e.g. http://127.0.0.1:PORT. */
  origin: string;
}

/**
 * Registers the plugin for `app` on a new Fastify instance (after `setup`
 * adds its own routes), listens, and closes both after `t`: the application
 * first, without draining (draining is tested on its own).
 */
export async function serveFastify(
  app: Application,
  t: Pick<TestContext, 'after'>,
  options: { plugin?: FastifyWampOptions; fastify?: FastifyServerOptions; setup?: (fastify: FastifyInstance) => void } = {},
): Promise<FastifyServed> {
  const fastify = Fastify(options.fastify ?? {});
  fastify.get('/hello', async () => ({ hello: 'from fastify' }));
  options.setup?.(fastify);
  await fastify.register(serverwamp(app), { pingInterval: 0, ...options.plugin });
  t.after(async () => {
    await app.close(TEARDOWN);
    await fastify.close();
  });
  await fastify.listen({ port: 0, host: '127.0.0.1' });
  const address = fastify.server.address();
  if (address === null || typeof address === 'string') throw new Error('Fastify listens on TCP here');
  const origin = `http://127.0.0.1:${address.port}`;
  return { fastify, url: `ws://127.0.0.1:${address.port}${options.plugin?.path ?? '/ws'}`, origin };
}
