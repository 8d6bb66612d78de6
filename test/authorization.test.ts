/**
 * Authorization: a realm's authorizer decides every call, subscription and
 * publication; refusals reach real clients as wamp.error.not_authorized and
 * failures as wamp.error.authorization_failed, with nothing disclosed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Application, Realm, RPCRouteSet, TopicRouteSet, type AuthorizationRequest } from '../src/index.js';
import { connectAutobahn, connectWampy } from './helpers/clients.js';
import { RawClient } from './helpers/raw-client.js';
import { serve } from './helpers/server.js';

function createApp(asked: AuthorizationRequest[]): Application {
  const app = new Application();
  const routes = new RPCRouteSet();
  routes.route('public.echo', (request) => request.args);
  routes.route('admin.reset', () => 'reset');
  routes.route('broken.check', () => 'never');
  app.addRPCRoutes(routes);
  const topics = new TopicRouteSet();
  topics.prefixRoute('news.', { publish: (request) => void request.forward() });
  topics.prefixRoute('admin.', { publish: (request) => void request.forward() });
  app.addTopicRoutes(topics);
  app.setAuthorizer(async ({ session, action, uri, match, options }) => {
    asked.push({ session, action, uri, match, options });
    if (uri.startsWith('broken.')) throw new Error('the policy database is down: password=hunter2');
    await Promise.resolve();
    return !uri.startsWith('admin.') || session.authrole === 'admin';
  });
  return app;
}

describe('authorization', () => {
  it('refuses calls, subscriptions and publications the authorizer denies (autobahn-js)', async (t) => {
    const asked: AuthorizationRequest[] = [];
    const { url } = await serve(createApp(asked), t);
    const { session, close } = await connectAutobahn(url);
    assert.deepEqual(await session.call('public.echo', [1]), 1);
    await assert.rejects(session.call('admin.reset'), (e: any) => {
      assert.equal(e.error, 'wamp.error.not_authorized');
      assert.deepEqual(e.args, ['not authorized to call admin.reset']);
      return true;
    });
    await assert.rejects(session.subscribe('admin.alerts', () => {}), (e: any) => e.error === 'wamp.error.not_authorized');
    const subscription = await session.subscribe('news.', () => {}, { match: 'prefix' });
    assert.ok(subscription.id >= 1);
    await assert.rejects(session.publish('admin.alerts', ['x'], {}, { acknowledge: true }), (e: any) => e.error === 'wamp.error.not_authorized');
    await session.publish('news.today', ['ok'], {}, { acknowledge: true });
    assert.deepEqual(
      asked.map((a) => [a.action, a.uri, a.match]),
      [
        ['call', 'public.echo', 'exact'],
        ['call', 'admin.reset', 'exact'],
        ['subscribe', 'admin.alerts', 'exact'],
        ['subscribe', 'news.', 'prefix'],
        ['publish', 'admin.alerts', 'exact'],
        ['publish', 'news.today', 'exact'],
      ],
    );
    assert.equal(asked[0]!.session.authrole, 'anonymous');
    await close();
  });

  it('an authorizer that fails answers authorization_failed and discloses nothing (wampy)', async (t) => {
    const { url } = await serve(createApp([]), t);
    const wampy = await connectWampy(url, { serializer: 'msgpack' });
    await assert.rejects(wampy.call('broken.check'), (e: any) => {
      assert.equal(e.errorUri, 'wamp.error.authorization_failed');
      assert.doesNotMatch(JSON.stringify(e.argsList), /hunter2|database/);
      return true;
    });
    assert.deepEqual((await wampy.call('public.echo', ['still fine'])).argsList, ['still fine']);
    await wampy.disconnect();
  });

  it('a synchronous authorizer decides without a round trip, per realm, and allows admins', async (t) => {
    const app = new Application();
    const admins = new Realm('admins');
    const routes = new RPCRouteSet().route('admin.reset', () => 'reset');
    admins.addRPCRoutes(routes);
    admins.addTransportAuthenticator(({ transportInfo }) =>
      transportInfo.httpHeaders['x-role'] === 'admin' ? { authrole: 'admin', authid: 'root' } : undefined,
    );
    admins.setAuthorizer(({ session }) => session.authrole === 'admin');
    app.addRealm(admins);
    app.addRPCRoutes(routes);
    app.setAuthorizer(() => false);
    const { url } = await serve(app, t);
    const admin = await RawClient.connect(url, 'wamp.2.json', { 'x-role': 'admin' });
    await admin.hello('admins');
    admin.send([48, 1, {}, 'admin.reset']);
    assert.deepEqual(await admin.next(), [50, 1, {}, ['reset']]);
    const guest = await RawClient.connect(url);
    await guest.hello('realm1');
    guest.send([48, 1, {}, 'admin.reset']);
    assert.deepEqual((await guest.next()).slice(0, 5), [8, 48, 1, {}, 'wamp.error.not_authorized']);
    admin.close();
    guest.close();
  });
});
