import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Application, craSignature, type PendingSession } from '../src/index.js';
import { deferred } from './helpers/auth.js';
import { RawClient } from './helpers/raw-client.js';
import { serve } from './helpers/server.js';

const PROTOCOL_VIOLATION = 'wamp.error.protocol_violation';

function craApp(options: ConstructorParameters<typeof Application>[0] = {}): Application {
  const app = new Application(options);
  app.setCRAHandlers(
    (session) => (session.authid === 'peter' ? { secret: 'secret123', role: 'user' } : undefined),
    (session) => ({ authid: session.authid }),
  );
  return app;
}

describe('authentication safeguards', () => {
  it('aborts a session that does not answer its CHALLENGE in time', async (t) => {
    const { url } = await serve(craApp({ authenticationTimeout: 50 }), t);
    const client = await RawClient.connect(url);
    const challenge = await client.hello('realm1', { authid: 'peter', authmethods: ['wampcra'] });
    assert.equal(challenge[0], 4);
    const abort = await client.next();
    assert.deepEqual(abort, [3, { message: 'authentication did not complete in time' }, 'wamp.error.authentication_failed']);
    await client.closed;
  });

  it('aborts a session whose authenticator never decides, and ignores its late decision', async (t) => {
    const decide = deferred();
    let pending: PendingSession | undefined;
    const app = new Application({ authenticationTimeout: 50 });
    app.addTransportAuthenticator(async (session) => {
      pending = session;
      await decide.promise;
      return 'too-late';
    });
    const { url } = await serve(app, t);
    const client = await RawClient.connect(url);
    assert.equal((await client.hello())[2], 'wamp.error.authentication_failed');
    await client.closed;
    assert.equal(pending?.signal.aborted, true);
    decide.resolve();
    pending?.markAuthenticated('too-late'); // settled: a no-op, not a crash
  });

  it('refuses an AUTHENTICATE replayed from another connection (fresh nonce and session per challenge)', async (t) => {
    const { url } = await serve(craApp(), t);
    const first = await RawClient.connect(url);
    const challenge = await first.hello('realm1', { authid: 'peter', authmethods: ['wampcra'] });
    const authenticate = [5, await craSignature('secret123', challenge[2].challenge), {}];
    first.send(authenticate);
    assert.equal((await first.next())[0], 2);
    first.close();

    const second = await RawClient.connect(url);
    assert.equal((await second.hello('realm1', { authid: 'peter', authmethods: ['wampcra'] }))[0], 4);
    second.send(authenticate);
    assert.deepEqual(await second.next(), [3, { message: 'authentication failed' }, 'wamp.error.authentication_failed']);
    second.close();
  });

  it('treats a second AUTHENTICATE for the same CHALLENGE as a protocol violation', async (t) => {
    const check = deferred<string>();
    const app = new Application();
    app.setTicketAuthenticator(async (_session, ticket) => (ticket === (await check.promise) ? 'ok' : undefined));
    const { url } = await serve(app, t);
    const client = await RawClient.connect(url);
    assert.equal((await client.hello('realm1', { authid: 'a', authmethods: ['ticket'] }))[0], 4);
    client.send([5, 'the-ticket', {}]);
    client.send([5, 'the-ticket', {}]);
    const abort = await client.next();
    assert.equal(abort[0], 3);
    assert.equal(abort[2], PROTOCOL_VIOLATION);
    assert.match(abort[1].message, /AUTHENTICATE received without a pending CHALLENGE/);
    check.resolve('the-ticket'); // the first answer, now moot, must not open the session
    assert.ok(await client.silent(100));
    await client.closed;
  });

  it('treats an AUTHENTICATE no CHALLENGE asked for as a protocol violation', async (t) => {
    const transportDecided = deferred<undefined>();
    const app = new Application();
    app.addTransportAuthenticator(() => transportDecided.promise);
    app.setTicketAuthenticator(() => 'ok');
    const { url } = await serve(app, t);

    const early = await RawClient.connect(url);
    early.send([1, 'realm1', { roles: { caller: {} }, authid: 'a', authmethods: ['ticket'] }]);
    early.send([5, 'guessing-ahead', {}]);
    const abort = await early.next();
    assert.deepEqual([abort[0], abort[2]], [3, PROTOCOL_VIOLATION]);
    assert.match(abort[1].message, /without a pending CHALLENGE/);
    early.close();

    const beforeHello = await RawClient.connect(url);
    beforeHello.send([5, 'x', {}]);
    assert.equal((await beforeHello.next())[2], PROTOCOL_VIOLATION);
    beforeHello.close();
    transportDecided.resolve(undefined);
  });

  it('treats an AUTHENTICATE on an established session as a protocol violation', async (t) => {
    const app = new Application();
    app.setTicketAuthenticator(() => 'ok');
    const { url } = await serve(app, t);
    const client = await RawClient.connect(url);
    await client.hello('realm1', { authid: 'a', authmethods: ['ticket'] });
    client.send([5, 't', {}]);
    assert.equal((await client.next())[0], 2);
    client.send([5, 't', {}]);
    assert.equal((await client.next())[2], PROTOCOL_VIOLATION);
    client.close();
  });

  it('stops authenticating when the client goes away mid-challenge', async (t) => {
    let pending: PendingSession | undefined;
    const app = new Application();
    app.setAuthenticationHandler(async (session) => {
      pending = session;
      await session.challenge('ticket');
      session.markAuthenticated('unreachable');
    });
    const { url } = await serve(app, t);
    const client = await RawClient.connect(url);
    assert.equal((await client.hello())[0], 4);
    client.close();
    await client.closed;
    for (let turn = 0; turn < 1000 && pending?.settled !== true; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(pending?.settled, true);
    assert.equal(pending.signal.aborted, true);
  });
});
