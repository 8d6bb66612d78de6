import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Application, RPCRouteSet, TopicRouteSet, WampError, type PublishRequest } from '../src/index.js';
import { CLIENTS, connectClient, type UniformClient } from './helpers/clients.js';
import { EventLog, publish, subscribe } from './helpers/pubsub.js';
import { serve } from './helpers/server.js';

const AUTOBAHN = CLIENTS[0]!;
const WAMPY = CLIENTS[2]!;

function sessionId(client: UniformClient): number {
  return client.name.startsWith('autobahn') ? client.raw.session.id : client.raw.getSessionId();
}

describe('publishing from the server', () => {
  it('delivers one app.publish to every subscribed session of every client and serializer, with one publication id', async (t) => {
    const app = new Application();
    app.addTopicRoutes(new TopicRouteSet().route('ticks', {}));
    const { url } = await serve(app, t);
    const clients: UniformClient[] = [];
    for (const kind of CLIENTS) for (let i = 0; i < 3; i++) clients.push(await connectClient(url, kind));
    t.after(() => Promise.all(clients.map((c) => c.close())));
    const logs = clients.map(() => new EventLog());
    const subscriptions = await Promise.all(clients.map((c, i) => subscribe(c, 'ticks', logs[i]!.push)));
    // Sessions subscribing to the same topic share the router-scope subscription.
    assert.equal(new Set(subscriptions.map((s) => s.id)).size, 1);

    const publicationId = app.publish('ticks', { args: ['AAPL', 187.5], kwargs: { currency: 'USD' } });
    await Promise.all(logs.map((log) => log.waitFor(1)));
    for (const log of logs) {
      assert.deepEqual(log.events[0]!.args, ['AAPL', 187.5]);
      assert.deepEqual(log.events[0]!.kwargs, { currency: 'USD' });
    }
    for (const [i, client] of clients.entries()) {
      if (client.name.startsWith('autobahn')) assert.equal(logs[i]!.events[0]!.details['publication'], publicationId);
    }
  });

  it('filters app.publish recipients with eligible, exclude and filter', async (t) => {
    const app = new Application();
    app.addTopicRoutes(new TopicRouteSet().route('alerts', {}));
    const { url } = await serve(app, t);
    const clients = [await connectClient(url, AUTOBAHN), await connectClient(url, WAMPY), await connectClient(url, AUTOBAHN)];
    t.after(() => Promise.all(clients.map((c) => c.close())));
    const logs = clients.map(() => new EventLog());
    await Promise.all(clients.map((c, i) => subscribe(c, 'alerts', logs[i]!.push)));
    const [a, b, c] = clients.map(sessionId) as [number, number, number];

    app.publish('alerts', { args: [1], eligible: [a, b] });
    app.publish('alerts', { args: [2], exclude: [app.getSession(a)!] });
    app.publish('alerts', { args: [3], filter: (session) => session.id === c });
    await logs[0]!.waitFor(1);
    await logs[1]!.waitFor(2);
    await logs[2]!.waitFor(2);
    assert.deepEqual(logs.map((log) => log.events.map((e) => e.args[0])), [[1], [1, 2], [2, 3]]);
  });

  it('session.sendEvent reaches only that session, and only if it subscribed to a matching topic', async (t) => {
    const app = new Application();
    app.addTopicRoutes(new TopicRouteSet().route('job.events', {}).prefixRoute('job.', {}));
    const { url } = await serve(app, t);
    const [one, two] = [await connectClient(url, AUTOBAHN), await connectClient(url, WAMPY)];
    t.after(() => Promise.all([one.close(), two.close()]));
    const exact = new EventLog();
    const prefix = new EventLog();
    await subscribe(one, 'job.events', exact.push);
    await subscribe(one, 'job.', prefix.push, { match: 'prefix' });

    const session = app.getSession(sessionId(one))!;
    assert.equal(session.sendEvent('job.events', { kwargs: { jobStatus: 'STARTED' } }), true);
    assert.equal(app.getSession(sessionId(two))!.sendEvent('job.events'), false);
    await exact.waitFor(1);
    await prefix.waitFor(1);
    assert.deepEqual(exact.events[0]!.kwargs, { jobStatus: 'STARTED' });
    assert.equal(prefix.events[0]!.details['topic'], 'job.events');
    // One publication, delivered once per matching subscription.
    assert.equal(exact.events[0]!.details['publication'], prefix.events[0]!.details['publication']);
    assert.throws(() => session.sendEvent('not a uri'), { code: 'ERR_INVALID_URI' });
  });
});

describe('publishing from clients', () => {
  function chatApp() {
    const app = new Application();
    const received: PublishRequest[] = [];
    const events = new TopicRouteSet();
    events.route('chat.room', {
      publish(request) {
        received.push(request);
        if (request.args[0] === 'shout') throw new WampError('chat.error.too_loud', { args: ['no shouting'] });
        if (request.args[0] === 'secret') return; // consumed, not forwarded
        request.forward();
      },
    });
    events.route('chat.announcements', {});
    app.addTopicRoutes(events);
    return { app, received };
  }

  it('acknowledges, forwards to the other subscribers, and leaves the publisher out unless exclude_me is false', async (t) => {
    const { app } = chatApp();
    const { url } = await serve(app, t);
    const clients = [await connectClient(url, AUTOBAHN), await connectClient(url, WAMPY), await connectClient(url, CLIENTS[4]!)];
    t.after(() => Promise.all(clients.map((c) => c.close())));
    const logs = clients.map(() => new EventLog());
    await Promise.all(clients.map((c, i) => subscribe(c, 'chat.room', logs[i]!.push)));
    const [ab, wampy] = clients as [UniformClient, UniformClient];

    const publicationId = await publish(ab, 'chat.room', ['hi from autobahn']);
    await logs[1]!.waitFor(1);
    await logs[2]!.waitFor(1);
    await publish(wampy, 'chat.room', ['hi from wampy']); // wampy always asks for acknowledgement
    await logs[0]!.waitFor(1);
    await publish(ab, 'chat.room', ['echo'], {}, { exclude_me: false });
    await logs[0]!.waitFor(2);
    await logs[2]!.waitFor(3);
    assert.deepEqual(logs[0]!.events.map((e) => e.args[0]), ['hi from wampy', 'echo']);
    assert.deepEqual(logs[1]!.events.map((e) => e.args[0]), ['hi from autobahn', 'echo']);
    assert.deepEqual(logs[2]!.events.map((e) => e.args[0]), ['hi from autobahn', 'hi from wampy', 'echo']);
    assert.equal(typeof publicationId, 'number');
  });

  it('applies eligible, exclude and disclose_me from the publisher', async (t) => {
    const { app } = chatApp();
    const { url } = await serve(app, t);
    const clients = [await connectClient(url, AUTOBAHN), await connectClient(url, AUTOBAHN), await connectClient(url, WAMPY)];
    t.after(() => Promise.all(clients.map((c) => c.close())));
    const logs = clients.map(() => new EventLog());
    await Promise.all(clients.map((c, i) => subscribe(c, 'chat.room', logs[i]!.push)));
    const [publisher, b] = clients as [UniformClient, UniformClient];

    await publish(publisher, 'chat.room', ['for b'], {}, { eligible: [sessionId(b)] });
    await publish(publisher, 'chat.room', ['not for b'], {}, { exclude: [sessionId(b)] });
    await publish(publisher, 'chat.room', ['signed'], {}, { disclose_me: true });
    await logs[1]!.waitFor(2);
    await logs[2]!.waitFor(2);
    assert.deepEqual(logs[1]!.events.map((e) => e.args[0]), ['for b', 'signed']);
    assert.deepEqual(logs[2]!.events.map((e) => e.args[0]), ['not for b', 'signed']);
    assert.equal(logs[1]!.events[1]!.details['publisher'], sessionId(publisher));
    assert.equal(logs[1]!.events[0]!.details['publisher'], undefined);
    assert.equal(logs[0]!.events.length, 0);
  });

  it('refuses publications with no handler, refused by the handler, and consumes those it does not forward', async (t) => {
    const { app, received } = chatApp();
    const { url } = await serve(app, t);
    for (const kind of [AUTOBAHN, WAMPY]) {
      const client = await connectClient(url, kind);
      t.after(() => client.close());
      await assert.rejects(publish(client, 'chat.announcements', ['hello?']), { error: 'wamp.error.not_authorized' });
      await assert.rejects(publish(client, 'nowhere', ['hello?']), { error: 'wamp.error.not_authorized' });
      await assert.rejects(publish(client, 'chat.room', ['shout']), { error: 'chat.error.too_loud', args: ['no shouting'] });
      await publish(client, 'chat.room', ['secret']);
    }
    assert.deepEqual(received.map((r) => r.args[0]), ['shout', 'secret', 'shout', 'secret']);
    assert.equal(received[1]!.acknowledge, true);
    assert.equal(received[1]!.publisher.session, received[1]!.session.id);
  });
});

describe('ordering', () => {
  for (const kind of CLIENTS) {
    const name = `${kind.client}/${kind.serializer}`;
    it(`${name}: events published inside a procedure arrive before its RESULT`, async (t) => {
      const app = new Application();
      app.addTopicRoutes(new TopicRouteSet().route('job.progress', {}));
      const routes = new RPCRouteSet();
      routes.route('job.run', async (request) => {
        await Promise.resolve();
        for (let step = 1; step <= 50; step++) {
          if (step % 2 === 0) app.publish('job.progress', { args: [step] });
          else request.session.sendEvent('job.progress', { args: [step] });
        }
        return 'done';
      });
      app.addRPCRoutes(routes);
      const { url } = await serve(app, t);
      const client = await connectClient(url, kind);
      t.after(() => client.close());
      const progress = new EventLog();
      await subscribe(client, 'job.progress', progress.push);

      const result = await client.call('job.run');
      assert.deepEqual(result.args, ['done']);
      assert.deepEqual(progress.events.map((e) => e.args[0]), Array.from({ length: 50 }, (_, i) => i + 1));
    });
  }
});
