import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Application, TopicRouteSet, WampError, type Session } from '../src/index.js';
import { CLIENTS, connectClient } from './helpers/clients.js';
import { deferred, EventLog, subscribe, within } from './helpers/pubsub.js';
import { serve } from './helpers/server.js';

/** An app whose `news` topic records each subscription's open and close parts. */
function newsApp() {
  const app = new Application();
  const opened: Session[] = [];
  const closed: Session[] = [];
  let onClose = deferred<Session>();
  const events = new TopicRouteSet();
  events.route('news', async function* ({ session }) {
    opened.push(session);
    yield;
    closed.push(session);
    onClose.resolve(session);
  });
  events.route('marker', {});
  app.addTopicRoutes(events);
  return {
    app,
    opened,
    closed,
    nextClose: () => {
      const current = onClose;
      return current.promise.then((session) => {
        onClose = deferred<Session>();
        return session;
      });
    },
  };
}

describe('subscribe and unsubscribe lifecycles', () => {
  for (const kind of CLIENTS) {
    const name = `${kind.client}/${kind.serializer}`;

    it(`${name}: runs the open part on subscribe, delivers events, and runs the close part on unsubscribe`, async (t) => {
      const { app, opened, closed, nextClose } = newsApp();
      const { url } = await serve(app, t);
      const client = await connectClient(url, kind);
      t.after(() => client.close());

      const news = new EventLog();
      const markers = new EventLog();
      const subscription = await subscribe(client, 'news', news.push);
      await subscribe(client, 'marker', markers.push);
      assert.equal(opened.length, 1);

      app.publish('news', { args: ['hello'], kwargs: { n: 1 } });
      await news.waitFor(1);
      assert.deepEqual(news.events[0]!.args, ['hello']);
      assert.deepEqual(news.events[0]!.kwargs, { n: 1 });

      const closing = nextClose();
      await subscription.unsubscribe();
      assert.equal(await within(closing), opened[0]);
      assert.equal(closed.length, 1);

      // Events leave in order: once the marker arrives, a news event sent before it would have too.
      app.publish('news', { args: ['too late'] });
      app.publish('marker');
      await markers.waitFor(1);
      assert.equal(news.events.length, 1);
    });

    it(`${name}: runs the close part when the connection drops without GOODBYE`, async (t) => {
      const { app, opened, nextClose } = newsApp();
      const { url } = await serve(app, t);
      const client = await connectClient(url, kind);
      await subscribe(client, 'news', () => {});
      assert.equal(opened.length, 1);

      const closing = nextClose();
      if (kind.client === 'autobahn') client.raw.connection._transport.close(1000); // WebSocket close, no GOODBYE
      else client.raw._ws.terminate(); // the socket is destroyed outright
      assert.equal(await within(closing), opened[0]);
      assert.equal([...app.sessions].length, 0);
    });
  }

  it('runs the close part on GOODBYE and on app.close()', async (t) => {
    const { app, nextClose } = newsApp();
    const { url, close } = await serve(app, t);
    const first = await connectClient(url, CLIENTS[0]!);
    await subscribe(first, 'news', () => {});
    const onGoodbye = nextClose();
    await first.close();
    await within(onGoodbye);

    const second = await connectClient(url, CLIENTS[2]!);
    await subscribe(second, 'news', () => {});
    const onShutdown = nextClose();
    await close();
    await within(onShutdown);
  });

  it('refuses a subscription whose open part throws, with the WampError or a generic runtime error', async (t) => {
    const app = new Application();
    const events = new TopicRouteSet();
    events.route('private', async () => {
      throw new WampError('app.error.members_only', { args: ['members only'] });
    });
    events.route('broken', () => {
      throw new Error('database password is hunter2');
    });
    app.addTopicRoutes(events);
    const { url } = await serve(app, t);
    for (const kind of [CLIENTS[0]!, CLIENTS[2]!]) {
      const client = await connectClient(url, kind);
      t.after(() => client.close());
      await assert.rejects(subscribe(client, 'private', () => {}), { error: 'app.error.members_only', args: ['members only'] });
      const failure: any = await subscribe(client, 'broken', () => {}).catch((error: unknown) => error);
      assert.equal(failure.error, 'wamp.error.runtime_error');
      assert.doesNotMatch(JSON.stringify(failure.args), /hunter2/);
      await assert.rejects(subscribe(client, 'unrouted', () => {}), { error: 'wamp.error.not_authorized' });
    }
  });
});

describe('pattern-based subscriptions', () => {
  for (const kind of CLIENTS) {
    const name = `${kind.client}/${kind.serializer}`;

    it(`${name}: prefix and wildcard subscriptions receive matching events with details.topic`, async (t) => {
      const app = new Application();
      const routes: string[] = [];
      const events = new TopicRouteSet();
      events.prefixRoute('docs.', async function* (request) {
        routes.push(`${request.match}:${request.topic} via ${request.route?.match}:${request.route?.pattern}`);
        yield;
      });
      events.wildcardRoute('users..status', {});
      app.addTopicRoutes(events);
      const { url } = await serve(app, t);
      const client = await connectClient(url, kind);
      t.after(() => client.close());

      const docs = new EventLog();
      const statuses = new EventLog();
      const exact = new EventLog();
      await subscribe(client, 'docs.changes', docs.push, { match: 'prefix' }); // wampy refuses a prefix ending in a dot
      await subscribe(client, 'users..status', statuses.push, { match: 'wildcard' });
      await subscribe(client, 'docs.changes.42', exact.push);
      assert.deepEqual(routes, ['prefix:docs.changes via prefix:docs.', 'exact:docs.changes.42 via prefix:docs.']);

      app.publish('docs.changes.42', { args: ['edited'] });
      app.publish('docs.other', { args: ['not for the prefix subscription'] });
      app.publish('users.ada.status', { args: ['online'] });
      app.publish('users.ada.profile', { args: ['not a status'] });
      await docs.waitFor(1);
      await statuses.waitFor(1);
      await exact.waitFor(1);
      assert.equal(docs.events[0]!.details['topic'], 'docs.changes.42');
      assert.deepEqual(docs.events[0]!.args, ['edited']);
      assert.equal(statuses.events[0]!.details['topic'], 'users.ada.status');
      assert.deepEqual(statuses.events[0]!.args, ['online']);
      assert.deepEqual(exact.events[0]!.args, ['edited']);
      if (kind.client === 'wampy') assert.equal(exact.events[0]!.details['topic'], undefined); // exact EVENTs carry no topic

      // A wildcard subscription no route covers is refused.
      await assert.rejects(subscribe(client, 'users..profile', () => {}, { match: 'wildcard' }), { error: 'wamp.error.not_authorized' });
    });
  }
});
