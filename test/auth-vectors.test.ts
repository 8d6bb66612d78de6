import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { describe, it } from 'node:test';
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
  it('signs the unsalted vector as the spec and clients do', () => {
    assert.equal(craSignature('secret123', CRA_CHALLENGE), 'gzUNiJ8tCk/HtlObQVIKGmTS66MJMepc/ubXxpSHVys=');
  });

  it('derives the salted key and signs with its base64 text', async () => {
    const key = await deriveCRAKey('secret123', 'salt123', 1000, 32);
    assert.equal(key, 'Eu7CQLfR+/Ffb+275A4s9/6H/RGKYxM4s6IMrsNKzC8=');
    assert.equal(craSignature(key, CRA_CHALLENGE), 'ZjTRXS6ri5Obbrm3Ih+retS0yPh5m/ojH7Wa7hTRyWc=');
  });

  it('agrees with autobahn-js auth_cra on a fresh challenge', async () => {
    const challenge = JSON.stringify({ authid: 'joe', nonce: 'n', session: 1 });
    assert.equal(craSignature('s3cr3t', challenge), autobahn.auth_cra.sign('s3cr3t', challenge));
    const key = await deriveCRAKey('s3cr3t', 'pepper', 100, 16);
    assert.equal(key, autobahn.auth_cra.derive_key('s3cr3t', 'pepper', 100, 16));
  });
});

describe('WAMP-Cryptosign test vector', () => {
  const pubkey = publicKeyOfSeed(CS_SEED);

  it('derives the public key the notes give', () => {
    assert.equal(pubkey, '1adfc8bfe1d35616e64dffbd900096f23b066f914c8c2ffbb66f6075b96e116d');
  });

  it('accepts the spec signature', () => {
    assert.equal(verifyCryptosignSignature(pubkey, CS_CHALLENGE, CS_SIGNATURE), true);
    assert.equal(verifyCryptosignSignature(pubkey.toUpperCase(), CS_CHALLENGE, CS_SIGNATURE.toUpperCase()), true);
  });

  it('refuses a signature over another challenge, a flipped bit, another key and malformed hex', () => {
    const other = '00'.repeat(32);
    assert.equal(verifyCryptosignSignature(pubkey, other, CS_SIGNATURE), false);
    assert.equal(verifyCryptosignSignature(pubkey, CS_CHALLENGE, `a${CS_SIGNATURE.slice(1)}`), false);
    assert.equal(verifyCryptosignSignature(publicKeyOfSeed('11'.repeat(32)), CS_CHALLENGE, CS_SIGNATURE), false);
    assert.equal(verifyCryptosignSignature(pubkey, CS_CHALLENGE, CS_SIGNATURE.slice(2)), false);
    assert.equal(verifyCryptosignSignature('zz'.repeat(32), CS_CHALLENGE, CS_SIGNATURE), false);
  });
});

describe('constantTimeEqual', () => {
  it('compares strings of any length', () => {
    assert.equal(constantTimeEqual('ticket', 'ticket'), true);
    assert.equal(constantTimeEqual('ticket', 'ticket2'), false);
    assert.equal(constantTimeEqual('', ''), true);
    assert.equal(constantTimeEqual('ä', 'a'), false);
  });
});
