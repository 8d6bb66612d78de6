/**
 * A publication made on a node is handed to the backplane before the node
 * fans it out to its own subscribers (so a driver that writes at once has
 * the other nodes delivering meanwhile, rather than after every local
 * EVENT), and after the retained store has it (so a node that receives it
 * can already read it there). Seen through an in-memory client: its queue
 * holds what the engine has sent it so far.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Application, MemoryRetainedStore, TopicRouteSet, type Backplane, type RelayedPublication } from '../src/index.js';
import { connectTestPeer, type TestPeer } from '../src/testing.js';

const HELLO = 1;
const SUBSCRIBE = 32;
const SUBSCRIBED = 33;
const PUBLISH = 16;
const PUBLISHED = 17;
const EVENT = 36;

/** Records, for each publication handed over, what had already happened on this node. */
function recordingBackplane(state: () => string): { backplane: Backplane; seen: string[] } {
  const seen: string[] = [];
  const backplane: Backplane = {
    start: () => undefined,
    publish: (publication: RelayedPublication) => void seen.push(`${String(publication.payload.args?.[0])}: ${state()}`),
    close: () => undefined,
  };
  return { backplane, seen };
}

async function subscribedPeer(app: Application): Promise<TestPeer> {
  const peer = connectTestPeer(app);
  peer.send([HELLO, 'realm1', { roles: { subscriber: {}, publisher: {} } }]);
  await peer.next();
  peer.send([SUBSCRIBE, 1, {}, 'news']);
  assert.equal((await peer.next())[0], SUBSCRIBED);
  return peer;
}

describe('a publication made here, with a backplane', () => {
  it('is handed to the backplane after the retained store has it and before any local EVENT is queued', async () => {
    // The client joins after the application exists; the backplane reads its queue through this.
    const client: { peer?: TestPeer } = {};
    const retained: string[] = [];
    const store = new MemoryRetainedStore();
    const retain = store.retain.bind(store);
    store.retain = (realm, publication, key) => {
      retained.push(String(publication.payload.args?.[0]));
      retain(realm, publication, key);
    };
    const events = (): number => client.peer?.pending.filter((message) => message[0] === EVENT).length ?? 0;
    const { backplane, seen } = recordingBackplane(() => `retained ${retained.length}, local EVENTs ${events()}`);
    const app = new Application({ backplane, retainedStore: store });
    app.addTopicRoutes(new TopicRouteSet().route('news', { publish: (request) => void request.forward() }));
    const peer = (client.peer = await subscribedPeer(app));

    app.publish('news', { args: ['app.publish'], retain: true });
    app.defaultRealm.publish('news', { args: ['realm.publish'], retain: true });
    peer.send([PUBLISH, 7, { acknowledge: true, exclude_me: false, retain: true }, 'news', ['client PUBLISH']]);
    // The acknowledgement comes after the client's publication was handled (bounded wait, no timing asserted).
    for (let waited = 0; !peer.pending.some((message) => message[0] === PUBLISHED) && waited < 5000; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }

    assert.deepEqual(seen, ['app.publish: retained 1, local EVENTs 0', 'realm.publish: retained 2, local EVENTs 1', 'client PUBLISH: retained 3, local EVENTs 2']);
    const received = peer.pending.filter((message) => message[0] === EVENT || message[0] === PUBLISHED).map((message) => message[0] === EVENT ? message[4] : 'PUBLISHED');
    assert.deepEqual(received, [['app.publish'], ['realm.publish'], ['client PUBLISH'], 'PUBLISHED'], 'each delivered here once, in order');
    peer.disconnect();
    await app.close();
  });
});
