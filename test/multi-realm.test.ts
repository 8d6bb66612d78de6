import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMultiRealmApp, demoData } from '../examples/multi-realm.js';
import { AUTH_CLIENTS, join, refusal } from './helpers/auth.js';
import { connectAutobahn, connectWampy } from './helpers/clients.js';
import { serve } from './helpers/server.js';

const adminToken = demoData.adminTokens.get('root')!;

describe('the multi-realm example (guests, customers, admins)', () => {
  it('lets guests in anonymously, to the registration API only', async (t) => {
    const { url } = await serve(createMultiRealmApp(), t);
    const guest = await connectAutobahn(url, { realm: 'guests' });
    const result = await guest.session.call('account.register', [], { email: 'ada@example.com' });
    assert.deepEqual(result.kwargs, { registered: 'ada@example.com' });
    await assert.rejects(guest.session.call('admin.sessions'), { error: 'wamp.error.no_such_procedure' });
    await guest.close();
  });

  it('recognises customers by their cookie and refuses them without it', async (t) => {
    const { url } = await serve(createMultiRealmApp(), t, { allowedOrigins: ['https://shop.example.com'] });
    const wampy = AUTH_CLIENTS.find((kind) => kind.client === 'wampy')!;
    const customer = await join(url, wampy, { realm: 'customers', headers: { Cookie: 'sid=c0ffee', Origin: 'https://shop.example.com' } });
    assert.equal(customer.details['authid'], 'customer-42');
    assert.equal(customer.details['authmethod'], 'cookie');
    await customer.close();
    assert.equal((await refusal(url, wampy, { realm: 'customers' })).reason, 'wamp.error.authentication_failed');
    await assert.rejects(join(url, wampy, { realm: 'customers', headers: { Cookie: 'sid=c0ffee', Origin: 'https://evil.example' } }));
  });

  it('gives a customer their own account', async (t) => {
    const { url } = await serve(createMultiRealmApp(), t);
    const ws = (await import('ws')).default;
    const customer = await connectWampy(url, {
      realm: 'customers',
      ws: class extends ws {
        constructor(address: string, protocols: string[]) {
          super(address, protocols, { headers: { Cookie: 'sid=c0ffee' } });
        }
      },
    });
    const me = await customer.call('account.me');
    assert.equal(me.argsDict?.['name'], 'Ada');
    await customer.disconnect();
  });

  it('admits admins with their ticket, and lists the sessions of every realm to them', async (t) => {
    const { url } = await serve(createMultiRealmApp(), t);
    const guest = await connectAutobahn(url, { realm: 'guests' });
    const admin = await connectAutobahn(url, {
      realm: 'admins',
      authid: 'root',
      authmethods: ['ticket'],
      onchallenge: () => adminToken,
    });
    assert.equal(admin.details.authrole, 'admin');
    const sessions = await admin.session.call('admin.sessions');
    assert.deepEqual(sessions.args.map((session: any) => session.realm).sort(), ['admins', 'guests']);
    await admin.close();
    await guest.close();
    const refused = await refusal(url, AUTH_CLIENTS[0]!, { realm: 'admins', authid: 'root', authmethods: ['ticket'], onChallenge: () => 'nope' });
    assert.equal(refused.reason, 'wamp.error.authentication_failed');
  });

  it('refuses realms it does not serve', async (t) => {
    const { url } = await serve(createMultiRealmApp(), t);
    for (const kind of AUTH_CLIENTS) {
      assert.equal((await refusal(url, kind, { realm: 'realm1' })).reason, 'wamp.error.no_such_realm');
    }
  });
});
