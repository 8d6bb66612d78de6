import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Application, Realm, RPCRouteSet } from '../src/index.js';
import { AUTH_CLIENTS, join, refusal } from './helpers/auth.js';
import { RawClient } from './helpers/raw-client.js';
import { serve } from './helpers/server.js';

describe('custom authentication handler', () => {
  for (const kind of AUTH_CLIENTS) {
    it(`can challenge twice and mark the session authenticated with any identity (${kind.client}/${kind.serializer})`, async (t) => {
      const app = new Application();
      app.setAuthenticationHandler(async (session) => {
        const password = await session.challenge('ticket');
        const code = await session.challenge('ticket', { second_factor: 'totp' });
        if (password.signature === 'pw' && code.signature === '123456') {
          session.markAuthenticated({ authid: `${session.authid}@2fa`, authrole: 'operator', factors: 2 });
        } else {
          session.abort('app.error.bad_second_factor', 'the one-time code is wrong');
        }
      });
      const routes = new RPCRouteSet();
      routes.route('identity', (request) => request.session.identity as Record<string, unknown>);
      app.addRPCRoutes(routes);
      const { url } = await serve(app, t);
      const joined = await join(url, kind, {
        authid: 'ops',
        authmethods: ['ticket'],
        onChallenge: (_method, extra) => (extra.second_factor === 'totp' ? '123456' : 'pw'),
      });
      assert.equal(joined.details['authid'], 'ops@2fa');
      assert.equal(joined.details['authrole'], 'operator');
      assert.equal(joined.details['authmethod'], 'ticket');
      await joined.close();

      const refused = await refusal(url, kind, { authid: 'ops', authmethods: ['ticket'], onChallenge: () => 'pw' });
      assert.deepEqual(refused, { reason: 'app.error.bad_second_factor', message: 'the one-time code is wrong' });
    });
  }

  it('can decide from the transport alone, as the example in the Python serverwamp docs does', async (t) => {
    const app = new Application();
    app.addRealm(
      new Realm('jeffs').setAuthenticationHandler((session) => {
        if (session.transportInfo.httpCookies['myName'] === 'Jeff') session.markAuthenticated({ name: 'Jeff' });
        else session.abort('wamp.error.authentication_failed', 'Who are you?');
      }),
    );
    const { url } = await serve(app, t);
    const jeff = await RawClient.connect(url, 'wamp.2.json', { Cookie: 'myName=Jeff' });
    const welcome = await jeff.hello('jeffs');
    assert.equal(welcome[0], 2);
    assert.equal(welcome[2].authmethod, 'custom');
    jeff.close();
    const stranger = await RawClient.connect(url, 'wamp.2.json', { Cookie: 'myName=Joe' });
    assert.deepEqual(await stranger.hello('jeffs'), [3, { message: 'Who are you?' }, 'wamp.error.authentication_failed']);
    stranger.close();
  });

  it('refuses the session when the handler returns or throws without deciding', async (t) => {
    const app = new Application();
    app.addRealm(new Realm('undecided').setAuthenticationHandler(() => undefined));
    app.addRealm(
      new Realm('broken').setAuthenticationHandler(() => {
        throw new Error('internal detail');
      }),
    );
    const { url } = await serve(app, t);
    for (const realm of ['undecided', 'broken']) {
      const client = await RawClient.connect(url);
      assert.deepEqual(await client.hello(realm), [3, { message: 'authentication failed' }, 'wamp.error.authentication_failed']);
      client.close();
    }
  });

  it('overrides the built-in authenticators of its realm', async (t) => {
    let ticketCalls = 0;
    const app = new Application();
    app.setTicketAuthenticator(() => {
      ticketCalls += 1;
      return 'never';
    });
    app.setAuthenticationHandler((session) => session.markAuthenticated('handler-user'));
    const { url } = await serve(app, t);
    const client = await RawClient.connect(url);
    const welcome = await client.hello('realm1', { authid: 'x', authmethods: ['ticket'] });
    assert.equal(welcome[2].authid, 'handler-user');
    assert.equal(ticketCalls, 0);
    client.close();
  });
});
