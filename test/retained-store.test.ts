/**
 * A RetainedStore that answers later (as one over the network does): the
 * retained events follow SUBSCRIBED when it answers, and only if the
 * subscription still holds; a failing store is logged, not disclosed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Application, MemoryRetainedStore, TopicRouteSet, type RetainedStore } from '../src/index.js';
import { recordingLogger } from './helpers/auth.js';
import { deferred } from './helpers/pubsub.js';
import { RawClient } from './helpers/raw-client.js';
import { serve } from './helpers/server.js';

const [SUBSCRIBE, SUBSCRIBED, UNSUBSCRIBE, UNSUBSCRIBED, EVENT] = [32, 33, 34, 35, 36];

/** A store whose `matching` waits for `release`, or fails with `failure`. */
function slowStore(failure?: Error): RetainedStore & { release(): void } {
  const memory = new MemoryRetainedStore();
  const gate = deferred();
  return {
    scope: 'node',
    retain: (realm, publication, key) => memory.retain(realm, publication, key),
    matching: async (realm, topic, match) => {
      await gate.promise;
      if (failure !== undefined) throw failure;
      return memory.matching(realm, topic, match);
    },
    clear: async (realm, topic) => memory.clear(realm, topic),
    release: () => gate.resolve(),
  };
}

async function setUp(t: Parameters<typeof serve>[1], store: RetainedStore, logger = recordingLogger()) {
  const app = new Application({ retainedStore: store, logger });
  app.addTopicRoutes(new TopicRouteSet().route('prices', {}));
  app.publish('prices', { args: [1.09], retain: true });
  const { url } = await serve(app, t);
  const client = await RawClient.connect(url);
  t!.after(() => client.close());
  await client.hello('realm1');
  client.send([SUBSCRIBE, 1, { get_retained: true }, 'prices']);
  const subscribed = await client.next();
  assert.equal(subscribed[0], SUBSCRIBED);
  return { app, client, subscriptionId: subscribed[2] as number, logger };
}

describe('an asynchronous RetainedStore', () => {
  it('sends the retained event once the store answers, marked retained', async (t) => {
    const store = slowStore();
    const { client, subscriptionId } = await setUp(t, store);
    assert.ok(await client.silent(100), 'nothing before the store answers');
    store.release();
    const event = await client.next();
    assert.deepEqual([event[0], event[1], event[3], event[4]], [EVENT, subscriptionId, { retained: true }, [1.09]]);
  });

  it('sends nothing if the subscription ended before the store answered', async (t) => {
    const store = slowStore();
    const { client, subscriptionId } = await setUp(t, store);
    client.send([UNSUBSCRIBE, 2, subscriptionId]);
    assert.equal((await client.next())[0], UNSUBSCRIBED);
    store.release();
    assert.ok(await client.silent(200), 'no EVENT after UNSUBSCRIBED');
  });

  it('logs a failing store and sends nothing about it', async (t) => {
    const store = slowStore(new Error('store unreachable'));
    const { client, logger } = await setUp(t, store);
    store.release();
    assert.ok(await client.silent(200));
    assert.ok(logger.records.some((r) => r.includes('store unreachable') && r.includes('retained events could not be read')));
  });

  it('realm.clearRetained resolves with the store’s answer', async (t) => {
    const store = slowStore();
    const { app } = await setUp(t, store);
    assert.equal(await app.defaultRealm.clearRetained('prices'), true);
    assert.equal(await app.defaultRealm.clearRetained('prices'), false);
  });
});
