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
    client.send([5, await craSignature('secret123', challenge[2].challenge), {}]);
    const welcome = await client.next();
    assert.equal(welcome[0], 2);
    assert.equal(welcome[1], JSON.parse(challenge[2].challenge).session);
    client.close();
  });
});

describe('WAMP-CRA does not reveal which authids exist', () => {
  /** The CHALLENGE extra for `authid` over raw frames, with its signed challenge parsed; the session is then refused. */
  async function challengeFor(url: string, authid: string): Promise<{ extra: Record<string, any>; signed: Record<string, any>; abort: any[] }> {
    const client = await RawClient.connect(url, 'wamp.2.json');
    const challenge = await client.hello('realm1', { authid, authmethods: ['wampcra'] });
    assert.equal(challenge[0], 4, `CHALLENGE for ${authid}`);
    const extra = challenge[2] as Record<string, any>;
    const key = extra['salt'] ? await deriveCRAKey('a guess', extra['salt'], extra['iterations'], extra['keylen']) : 'a guess';
    client.send([5, await craSignature(key, extra['challenge']), {}]);
    const abort = await client.next();
    client.close();
    return { extra, signed: JSON.parse(extra['challenge']), abort };
  }

  function shape(value: Record<string, any>): Record<string, string> {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, typeof value[key]]));
  }

  async function decoyApp(options?: Parameters<Application['setCRAHandlers']>[2]): Promise<Application> {
    const db = await users();
    const app = new Application({ logger: recordingLogger() });
    app.setCRAHandlers((session) => db[session.authid!], (session) => ({ name: session.authid }), options);
    return app;
  }

  it('challenges an unknown authid exactly like a known salted one, with the configured role', async (t) => {
    const { url } = await serve(await decoyApp({ unknownUsers: { role: 'manager' } }), t);
    const known = await challengeFor(url, 'mary');
    const unknown = await challengeFor(url, 'nobody');
    assert.deepEqual(shape(unknown.extra), shape(known.extra));
    assert.deepEqual(shape(unknown.signed), shape(known.signed));
    assert.deepEqual(Object.keys(unknown.extra).sort(), ['challenge', 'iterations', 'keylen', 'salt']);
    assert.deepEqual([unknown.extra['iterations'], unknown.extra['keylen']], [known.extra['iterations'], known.extra['keylen']]);
    assert.equal(unknown.signed['authrole'], 'manager');
    assert.equal(unknown.signed['authprovider'], known.signed['authprovider']);
    assert.match(unknown.extra['salt'], /^[A-Za-z0-9+/]{22}==$/);
    assert.deepEqual(unknown.abort, known.abort, 'both are refused the same way');
    assert.deepEqual(unknown.abort.slice(2), ['wamp.error.authentication_failed']);
  });

  it('gives an unknown authid the same salt and parameters each time, and a fresh nonce', async (t) => {
    const { url } = await serve(await decoyApp(), t);
    const first = await challengeFor(url, 'nobody');
    const second = await challengeFor(url, 'nobody');
    const other = await challengeFor(url, 'somebody-else');
    assert.deepEqual(
      [first.extra['salt'], first.extra['iterations'], first.extra['keylen']],
      [second.extra['salt'], second.extra['iterations'], second.extra['keylen']],
    );
    assert.deepEqual([first.extra['iterations'], first.extra['keylen']], [1000, 32]);
    assert.equal(first.signed['authrole'], 'user', 'the default decoy role');
    assert.notEqual(first.signed['nonce'], second.signed['nonce']);
    assert.notEqual(first.extra['salt'], other.extra['salt'], 'each authid has its own salt');
  });

  it('derives the decoy salt from decoySecret, so every process shows the same one', async (t) => {
    const decoySecret = 'a shared secret of the deployment';
    const one = await serve(await decoyApp({ decoySecret }), t);
    const two = await serve(await decoyApp({ decoySecret }), t);
    const three = await serve(await decoyApp(), t);
    const salts = await Promise.all([one.url, two.url, three.url].map(async (url) => (await challengeFor(url, 'nobody')).extra['salt']));
    assert.equal(salts[0], salts[1]);
    assert.notEqual(salts[0], salts[2]);
  });

  it('follows a realm of unsalted secrets when told so', async (t) => {
    const { url } = await serve(await decoyApp({ unknownUsers: { salted: false, role: 'user', provider: 'userdb' } }), t);
    const known = await challengeFor(url, 'peter');
    const unknown = await challengeFor(url, 'nobody');
    assert.deepEqual(shape(unknown.extra), shape(known.extra));
    assert.deepEqual(Object.keys(unknown.extra), ['challenge']);
    assert.deepEqual([unknown.signed['authrole'], unknown.signed['authprovider']], ['user', 'userdb']);
  });

  it('refuses an unknown authid that answers the decoy as its password would', async (t) => {
    const { url } = await serve(await decoyApp(), t);
    for (const kind of AUTH_CLIENTS) {
      assert.deepEqual(await refusal(url, kind, craCredentials(kind, 'nobody', 'whatever')), {
        reason: 'wamp.error.authentication_failed',
        message: 'authentication failed',
      });
    }
  });

  it('rejects malformed options with ERR_INVALID_OPTION', () => {
    const app = new Application();
    const provider = (): undefined => undefined;
    for (const options of [
      { decoySecret: 'short' },
      { decoySecret: 42 },
      { unknownUsers: { iterations: 0 } },
      { unknownUsers: { iterations: 1.5 } },
      { unknownUsers: { keylen: 1e9 } },
      { unknownUsers: { role: '' } },
      { unknownUsers: { salted: 'yes' } },
      { unknownUsers: null },
    ]) {
      assert.throws(() => app.setCRAHandlers(provider, provider, options as any), { name: 'ServerwampError', code: 'ERR_INVALID_OPTION' }, JSON.stringify(options));
    }
  });

  it('takes as long to challenge an unknown authid as a known one (measured, reported)', async (t) => {
    // A realm whose users are stored as derived keys: the server would do no PBKDF2 for them,
    // and the decoy's derivation alone would give unknown authids away.
    const derivedKey = await deriveCRAKey('pw', 'salt', 20_000, 32);
    const app = new Application({ logger: recordingLogger() });
    app.setCRAHandlers(
      (session) => (session.authid === 'known' ? { derivedKey, salt: 'salt', iterations: 20_000, keylen: 32, role: 'user' } : undefined),
      () => ({}),
      { unknownUsers: { iterations: 20_000 } },
    );
    const { url } = await serve(app, t);
    const timeToChallenge = async (authid: string): Promise<number> => {
      const client = await RawClient.connect(url, 'wamp.2.json');
      const started = performance.now();
      const challenge = await client.hello('realm1', { authid, authmethods: ['wampcra'] });
      const elapsed = performance.now() - started;
      assert.equal(challenge[0], 4);
      client.close();
      return elapsed;
    };
    const median = (values: number[]): number => values.sort((a, b) => a - b)[values.length >> 1]!;
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 15; i += 1) {
      known.push(await timeToChallenge('known'));
      unknown.push(await timeToChallenge(`nobody-${i}`));
    }
    const [k, u] = [median(known), median(unknown)];
    t.diagnostic(`median time to CHALLENGE (PBKDF2 20000 iterations): known ${k.toFixed(2)} ms, unknown ${u.toFixed(2)} ms`);
    // Only a gross difference is asserted (a missing derivation costs several times the rest); the figures are reported.
    assert.ok(k > u / 3 && u > k / 3, `known ${k.toFixed(2)} ms vs unknown ${u.toFixed(2)} ms`);
  });
});
