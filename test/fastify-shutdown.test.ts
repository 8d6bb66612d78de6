/**
 * Shutdown through the Fastify plugin: `fastify.close()` drains the
 * application in `preClose` (a call in flight finishes, the session is told
 * GOODBYE) before Fastify closes its server; an application closed on its
 * own detaches from the instance, which goes on serving HTTP.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Application, RPCRouteSet } from '../src/index.js';
import { deferred } from './helpers/auth.js';
import { serveFastify } from './helpers/fastify.js';
import { within } from './helpers/pubsub.js';
import { RawClient } from './helpers/raw-client.js';

describe("the Fastify plugin's shutdown", () => {
  it('fastify.close() lets a call in flight finish, tells the session GOODBYE, then closes the server', async (t) => {
    const started = deferred();
    const release = deferred<string>();
    const app = new Application().addRPCRoutes(
      new RPCRouteSet().route('work', async () => {
        started.resolve();
        return release.promise;
      }),
    );
    const { fastify, url } = await serveFastify(app, t);
    const peer = await RawClient.connect(url, 'wamp.2.json');
    assert.equal((await peer.hello())[0], 2);
    peer.send([48, 1, {}, 'work']);
    await within(started.promise, 10_000, 'the call to start');

    let fastifyClosed = false;
    const closing = fastify.close().then(() => (fastifyClosed = true));
    // The drain is under way: new calls are refused, the one in flight goes on.
    peer.send([48, 2, {}, 'work']);
    const refused = await peer.next(10_000);
    assert.deepEqual([refused[0], refused[2], refused[4]], [8, 2, 'serverwamp.error.shutting_down']);
    assert.equal(fastifyClosed, false, 'fastify.close() waits for the drain');
    assert.equal(fastify.server.listening, true, "the server stays open until the application's drain is done");

    release.resolve('done');
    assert.deepEqual(await peer.next(10_000), [50, 1, {}, ['done']]);
    const goodbye = await peer.next(10_000);
    assert.deepEqual([goodbye[0], goodbye[2]], [6, 'wamp.close.system_shutdown']);
    peer.send([6, {}, 'wamp.close.goodbye_and_out']);
    await within(peer.closed, 10_000, 'the close after GOODBYE');
    await within(closing, 15_000, 'fastify.close()');
    assert.equal(fastify.server.listening, false);
  });

  it("closes with the options of the application's own preClose hook added before the plugin", async (t) => {
    const app = new Application();
    const { fastify, url } = await serveFastify(app, t, {
      setup(instance) {
        instance.addHook('preClose', async () => {
          await app.close({ message: 'restarting', goodbyeWait: 5000 });
        });
      },
    });
    const peer = await RawClient.connect(url, 'wamp.2.json');
    assert.equal((await peer.hello())[0], 2);
    const closing = fastify.close();
    const goodbye = await peer.next(10_000);
    assert.deepEqual(goodbye, [6, { message: 'restarting' }, 'wamp.close.system_shutdown']);
    peer.send([6, {}, 'wamp.close.goodbye_and_out']);
    await within(closing, 15_000, 'fastify.close()');
  });

  it('an application closed on its own detaches: the instance answers HTTP, refuses the upgrade, and closes', async (t) => {
    const app = new Application();
    const { fastify, url, origin } = await serveFastify(app, t);
    const peer = await RawClient.connect(url, 'wamp.2.json');
    assert.equal((await peer.hello())[0], 2);
    const closing = app.close({ goodbyeWait: 5000 });
    const goodbye = await peer.next(10_000);
    assert.deepEqual([goodbye[0], goodbye[2]], [6, 'wamp.close.system_shutdown']);
    peer.send([6, {}, 'wamp.close.goodbye_and_out']);
    await within(closing, 10_000, 'app.close()');
    assert.equal(fastify.server.listenerCount('upgrade'), 0, 'the endpoint left the server');
    // No endpoint any more: the upgrade is an ordinary request to Fastify, answered, not left hanging.
    await assert.rejects(within(RawClient.connect(url, 'wamp.2.json'), 10_000, 'the answer to the upgrade'), (error: any) => error.status === 404);
    assert.equal((await fetch(`${origin}/hello`)).status, 200);
    await within(fastify.close(), 10_000, 'fastify.close()');
  });
});
