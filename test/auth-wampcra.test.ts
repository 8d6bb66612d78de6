import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sign as wampyCRASign } from 'wampy/wampcra.js';
import { Application, craSignature, deriveCRAKey, type CRAAuthRequirement } from '../src/index.js';
import { AUTH_CLIENTS, join, recordingLogger, refusal, type ClientKind, type Credentials } from './helpers/auth.js';
import { autobahn } from './helpers/clients.js';
import { RawClient } from './helpers/raw-client.js';
import { serve } from './helpers/server.js';

const SALT = 'salt123';

/** The users: an unsalted secret, a salted one the server derives, and a stored derived key. */
async function users(): Promise<Record<string, CRAAuthRequirement>> {
  return {
    peter: { secret: 'secret123', role: 'user', provider: 'userdb' },
    mary: { secret: 'mary-pw', salt: SALT, iterations: 1000, keylen: 32, role: 'manager' },
    paul: { derivedKey: await deriveCRAKey('paul-pw', SALT, 500, 16), salt: SALT, iterations: 500, keylen: 16, role: 'admin' },
  };
}

async function craApp(logger = recordingLogger()): Promise<Application> {
  const db = await users();
  const app = new Application({ logger });
  app.setCRAHandlers(
    (session) => (session.authid === undefined ? undefined : db[session.authid]),
    (session) => ({ name: session.authid, authextra: { greeting: `hello ${session.authid}` } }),
  );
  return app;
}

/** How each client answers a wampcra CHALLENGE with its own implementation. */
function craCredentials(kind: ClientKind, authid: string, secret: string): Credentials {
  const onChallenge =
    kind.client === 'autobahn'
      ? (_method: string, extra: any) => {
          const key = extra.salt ? autobahn.auth_cra.derive_key(secret, extra.salt, extra.iterations, extra.keylen) : secret;
          return autobahn.auth_cra.sign(key, extra.challenge) as string;
        }
      : wampyCRASign(secret);
  return { authid, authmethods: ['wampcra'], onChallenge };
}

describe('WAMP-CRA', () => {
  for (const kind of AUTH_CLIENTS) {
    describe(`${kind.client}/${kind.serializer}`, () => {
      it('welcomes an unsalted secret with the signed authid, role and provider', async (t) => {
        const { url } = await serve(await craApp(), t);
        const joined = await join(url, kind, craCredentials(kind, 'peter', 'secret123'));
        assert.equal(joined.details['authid'], 'peter');
        assert.equal(joined.details['authrole'], 'user');
        assert.equal(joined.details['authmethod'], 'wampcra');
        assert.equal(joined.details['authprovider'], 'userdb');
        assert.deepEqual(joined.details['authextra'], { greeting: 'hello peter' });
        await joined.close();
      });

      it('welcomes a salted secret, derived by the server', async (t) => {
        const { url } = await serve(await craApp(), t);
        const joined = await join(url, kind, craCredentials(kind, 'mary', 'mary-pw'));
        assert.equal(joined.details['authrole'], 'manager');
        await joined.close();
      });

      it('welcomes a salted secret stored only as its derived key', async (t) => {
        const { url } = await serve(await craApp(), t);
        const joined = await join(url, kind, craCredentials(kind, 'paul', 'paul-pw'));
        assert.equal(joined.details['authrole'], 'admin');
        await joined.close();
      });

      it('refuses a wrong secret and an unknown authid alike', async (t) => {
        const logger = recordingLogger();
        const { url } = await serve(await craApp(logger), t);
        const wrong = await refusal(url, kind, craCredentials(kind, 'mary', 'not-marys-pw'));
        const unknown = await refusal(url, kind, craCredentials(kind, 'nobody', 'whatever'));
        assert.deepEqual(wrong, { reason: 'wamp.error.authentication_failed', message: 'authentication failed' });
        assert.deepEqual(unknown, wrong);
        const logged = logger.records.join('\n');
        assert.ok(!logged.includes('mary-pw') && !logged.includes('secret123'), 'secrets must not be logged');
      });
    });
  }

  it('challenges with every field the spec requires, and a fresh nonce each time', async (t) => {
    const { url } = await serve(await craApp(), t);
    const challenges: any[] = [];
    for (let i = 0; i < 2; i += 1) {
      const credentials = craCredentials(AUTH_CLIENTS[0]!, 'mary', 'mary-pw');
      const answer = credentials.onChallenge!;
      const joined = await join(url, AUTH_CLIENTS[0]!, {
        ...credentials,
        onChallenge: (method, extra) => {
          challenges.push(extra);
          return answer(method, extra);
        },
      });
      await joined.close();
    }
    const [first, second] = challenges.map((extra) => ({ ...extra, challenge: JSON.parse(extra.challenge) }));
    assert.deepEqual(Object.keys(first.challenge).sort(), ['authid', 'authmethod', 'authprovider', 'authrole', 'nonce', 'session', 'timestamp']);
    assert.equal(first.challenge.authmethod, 'wampcra');
    assert.equal(first.challenge.authid, 'mary');
    assert.match(first.challenge.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual([first.salt, first.iterations, first.keylen], [SALT, 1000, 32]);
    assert.notEqual(first.challenge.nonce, second.challenge.nonce);
    assert.notEqual(first.challenge.session, second.challenge.session);
  });

  it('welcomes with the session id it signed in the challenge', async (t) => {
    const { url } = await serve(await craApp(), t);
    const client = await RawClient.connect(url, 'wamp.2.msgpack');
    const challenge = await client.hello('realm1', { authid: 'peter', authmethods: ['wampcra'] });
    assert.equal(challenge[0], 4);
    assert.equal(challenge[1], 'wampcra');
    client.send([5, craSignature('secret123', challenge[2].challenge), {}]);
    const welcome = await client.next();
    assert.equal(welcome[0], 2);
    assert.equal(welcome[1], JSON.parse(challenge[2].challenge).session);
    client.close();
  });
});
