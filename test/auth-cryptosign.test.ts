import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { sign as wampyCryptosignSign } from 'wampy/cryptosign.js';
import { Application } from '../src/index.js';
import { AUTH_CLIENTS, join, refusal, type ClientKind, type Credentials } from './helpers/auth.js';
import { autobahn } from './helpers/clients.js';
import { RawClient } from './helpers/raw-client.js';
import { serve } from './helpers/server.js';

interface KeyPair {
  seed: string;
  pubkey: string;
}

function newKeyPair(): KeyPair {
  const seed = randomBytes(32);
  const pair = autobahn.nacl.sign.keyPair.fromSeed(new Uint8Array(seed));
  return { seed: seed.toString('hex'), pubkey: autobahn.auth_cryptosign.public_key(pair) };
}

/** How each client answers a cryptosign CHALLENGE with its own implementation. */
function cryptosignCredentials(kind: ClientKind, keys: KeyPair, authid?: string): Credentials {
  if (kind.client === 'autobahn') {
    const pair = autobahn.nacl.sign.keyPair.fromSeed(new Uint8Array(Buffer.from(keys.seed, 'hex')));
    return {
      ...(authid === undefined ? {} : { authid }),
      authmethods: ['cryptosign'],
      authextra: { pubkey: autobahn.auth_cryptosign.public_key(pair), channel_binding: null, trustroot: null, challenge: null },
      onChallenge: (_method, extra) => autobahn.auth_cryptosign.sign_challenge(pair, extra),
    };
  }
  // wampy sends authextra only with an authid, and needs its authextra spelled out.
  return {
    authid: authid ?? 'device',
    authmethods: ['cryptosign'],
    authextra: { pubkey: keys.pubkey },
    onChallenge: wampyCryptosignSign(keys.seed) as NonNullable<Credentials['onChallenge']>,
  };
}

function cryptosignApp(known: KeyPair): Application {
  const app = new Application();
  app.setCryptosignAuthenticator((session, pubkey) =>
    pubkey === known.pubkey ? { authrole: 'device', authextra: { pubkey }, owner: 'plant-7' } : undefined,
  );
  return app;
}

describe('WAMP-Cryptosign', () => {
  for (const kind of AUTH_CLIENTS) {
    describe(`${kind.client}/${kind.serializer}`, () => {
      it('welcomes the holder of a known key', async (t) => {
        const keys = newKeyPair();
        const { url } = await serve(cryptosignApp(keys), t);
        const joined = await join(url, kind, cryptosignCredentials(kind, keys, 'sensor-1'));
        assert.equal(joined.details['authid'], 'sensor-1');
        assert.equal(joined.details['authrole'], 'device');
        assert.equal(joined.details['authmethod'], 'cryptosign');
        assert.deepEqual(joined.details['authextra'], { pubkey: keys.pubkey });
        await joined.close();
      });

      it('refuses a key the application does not know', async (t) => {
        const { url } = await serve(cryptosignApp(newKeyPair()), t);
        const refused = await refusal(url, kind, cryptosignCredentials(kind, newKeyPair(), 'sensor-2'));
        assert.deepEqual(refused, { reason: 'wamp.error.authentication_failed', message: 'authentication failed' });
      });
    });
  }

  it('uses the public key as the authid when the client names none (autobahn)', async (t) => {
    const keys = newKeyPair();
    const { url } = await serve(cryptosignApp(keys), t);
    const joined = await join(url, AUTH_CLIENTS[1]!, cryptosignCredentials(AUTH_CLIENTS[1]!, keys));
    assert.equal(joined.details['authid'], keys.pubkey);
    await joined.close();
  });

  it('refuses a client claiming a known key it cannot sign for', async (t) => {
    const known = newKeyPair();
    const impostor = newKeyPair();
    const { url } = await serve(cryptosignApp(known), t);
    const wampy = AUTH_CLIENTS[2]!;
    const credentials = cryptosignCredentials(wampy, impostor, 'sensor-3');
    const refused = await refusal(url, wampy, { ...credentials, authextra: { pubkey: known.pubkey } });
    assert.equal(refused.reason, 'wamp.error.authentication_failed');
  });

  it('sends a 32-byte hex challenge without channel binding, and refuses a HELLO without a usable pubkey', async (t) => {
    const keys = newKeyPair();
    const { url } = await serve(cryptosignApp(keys), t);
    const client = await RawClient.connect(url);
    const challenge = await client.hello('realm1', { authmethods: ['cryptosign'], authextra: { pubkey: keys.pubkey } });
    assert.equal(challenge[0], 4);
    assert.equal(challenge[1], 'cryptosign');
    assert.match(challenge[2].challenge, /^[0-9a-f]{64}$/);
    assert.equal(challenge[2].channel_binding, null);
    client.close();

    const noKey = await RawClient.connect(url);
    assert.deepEqual(await noKey.hello('realm1', { authmethods: ['cryptosign'], authextra: { pubkey: 'abc' } }), [
      3,
      { message: 'authentication failed' },
      'wamp.error.authentication_failed',
    ]);
    noKey.close();
  });
});
