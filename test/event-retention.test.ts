/**
 * Event retention: a publication with `retain` is kept as its topic's last
 * value, and a later subscriber asking for `get_retained` receives it right
 * after SUBSCRIBED, marked `retained`, with its audience still respected.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Application, TopicRouteSet } from '../src/index.js';
import { RetainedEvents } from '../src/events/retained.js';
import type { Publication } from '../src/events/delivery.js';
import { CLIENTS, connectClient } from './helpers/clients.js';
import { EventLog, publish, subscribe } from './helpers/pubsub.js';
import { RawClient } from './helpers/raw-client.js';
import { serve } from './helpers/server.js';

function createApp(): Application {
  const app = new Application();
  app.addTopicRoutes(
    new TopicRouteSet().prefixRoute('prices.', {}).route('chat.topic', { publish: (request) => void request.forward() }),
  );
  return app;
}

describe('event retention', () => {
  for (const kind of [CLIENTS[0]!, CLIENTS[3]!]) {
    it(`${kind.client}/${kind.serializer}: a late subscriber gets the retained event at once, marked retained`, async (t) => {
      const app = createApp();
      const { url } = await serve(app, t);
      app.publish('prices.eur', { args: [1.08], retain: true });
      app.publish('prices.eur', { args: [1.09], retain: true });
      app.publish('prices.gbp', { args: [0.86] }); // not retained
      const client = await connectClient(url, kind);
      t.after(() => client.close());
      const log = new EventLog();
      await subscribe(client, 'prices.eur', log.push, { get_retained: true });
      await log.waitFor(1);
      assert.deepEqual(log.events[0]!.args, [1.09], 'only the latest retained event');
      assert.equal(log.events[0]!.details['retained'], true);
      const without = new EventLog();
      await subscribe(client, 'prices.gbp', without.push, { get_retained: true });
      app.publish('prices.gbp', { args: [0.87] });
      await without.waitFor(1);
      assert.deepEqual(without.events.map((e) => e.args), [[0.87]], 'nothing was retained for gbp');
      assert.notEqual(without.events[0]!.details['retained'], true);
    });
  }

  it('a client publication forwarded with retain is retained too, and the announcement says event_retention', async (t) => {
    const { url } = await serve(createApp(), t);
    // autobahn-js sends PUBLISH options as given; wampy 8.0.2 checks `retain` but never sends it.
    const publisher = await connectClient(url, CLIENTS[1]!);
    t.after(() => publisher.close());
    await publish(publisher, 'chat.topic', ['Welcome to the room'], {}, { retain: true });
    const raw = await RawClient.connect(url);
    const [, , welcome] = await raw.hello();
    assert.equal(welcome.roles.broker.features.event_retention, true);
    raw.send([32, 1, { get_retained: true }, 'chat.topic']);
    const [, , subscriptionId] = await raw.next();
    const event = await raw.next();
    assert.equal(event[0], 36);
    assert.equal(event[1], subscriptionId);
    assert.deepEqual(event[3], { retained: true });
    assert.deepEqual(event[4], ['Welcome to the room']);
    raw.close();
  });

  it('a pattern subscription gets every matching retained event with its topic; the audience still applies', async (t) => {
    const app = createApp();
    const { url } = await serve(app, t);
    app.publish('prices.eur', { args: [1.09], retain: true });
    app.publish('prices.usd', { args: [1], retain: true });
    app.publish('prices.vip', { args: ['secret'], retain: true, filter: (session) => session.authrole === 'vip' });
    const raw = await RawClient.connect(url);
    await raw.hello();
    raw.send([32, 1, { match: 'prefix', get_retained: true }, 'prices.']);
    assert.equal((await raw.next())[0], 33);
    const events = [await raw.next(), await raw.next()];
    assert.deepEqual(
      events.map((e) => [e[3].topic, e[3].retained, e[4][0]]),
      [
        ['prices.eur', true, 1.09],
        ['prices.usd', true, 1],
      ],
    );
    assert.ok(await raw.silent(150), 'the vip-only event is not retained for this anonymous session');
    app.defaultRealm.clearRetained('prices.eur');
    raw.send([32, 2, { get_retained: true }, 'prices.eur']);
    assert.equal((await raw.next())[0], 33);
    assert.ok(await raw.silent(150), 'a cleared topic retains nothing');
    raw.close();
  });

  it('retains at most its limit of topics, forgetting the one retained longest ago', () => {
    const retained = new RetainedEvents(2);
    const publication = (topic: string): Publication => ({ topic, publicationId: 1, payload: {} });
    retained.retain(publication('a'), undefined);
    retained.retain(publication('b'), undefined);
    retained.retain(publication('a'), undefined);
    retained.retain(publication('c'), undefined);
    assert.equal(retained.size, 2);
    assert.deepEqual(retained.matching('', 'prefix').map((list) => list[0]!.topic), ['a', 'c']);
  });
});
