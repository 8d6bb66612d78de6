/**
 * `limits.maxSessions` and `limits.maxSessionsPerRealm` as clients see them:
 * a HELLO over a limit gets ABORT `serverwamp.error.too_many_sessions`
 * naming the limit, sessions still authenticating hold their place, a slot
 * comes back when a session ends, and each refusal is counted.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Application, Realm, silentLogger } from '../src/index.js';
import { connectAutobahn, connectWampy } from './helpers/clients.js';
import { RawClient } from './helpers/raw-client.js';
import { serve } from './helpers/server.js';

const WELCOME = 2;
const ABORT = 3;
const CHALLENGE = 4;
const GOODBYE = 6;

/** Resolves once `check` holds; fails after `ms`. */
async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('limits.maxSessions', () => {
  it('aborts the HELLO over it (autobahn-js sees the reason and message), and takes a new session once one has left', async (t) => {
    const app = new Application({ logger: silentLogger, limits: { maxSessions: 2 } });
    const { url } = await serve(app, t);
    const first = await connectAutobahn(url);
    const second = await connectWampy(url);
    t.after(() => second.disconnect().catch(() => undefined));
    const refused = await connectAutobahn(url).then(
      () => assert.fail('a third session should be refused'),
      (error: { reason: string; details: { reason: string; message: string } }) => error,
    );
    assert.equal(refused.details.reason, 'serverwamp.error.too_many_sessions');
    assert.match(refused.details.message, /session limit \(maxSessions 2\)/);
    assert.deepEqual(app.refusals.maxSessions, 1);
    await first.close();
    await until(() => app.health().sessions === 1, 'the first session to end');
    const third = await connectAutobahn(url);
    t.after(() => third.close());
    assert.equal(app.health().sessions, 2);
  });

  it('counts sessions still authenticating, and gives their place back when the transport closes', async (t) => {
    const app = new Application({ logger: silentLogger, limits: { maxSessions: 1 } });
    app.setTicketAuthenticator((_session, ticket) => (ticket === 'ok' ? { authid: 'a', authrole: 'user' } : undefined));
    const { url } = await serve(app, t);
    const pending = await RawClient.connect(url);
    assert.equal((await pending.hello('realm1', { authmethods: ['ticket'], authid: 'a' }))[0], CHALLENGE);
    const other = await RawClient.connect(url);
    t.after(() => other.close());
    const abort = await other.hello('realm1', { authmethods: ['ticket'], authid: 'b' });
    assert.deepEqual([abort[0], abort[2]], [ABORT, 'serverwamp.error.too_many_sessions']);
    assert.equal((await other.closed).code, 1000);
    pending.close();
    await pending.closed;
    const next = await RawClient.connect(url);
    t.after(() => next.close());
    await until(() => app.health().connections === 1, 'the pending connection to close');
    assert.equal((await next.hello('realm1', { authmethods: ['ticket'], authid: 'a' }))[0], CHALLENGE, 'the slot came back');
  });

  it('gives the slot back on GOODBYE, so the same connection can open a new session', async (t) => {
    const app = new Application({ logger: silentLogger, limits: { maxSessions: 1 } });
    const { url } = await serve(app, t);
    const client = await RawClient.connect(url);
    t.after(() => client.close());
    assert.equal((await client.hello())[0], WELCOME);
    client.send([GOODBYE, {}, 'wamp.close.close_realm']);
    assert.equal((await client.next())[0], GOODBYE);
    assert.equal((await client.hello())[0], WELCOME);
  });
});

describe('limits.maxSessionsPerRealm', () => {
  it('limits each realm on its own: a full realm refuses, another still welcomes', async (t) => {
    const app = new Application({ logger: silentLogger, allowDefaultRealm: false, limits: { maxSessionsPerRealm: 1 } });
    app.addRealm(new Realm('alpha')).addRealm(new Realm('beta'));
    const { url } = await serve(app, t);
    const a = await connectWampy(url, { realm: 'alpha' });
    t.after(() => a.disconnect().catch(() => undefined));
    const refused = await connectAutobahn(url, { realm: 'alpha' }).then(
      () => assert.fail('a second session in alpha should be refused'),
      (error: { details: { reason: string; message: string } }) => error.details,
    );
    assert.equal(refused.reason, 'serverwamp.error.too_many_sessions');
    assert.match(refused.message, /this realm has reached its session limit \(maxSessionsPerRealm 1\)/);
    const b = await connectAutobahn(url, { realm: 'beta' });
    t.after(() => b.close());
    assert.deepEqual([app.refusals.maxSessionsPerRealm, app.refusals.maxSessions], [1, 0]);
  });

  it('counts a realm by the realm serving it: clients naming different unknown realms share the default realm', async (t) => {
    const app = new Application({ logger: silentLogger, limits: { maxSessionsPerRealm: 1 } });
    const { url } = await serve(app, t);
    const first = await RawClient.connect(url);
    t.after(() => first.close());
    assert.equal((await first.hello('some.realm'))[0], WELCOME);
    const second = await RawClient.connect(url);
    t.after(() => second.close());
    const abort = await second.hello('another.realm');
    assert.deepEqual([abort[0], abort[2]], [ABORT, 'serverwamp.error.too_many_sessions']);
  });
});
