/**
 * examples/cloudflare/worker.ts on the real workerd: each room is its own
 * Durable Object (its own application), a room name is checked before an
 * object is made, and what is not an upgrade is answered by the Worker.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { connectAutobahn } from './helpers/clients.js';
import { EventLog } from './helpers/pubsub.js';
import { RawClient } from './helpers/raw-client.js';
import { requireComponent } from './helpers/system.js';
import { startWorkerd, workerdBinary } from './helpers/workerd.js';

const EXAMPLE = { entry: join(fileURLToPath(new URL('..', import.meta.url)), 'examples', 'cloudflare', 'worker.ts'), durableObjects: { ROOMS: 'Room' } };

describe('examples/cloudflare/worker.ts', () => {
  it('serves a room per Durable Object: calls, events within a room, nothing across rooms', async (t) => {
    if (!requireComponent(t, workerdBinary() !== undefined, 'workerd', 'the "workerd" devDependency: npm install')) return;
    const { origin, startupMs } = await startWorkerd(t, EXAMPLE);
    console.log(`workerd listening ${startupMs} ms after spawn`);
    const ws = origin.replace(/^http/, 'ws');
    const [alice, bob, carol] = await Promise.all([connectAutobahn(`${ws}/ws?room=blue`), connectAutobahn(`${ws}/ws?room=blue`), connectAutobahn(`${ws}/ws?room=red`)]);
    t.after(() => Promise.all([alice, bob, carol].map((client) => client.close())));
    assert.equal(await alice.session.call('room.hello', ['Ada']), 'Hello, Ada, from a Durable Object');
    assert.equal(await alice.session.call('room.members'), 2);
    assert.equal(await carol.session.call('room.members'), 1);
    const blue = new EventLog();
    const red = new EventLog();
    await bob.session.subscribe('room.chat', (args: unknown[]) => blue.push({ args, kwargs: {}, details: {} }));
    await carol.session.subscribe('room.chat', (args: unknown[]) => red.push({ args, kwargs: {}, details: {} }));
    await alice.session.call('room.say', ['hi blue']);
    await blue.waitFor(1);
    assert.deepEqual(blue.events[0]!.args, ['hi blue']);
    assert.equal(red.events.length, 0, 'another room is another application');
    await assert.rejects(RawClient.connect(`${ws}/ws?room=${'x'.repeat(40)}`), (error: any) => error.status === 404);
    assert.match(await (await fetch(`${origin}/`)).text(), /WAMP rooms/);
  });
});
