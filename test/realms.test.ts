import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Application, Realm, RPCRouteSet } from '../src/index.js';
import { AUTH_CLIENTS, join, refusal } from './helpers/auth.js';
import { connectClient } from './helpers/clients.js';
import { serve } from './helpers/server.js';

function whereAmI(label: string): RPCRouteSet {
  const routes = new RPCRouteSet();
  routes.route('where', (request) => [label, request.session.realmName]);
  return routes;
}

describe('realms', () => {
  for (const kind of AUTH_CLIENTS) {
    describe(`${kind.client}/${kind.serializer}`, () => {
      it('serves a realm nobody configured from the default realm, anonymously', async (t) => {
        const app = new Application().addRPCRoutes(whereAmI('default'));
        app.addRealm(new Realm('guests').addRPCRoutes(whereAmI('guests')));
        const { url } = await serve(app, t);
        const client = await connectClient(url, kind, { realm: 'somewhere.else' });
        assert.deepEqual((await client.call('where')).args, ['default', 'somewhere.else']);
        await client.close();
        const joined = await join(url, kind, { realm: 'somewhere.else' });
        assert.equal(joined.details['authmethod'], 'anonymous');
        assert.equal(joined.details['authrole'], 'anonymous');
        assert.match(joined.details['authid'], /^anonymous-/);
        await joined.close();
      });

      it('routes a configured realm to its own procedures', async (t) => {
        const app = new Application().addRPCRoutes(whereAmI('default'));
        app.addRealm(new Realm('guests').addRPCRoutes(whereAmI('guests')));
        const { url } = await serve(app, t);
        const client = await connectClient(url, kind, { realm: 'guests' });
        assert.deepEqual((await client.call('where')).args, ['guests', 'guests']);
        await client.close();
      });

      it('refuses an unknown realm with wamp.error.no_such_realm when the default realm is off', async (t) => {
        const app = new Application({ allowDefaultRealm: false });
        app.addRealm(new Realm('guests'));
        const { url } = await serve(app, t);
        const refused = await refusal(url, kind, { realm: 'nowhere' });
        assert.equal(refused.reason, 'wamp.error.no_such_realm');
        const joined = await join(url, kind, { realm: 'guests' });
        await joined.close();
      });
    });
  }

});
