/**
 * Event retention per audience (spec: a subscriber gets "the most recent
 * Retained Event that they would have received"): a later retained event
 * restricted to some sessions does not hide an earlier one from the others.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Application, TopicRouteSet } from '../src/index.js';
import type { Publication } from '../src/events/delivery.js';
import { RetainedEvents } from '../src/events/retained.js';
import { RawClient } from './helpers/raw-client.js';
import { serve } from './helpers/server.js';

function createApp(): Application {
  const app = new Application();
  app.addTopicRoutes(new TopicRouteSet().prefixRoute('prices.', {}).route('chat.topic', { publish: (request) => void request.forward() }));
  return app;
}

async function join(url: string, t: Parameters<typeof serve>[1]): Promise<{ raw: RawClient; id: number }> {
  const raw = await RawClient.connect(url);
  t?.after(() => raw.close());
  const welcome = await raw.hello();
  assert.equal(welcome[0], 2);
  return { raw, id: welcome[1] };
}

/** Subscribes with get_retained and returns the retained EVENT's first argument, or undefined if none came. */
async function retainedFor(raw: RawClient, requestId: number, topic: string): Promise<unknown> {
  raw.send([32, requestId, { get_retained: true }, topic]);
  assert.equal((await raw.next())[0], 33);
  try {
    const event = await raw.next(300);
    assert.equal(event[0], 36);
    assert.equal(event[3].retained, true);
    return event[4][0];
  } catch {
    return undefined;
  }
}

describe('event retention per audience', () => {
  it('a later retained event for some sessions does not hide the earlier one from the others', async (t) => {
    const app = createApp();
    const { url } = await serve(app, t);
    const a = await join(url, t);
    const b = await join(url, t);
    app.publish('prices.eur', { args: ['for all'], retain: true });
    app.publish('prices.eur', { args: ['for A'], retain: true, eligible: [a.id] });
    assert.equal(await retainedFor(b.raw, 1, 'prices.eur'), 'for all');
    assert.equal(await retainedFor(a.raw, 1, 'prices.eur'), 'for A');
    // An unrestricted event covers every earlier one.
    app.publish('prices.usd', { args: ['usd for A'], retain: true, eligible: [a.id] });
    app.publish('prices.usd', { args: ['usd for all'], retain: true });
    assert.equal(await retainedFor(a.raw, 2, 'prices.usd'), 'usd for all');
  });

  it('client publications: exclude and exclude_me are the audience of the retained event too', async (t) => {
    const { url } = await serve(createApp(), t);
    const a = await join(url, t);
    const b = await join(url, t);
    const c = await join(url, t);
    a.raw.send([16, 1, { retain: true, acknowledge: true }, 'chat.topic', ['from A']]);
    assert.equal((await a.raw.next())[0], 17);
    b.raw.send([16, 1, { retain: true, acknowledge: true, exclude: [c.id], exclude_me: false }, 'chat.topic', ['from B, not for C']]);
    assert.equal((await b.raw.next())[0], 17);
    assert.equal(await retainedFor(c.raw, 2, 'chat.topic'), 'from A', 'C is excluded from B’s event: it gets A’s');
    assert.equal(await retainedFor(a.raw, 2, 'chat.topic'), 'from B, not for C');
    assert.equal(await retainedFor(b.raw, 2, 'chat.topic'), 'from B, not for C');
  });

  it('keeps a bounded list per topic, and the unrestricted event survives the eviction of restricted ones', () => {
    const retained = new RetainedEvents(10, 3);
    const unrestricted = new Set<number>();
    const retain = (id: number, audience?: string): void => {
      if (audience === undefined) unrestricted.add(id);
      retained.retain({ topic: 't', publicationId: id, payload: {} }, audience);
    };
    retain(1);
    for (let i = 2; i <= 6; i++) retain(i, `only ${i}`);
    const ids = (eligible: (p: Publication) => boolean): number[] =>
      retained.matching('t', 'exact').flatMap((list) => list.filter(eligible).slice(0, 1).map((p) => p.publicationId));
    assert.deepEqual(ids(() => true), [6]);
    assert.deepEqual(ids((p) => unrestricted.has(p.publicationId)), [1], 'the event for everyone is kept');
    assert.deepEqual(ids((p) => p.publicationId === 5), [5]);
    assert.deepEqual(ids((p) => p.publicationId === 4), [], 'restricted events beyond the bound are forgotten, oldest first');
    retain(7, 'only 6');
    assert.deepEqual(ids((p) => p.publicationId === 6), [], 'an equal audience replaces the older event');
    assert.equal(retained.size, 1);
  });
});
