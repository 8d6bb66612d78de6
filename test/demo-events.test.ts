import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDemoApp } from '../examples/demo.js';
import { CLIENTS, connectClient } from './helpers/clients.js';
import { EventLog, publish, subscribe } from './helpers/pubsub.js';
import { serve } from './helpers/server.js';

describe('the demo: events', () => {
  it('sends hourly updates to subscribers, and document change events before the RESULT of the change', async (t) => {
    const { url } = await serve(createDemoApp({ hourlyIntervalMs: 10 }), t);
    const client = await connectClient(url, CLIENTS[0]!);
    t.after(() => client.close());

    const hourly = new EventLog();
    const subscription = await subscribe(client, 'hourly.updates', hourly.push);
    await hourly.waitFor(2);
    assert.match(String(hourly.events[0]!.args[0]), /^The hour is \d+$/);
    await subscription.unsubscribe();

    const changes = new EventLog();
    await subscribe(client, 'docs.changes', changes.push, { match: 'prefix' });
    const result = await client.call('docs.updateDocument', ['readme', 'New text']);
    assert.deepEqual(result.kwargs, { status: 'SUCCESS' });
    assert.equal(changes.events.length, 1);
    assert.equal(changes.events[0]!.details['topic'], 'docs.changes.readme');
    assert.equal(changes.events[0]!.kwargs['change'], 'updated');
    assert.deepEqual((await client.call('docs.getDocument', ['readme'])).kwargs['document'], { title: 'README', body: 'New text' });
    assert.equal((await client.call('session.info')).kwargs['id'], client.raw.session.id);
  });

  it('forwards chat messages from one client to the others', async (t) => {
    const { url } = await serve(createDemoApp(), t);
    const [alice, bob] = [await connectClient(url, CLIENTS[2]!), await connectClient(url, CLIENTS[1]!)];
    t.after(() => Promise.all([alice.close(), bob.close()]));
    const bobs = new EventLog();
    await subscribe(bob, 'chat.room', bobs.push);
    await publish(alice, 'chat.room', ['hello bob']);
    await bobs.waitFor(1);
    assert.deepEqual(bobs.events[0]!.args, ['hello bob']);
    await assert.rejects(publish(alice, 'chat.room', [42]), { error: 'chat.error.text_only' });
  });
});
