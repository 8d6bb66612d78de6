import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Application, Realm, RPCRouteSet, type PendingSession } from '../src/index.js';
import { AUTH_CLIENTS, join, refusal } from './helpers/auth.js';
import { connectWampy } from './helpers/clients.js';
import { RawClient } from './helpers/raw-client.js';
import { serve } from './helpers/server.js';

const WAMPY = AUTH_CLIENTS.filter((kind) => kind.client === 'wampy');

function cookieAuthenticator(session: PendingSession): unknown {
  if (session.transportInfo.httpCookies['sid'] === 'jeff-session') {
    return { authid: 'jeff', authrole: 'customer', authmethod: 'cookie', name: 'Jeff' };
  }
  return undefined;
}

function whoami(): RPCRouteSet {
  const routes = new RPCRouteSet();
  routes.route('whoami', (request) => {
    const { session } = request;
    return { authid: session.authid, authrole: session.authrole, identity: session.identity as object };
  });
  return routes;
}

describe('transport authenticators', () => {
  for (const kind of WAMPY) {
    it(`authenticate ${kind.client}/${kind.serializer} by the cookie of the upgrade request`, async (t) => {
      const app = new Application().addTransportAuthenticator(cookieAuthenticator).addRPCRoutes(whoami());
      const { url } = await serve(app, t);
      const joined = await join(url, kind, { headers: { Cookie: 'theme=dark; sid=jeff-session' } });
      assert.equal(joined.details['authid'], 'jeff');
      assert.equal(joined.details['authrole'], 'customer');
      assert.equal(joined.details['authmethod'], 'cookie');
      assert.equal(joined.details['authprovider'], 'dynamic');
      await joined.close();
    });

    it(`refuse ${kind.client}/${kind.serializer} with a wrong cookie, saying only that authentication failed`, async (t) => {
      const app = new Application().addTransportAuthenticator(cookieAuthenticator);
      const { url } = await serve(app, t);
      const refused = await refusal(url, kind, { headers: { Cookie: 'sid=someone-else' } });
      assert.deepEqual(refused, { reason: 'wamp.error.authentication_failed', message: 'authentication failed' });
    });
  }

  it('give procedures the identity the authenticator returned', async (t) => {
    const app = new Application().addTransportAuthenticator(cookieAuthenticator).addRPCRoutes(whoami());
    const { url } = await serve(app, t);
    const wampy = await connectWampy(url, {
      ws: class extends (await import('ws')).default {
        constructor(address: string, protocols: string[]) {
          super(address, protocols, { headers: { Cookie: 'sid=jeff-session' } });
        }
      },
    });
    const result = await wampy.call('whoami');
    assert.deepEqual(result.argsDict, {
      authid: 'jeff',
      authrole: 'customer',
      identity: { authid: 'jeff', authrole: 'customer', authmethod: 'cookie', name: 'Jeff' },
    });
    await wampy.disconnect();
  });

  for (const kind of AUTH_CLIENTS.filter((k) => k.client === 'autobahn')) {
    it(`run in order and stop at the first identity (${kind.client}/${kind.serializer}, by peer address)`, async (t) => {
      const calls: string[] = [];
      const app = new Application()
        .addTransportAuthenticator(() => void calls.push('first'))
        .addTransportAuthenticator(async (session) => {
          calls.push('second');
          return session.transportInfo.peerAddress === '127.0.0.1' ? 'local-admin' : undefined;
        })
        .addTransportAuthenticator(() => void calls.push('third'));
      const { url } = await serve(app, t);
      const joined = await join(url, kind);
      assert.deepEqual(calls, ['first', 'second']);
      assert.equal(joined.details['authid'], 'local-admin'); // a string identity is the authid
      assert.equal(joined.details['authrole'], 'user');
      assert.equal(joined.details['authmethod'], 'transport');
      await joined.close();
    });
  }

  it('can use the authid claimed in HELLO and any header', async (t) => {
    const app = new Application().addTransportAuthenticator((session) =>
      session.transportInfo.httpHeaders['x-api-key'] === 'k-123' ? { authid: session.authid, authrole: 'service' } : undefined,
    );
    const { url } = await serve(app, t);
    const client = await RawClient.connect(url, 'wamp.2.json', { 'X-API-Key': 'k-123' });
    const welcome = await client.hello('realm1', { authid: 'billing', authmethods: ['anonymous'] });
    assert.equal(welcome[0], 2);
    assert.equal(welcome[2].authid, 'billing');
    assert.equal(welcome[2].authrole, 'service');
    client.close();
  });

  it('treat an authenticator that throws as a refusal, without telling the client why', async (t) => {
    const app = new Application().addTransportAuthenticator(() => {
      throw new Error('database password rejected');
    });
    const { url } = await serve(app, t);
    const client = await RawClient.connect(url);
    const abort = await client.hello();
    assert.deepEqual(abort, [3, { message: 'authentication failed' }, 'wamp.error.authentication_failed']);
    client.close();
  });

  it('apply only to the realm they were added to', async (t) => {
    const app = new Application();
    app.addRealm(new Realm('members').addTransportAuthenticator(cookieAuthenticator));
    const { url } = await serve(app, t);
    const refused = await refusal(url, { client: 'autobahn', serializer: 'json' }, { realm: 'members' });
    assert.equal(refused.reason, 'wamp.error.authentication_failed');
    const joined = await join(url, { client: 'autobahn', serializer: 'json' }, { realm: 'public' });
    assert.equal(joined.details['authmethod'], 'anonymous');
    await joined.close();
  });
});

describe('allowed origins', () => {
  it('refuse an upgrade from another site with HTTP 403, before any session exists', async (t) => {
    let authenticatorCalls = 0;
    const app = new Application().addTransportAuthenticator(() => {
      authenticatorCalls += 1;
      return 'someone';
    });
    const { url } = await serve(app, t, { allowedOrigins: ['https://app.example.com'] });
    await assert.rejects(RawClient.connect(url, 'wamp.2.json', { Origin: 'https://evil.example.net', Cookie: 'sid=x' }), (error: any) => {
      assert.equal(error.status, 403);
      return true;
    });
    assert.equal(authenticatorCalls, 0);
  });

  it('accept the allowed origins and clients that send no Origin', async (t) => {
    const app = new Application();
    const { url } = await serve(app, t, { allowedOrigins: ['https://APP.example.com:443/'] });
    const browser = await RawClient.connect(url, 'wamp.2.json', { Origin: 'https://app.example.com' });
    assert.equal((await browser.hello())[0], 2);
    browser.close();
    const joined = await join(url, { client: 'autobahn', serializer: 'json' });
    await joined.close();
  });

  it('can be a predicate', async (t) => {
    const app = new Application();
    const { url } = await serve(app, t, { allowedOrigins: (origin) => origin.endsWith('.example.com') });
    await assert.rejects(RawClient.connect(url, 'wamp.2.json', { Origin: 'https://example.org' }), { status: 403 });
    const client = await RawClient.connect(url, 'wamp.2.json', { Origin: 'https://shop.example.com' });
    client.close();
  });
});
