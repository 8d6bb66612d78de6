/**
 * `inspectApplication` (serverwamp/testing) counts what the soak checks: each
 * table it reports moves with what a real client does, and is empty again
 * once the client's socket is gone.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { Application, RPCRouteSet, TopicRouteSet } from '../src/index.js';
import { inspectApplication, type ApplicationTables } from '../src/testing.js';
import { serve } from './helpers/server.js';
import { SoakClient } from './helpers/soak-client.js';

async function until(app: Application, done: (tables: ApplicationTables) => boolean): Promise<ApplicationTables> {
  for (let i = 0; i < 250 && !done(inspectApplication(app)); i++) await sleep(20);
  return inspectApplication(app);
}

describe('inspectApplication', () => {
  it('counts connections, sessions, subscriptions, registrations and calls in flight both ways', async (t) => {
    const app = new Application();
    app.enableSessionMetaAPI();
    app.addRPCRoutes(
      new RPCRouteSet()
        .route('slow', ({ signal }) => sleep(10_000, 'late', { signal }))
        .route('ask', async ({ session }) => (await session.call('client.double', { args: [1], timeout: 10_000 })).args[0]),
    );
    app.addTopicRoutes(new TopicRouteSet().route('news', {}));
    const { url } = await serve(app, t);
    assert.deepEqual(Object.values(inspectApplication(app)), Array(10).fill(0));

    const client = await SoakClient.open(url, 'wamp.2.json');
    client.silentCallee = true;
    assert.equal((await client.subscribe('news')).error, undefined);
    assert.equal((await client.register('client.double')).error, undefined);
    void client.call('slow').reply;
    void client.call('ask').reply;
    const busy = await until(app, (tables) => tables.callsInFlight === 2 && tables.serverCalls === 1);
    assert.deepEqual(busy, {
      connections: 1,
      sessions: 1,
      metaSessions: 1,
      realmSubscriptions: 1,
      subscriptions: 1,
      registrations: 1,
      callsInFlight: 2,
      serverCalls: 1,
      outboundBytes: 0,
      remoteRequests: 0,
    });

    client.destroy();
    const gone = await until(app, (tables) => tables.connections === 0);
    assert.deepEqual(Object.entries(gone).filter(([, count]) => count !== 0), []);
  });
});
