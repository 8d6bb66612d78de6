import assert from 'node:assert/strict';
import { createHmac, createPrivateKey, createPublicKey, pbkdf2Sync } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { constantTimeEqual, craSignature, deriveCRAKey, verifyCryptosignSignature } from '../src/index.js';
import { autobahn } from './helpers/clients.js';

// wamp-notes.md §5.2: the challenge, secret and signatures autobahn, wampy and node:crypto agree on.
const CRA_CHALLENGE =
  '{"authid":"peter","authrole":"user","authmethod":"wampcra","authprovider":"userdb","nonce":"LHRTC9zeOIrt_9U3","timestamp":"2014-06-22T16:36:25.448Z","session":3251278072152162}';

// wamp-notes.md §5.4: the spec's first cryptosign test vector (no channel binding).
const CS_SEED = '4d57d97a68f555696620a6d849c0ce582568518d729eb753dc7c732de2804510';
const CS_CHALLENGE = 'ff'.repeat(32);
const CS_SIGNATURE =
  'b32675b221f08593213737bef8240e7c15228b07028e19595294678c90d11c0cae80a357331bfc5cc9fb71081464e6e75013517c2cf067ad566a6b7b728e5d03' +
  CS_CHALLENGE;

function publicKeyOfSeed(seedHex: string): string {
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.from(seedHex, 'hex')]);
  const spki = createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })).export({ format: 'der', type: 'spki' });
  return spki.subarray(12).toString('hex');
}

describe('WAMP-CRA test vectors', () => {
  it('signs the unsalted vector as the spec and clients do', async () => {
    assert.equal(await craSignature('secret123', CRA_CHALLENGE), 'gzUNiJ8tCk/HtlObQVIKGmTS66MJMepc/ubXxpSHVys=');
  });

  it('derives the salted key and signs with its base64 text', async () => {
    const key = await deriveCRAKey('secret123', 'salt123', 1000, 32);
    assert.equal(key, 'Eu7CQLfR+/Ffb+275A4s9/6H/RGKYxM4s6IMrsNKzC8=');
    assert.equal(await craSignature(key, CRA_CHALLENGE), 'ZjTRXS6ri5Obbrm3Ih+retS0yPh5m/ojH7Wa7hTRyWc=');
  });

  it('agrees with autobahn-js auth_cra on a fresh challenge', async () => {
    const challenge = JSON.stringify({ authid: 'joe', nonce: 'n', session: 1 });
    assert.equal(await craSignature('s3cr3t', challenge), autobahn.auth_cra.sign('s3cr3t', challenge));
    const key = await deriveCRAKey('s3cr3t', 'pepper', 100, 16);
    assert.equal(key, autobahn.auth_cra.derive_key('s3cr3t', 'pepper', 100, 16));
  });

  // Web Crypto refuses a zero-length HMAC key, which node:crypto and the clients accept.
  it('signs and derives with an empty secret, salt or challenge as node:crypto does', async () => {
    for (const [key, challenge] of [['', 'c'], ['k', ''], ['', '']]) {
      assert.equal(await craSignature(key!, challenge!), createHmac('sha256', key!).update(challenge!).digest('base64'), `${key}/${challenge}`);
    }
    assert.equal(await deriveCRAKey('', '', 10, 32), pbkdf2Sync('', '', 10, 32, 'sha256').toString('base64'));
    assert.equal(await deriveCRAKey('pässwörd', 'sält', 10, 64), pbkdf2Sync('pässwörd', 'sält', 10, 64, 'sha256').toString('base64'));
  });
});

describe('WAMP-Cryptosign test vector', () => {
  const pubkey = publicKeyOfSeed(CS_SEED);

  it('derives the public key the notes give', () => {
    assert.equal(pubkey, '1adfc8bfe1d35616e64dffbd900096f23b066f914c8c2ffbb66f6075b96e116d');
  });

  it('accepts the spec signature', async () => {
    assert.equal(await verifyCryptosignSignature(pubkey, CS_CHALLENGE, CS_SIGNATURE), true);
    assert.equal(await verifyCryptosignSignature(pubkey.toUpperCase(), CS_CHALLENGE, CS_SIGNATURE.toUpperCase()), true);
  });

  it('refuses a signature over another challenge, a flipped bit, another key and malformed hex', async () => {
    const other = '00'.repeat(32);
    assert.equal(await verifyCryptosignSignature(pubkey, other, CS_SIGNATURE), false);
    assert.equal(await verifyCryptosignSignature(pubkey, CS_CHALLENGE, `a${CS_SIGNATURE.slice(1)}`), false);
    assert.equal(await verifyCryptosignSignature(publicKeyOfSeed('11'.repeat(32)), CS_CHALLENGE, CS_SIGNATURE), false);
    assert.equal(await verifyCryptosignSignature(pubkey, CS_CHALLENGE, CS_SIGNATURE.slice(2)), false);
    assert.equal(await verifyCryptosignSignature('zz'.repeat(32), CS_CHALLENGE, CS_SIGNATURE), false);
  });

  it('refuses, without throwing, a public key that is not an Ed25519 point', async () => {
    // y = 2 has no x on the curve (RFC 8032 §5.1.3 decoding fails for it).
    assert.equal(await verifyCryptosignSignature(`02${'00'.repeat(31)}`, CS_CHALLENGE, CS_SIGNATURE), false);
    assert.equal(await verifyCryptosignSignature('ff'.repeat(32), CS_CHALLENGE, CS_SIGNATURE), false);
  });
});

describe('constantTimeEqual', () => {
  it('compares strings of any length', () => {
    assert.equal(constantTimeEqual('ticket', 'ticket'), true);
    assert.equal(constantTimeEqual('ticket', 'ticket2'), false);
    assert.equal(constantTimeEqual('', ''), true);
    assert.equal(constantTimeEqual('ä', 'a'), false);
    // The input is compared with the secret repeated: repetitions and prefixes must still differ.
    assert.equal(constantTimeEqual('abab', 'ab'), false);
    assert.equal(constantTimeEqual('ab', 'abab'), false);
    assert.equal(constantTimeEqual('x', ''), false);
    assert.equal(constantTimeEqual('', 'x'), false);
  });

  it('agrees with === on any strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (input, secret) => constantTimeEqual(input, secret) === (input === secret)),
      { numRuns: 2000 },
    );
    fc.assert(fc.property(fc.string(), (secret) => constantTimeEqual(secret, secret) && !constantTimeEqual(`${secret}\u0000`, secret)));
  });
});
