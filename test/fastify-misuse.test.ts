/**
 * Misusing the Fastify plugin fails fast with a ServerwampError naming the
 * mistake: something else than the application, an unknown or mistyped
 * option (Fastify's `prefix` included: the path is absolute), a second
 * registration on one instance, even from another encapsulated context, and
 * an HTTP/2-only instance.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { Application, ServerwampError } from '../src/index.js';
import { serverwamp, type FastifyWampOptions } from '../src/fastify/index.js';

function misuse(code: string, message: RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof ServerwampError, `a ServerwampError, not ${String(error)}`);
    assert.equal(error.code, code);
    assert.match(error.message, message);
    return true;
  };
}

describe('the Fastify plugin, misused', () => {
  it('throws ERR_INVALID_OPTION at once when given something other than the application', () => {
    assert.throws(() => serverwamp({ path: '/ws' } as never), misuse('ERR_INVALID_OPTION', /serverwamp: the first argument must be the Application/));
  });

  for (const [options, message] of [
    [{ paht: '/ws' }, /serverwamp\/fastify: paht is not an option \(did you mean path\?\)/],
    [{ prefix: '/api' }, /serverwamp\/fastify: prefix is not an option/],
    [{ path: 'ws' }, /path/],
    [{ maxPayload: -1 }, /maxPayload/],
  ] as const) {
    it(`rejects the registration with ERR_INVALID_OPTION for ${JSON.stringify(options)}`, async (t) => {
      const app = new Application();
      const fastify = Fastify();
      t.after(() => fastify.close());
      // register returns Fastify itself, a thenable: awaited inside a function, it rejects like a promise.
      await assert.rejects(async () => await fastify.register(serverwamp(app), options as FastifyWampOptions), misuse('ERR_INVALID_OPTION', message));
      assert.equal(fastify.server.listenerCount('upgrade'), 0, 'nothing was attached');
    });
  }

  it('rejects a second registration on one instance with ERR_ALREADY_ATTACHED, whatever the path, app or context', async (t) => {
    const fastify = Fastify();
    t.after(() => fastify.close());
    await fastify.register(serverwamp(new Application()), { path: '/ws' });
    await assert.rejects(
      async () =>
        await fastify.register(async (child) => {
          await child.register(serverwamp(new Application()), { path: '/other' });
        }),
      misuse('ERR_ALREADY_ATTACHED', /this Fastify instance already serves WAMP on \/ws; register the plugin once per instance/),
    );
    assert.equal(fastify.server.listenerCount('upgrade'), 1);
  });

  it('rejects an HTTP/2-only instance with ERR_INVALID_ARGUMENT: it would never see an upgrade', async (t) => {
    const fastify = Fastify({ http2: true });
    t.after(() => fastify.close());
    await assert.rejects(
      async () => await fastify.register(serverwamp(new Application())),
      misuse('ERR_INVALID_ARGUMENT', /serverwamp\/fastify: an HTTP\/2 Fastify instance takes no WebSocket upgrades; allow HTTP\/1\.1/),
    );
    assert.equal(fastify.server.listenerCount('upgrade'), 0);
  });

  it('may serve the same application on two Fastify instances', async (t) => {
    const app = new Application();
    const first = Fastify();
    const second = Fastify();
    t.after(() => Promise.all([first.close(), second.close()]));
    await first.register(serverwamp(app));
    await second.register(serverwamp(app));
    assert.equal(first.server.listenerCount('upgrade'), 1);
    assert.equal(second.server.listenerCount('upgrade'), 1);
  });
});
