import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Application, Realm, RPCRouteSet, TopicRouteSet, WampError } from '../src/index.js';
import { CLIENTS, connectAutobahn, connectClient } from './helpers/clients.js';
import { deferred, EventLog, subscribe, within } from './helpers/pubsub.js';
import { RawClient } from './helpers/raw-client.js';
import { serve } from './helpers/server.js';

declare module '../src/index.js' {
  interface SessionData {
    visits?: number;
    nickname?: string;
  }
}

describe('session state handlers and session data', () => {
  for (const kind of [CLIENTS[0]!, CLIENTS[3]!]) {
    const name = `${kind.client}/${kind.serializer}`;
    it(`${name}: opens before WELCOME, shares session.data with procedures and topic handlers, and closes after the subscriptions`, async (t) => {
      const app = new Application();
      const log: string[] = [];
      const ended = deferred();
      app.addSessionStateHandler(
        async function* (session) {
          session.data.nickname = `guest-${session.id}`;
          session.data.visits = 0;
          log.push('open');
          yield;
          log.push(`close after ${session.data.visits} visits`);
          ended.resolve();
        },
        { authenticatedOnly: false },
      );
      app.addRPCRoutes(
        new RPCRouteSet().route('whoami', ({ session }) => {
          session.data.visits = (session.data.visits ?? 0) + 1;
          return session.data.nickname;
        }),
      );
      app.addTopicRoutes(
        new TopicRouteSet().route('lobby', async function* ({ session }) {
          log.push(`subscribe as ${session.data.nickname}`);
          yield;
          log.push('unsubscribe');
        }),
      );
      const { url } = await serve(app, t);
      const client = await connectClient(url, kind);
      const id = kind.client === 'autobahn' ? client.raw.session.id : client.raw.getSessionId();
      assert.deepEqual((await client.call('whoami')).args, [`guest-${id}`]);
      await subscribe(client, 'lobby', () => {});
      await client.close();
      await within(ended.promise);
      assert.deepEqual(log, ['open', `subscribe as guest-${id}`, 'unsubscribe', 'close after 1 visits']);
    });
  }

  it('runs handlers for authenticated sessions only by default', async (t) => {
    const app = new Application();
    let authenticatedOnly = 0;
    let all = 0;
    app.addSessionStateHandler(() => void authenticatedOnly++);
    app.addSessionStateHandler(() => void all++, { authenticatedOnly: false });
    const { url } = await serve(app, t);
    const client = await connectAutobahn(url);
    await client.close();
    assert.equal(authenticatedOnly, 0); // anonymous
    assert.equal(all, 1);
  });

  it('refuses the session with ABORT when an open part throws, and closes the parts already opened', async (t) => {
    const app = new Application();
    const closed = deferred();
    app.addSessionStateHandler(
      async function* () {
        yield;
        closed.resolve();
      },
      { authenticatedOnly: false },
    );
    app.addSessionStateHandler(
      () => {
        throw new WampError('app.error.maintenance', { args: ['back soon'] });
      },
      { authenticatedOnly: false },
    );
    const { url } = await serve(app, t);
    const client = await RawClient.connect(url);
    const abort = await client.hello();
    assert.deepEqual(abort, [3, { message: 'back soon' }, 'app.error.maintenance']);
    await within(closed.promise);
    await assert.rejects(connectAutobahn(url));
  });
});

describe('custom subscription handling and realms', () => {
  it('a realm subscription handler replaces topic routing', async (t) => {
    const app = new Application();
    const realm = new Realm('tenants');
    const topics: string[] = [];
    realm.setSubscriptionHandler(async function* ({ topic, match, session }) {
      if (!topic.startsWith(`user.${session.id}.`)) throw new WampError('wamp.error.not_authorized');
      topics.push(`${match}:${topic}`);
      yield;
    });
    realm.addTopicRoutes(new TopicRouteSet().route('ignored', {}));
    app.addRealm(realm);
    const { url } = await serve(app, t);
    const client = await connectClient(url, CLIENTS[0]!, { realm: 'tenants' }); // wampy refuses a prefix ending in a dot
    t.after(() => client.close());
    const id = client.raw.session.id;
    const received = new EventLog();
    await subscribe(client, `user.${id}.`, received.push, { match: 'prefix' });
    await assert.rejects(subscribe(client, 'ignored', () => {}), { error: 'wamp.error.not_authorized' });
    assert.deepEqual(topics, [`prefix:user.${id}.`]);

    // realm.publish reaches this realm; app.publish reaches every realm.
    realm.publish(`user.${id}.inbox`, { args: ['from the realm'] });
    app.defaultRealm.publish(`user.${id}.inbox`, { args: ['not for this realm'] });
    app.publish(`user.${id}.inbox`, { args: ['from the app'] });
    await received.waitFor(2);
    assert.deepEqual(received.events.map((e) => e.args[0]), ['from the realm', 'from the app']);
  });
});
