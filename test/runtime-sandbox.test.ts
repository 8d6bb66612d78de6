/**
 * The root entry runs, not only bundles, without Node: `serverwamp` and
 * `serverwamp/testing` (with msgpackr) are bundled for esbuild's
 * neutral platform and run in a `node:vm` context that offers only
 * web-standard globals (Web Crypto, TextEncoder, URL, timers, AbortController…),
 * with no `Buffer`, `process` or `require`, as on Deno, Bun, workers or a
 * browser. Sessions over every serializer, WAMP-CRA and Cryptosign run there.
 * Real runs under Bun and Deno: test/transport-bun.test.ts, test/transport-deno.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

// wamp-notes.md §5.2 and §5.4: a WAMP-CRA signature and the spec's first cryptosign vector; the
// derived key is node:crypto's pbkdf2Sync('secret', 'salt', 100, 32, 'sha256') in base64.
const CRA_CHALLENGE =
  '{"authid":"peter","authrole":"user","authmethod":"wampcra","authprovider":"userdb","nonce":"LHRTC9zeOIrt_9U3","timestamp":"2014-06-22T16:36:25.448Z","session":3251278072152162}';
const CS_PUBKEY = '1adfc8bfe1d35616e64dffbd900096f23b066f914c8c2ffbb66f6075b96e116d';
const CS_CHALLENGE = 'ff'.repeat(32);
const CS_SIGNATURE =
  'b32675b221f08593213737bef8240e7c15228b07028e19595294678c90d11c0cae80a357331bfc5cc9fb71081464e6e75013517c2cf067ad566a6b7b728e5d03' + CS_CHALLENGE;

const program = `
import { Application, RPCRouteSet, craSignature, deriveCRAKey, verifyCryptosignSignature } from './src/index.ts';
import { connectTestPeer } from './src/testing.ts';

globalThis.probe = async (vectors) => {
  const app = new Application();
  const routes = new RPCRouteSet();
  routes.route('add', (request) => Number(request.args[0]) + Number(request.args[1]));
  app.addRPCRoutes(routes);
  const sessions = [];
  for (const protocol of ['wamp.2.json', 'wamp.2.msgpack', 'wamp.2.cbor', 'wamp.2.cbor.batched']) {
    const peer = connectTestPeer(app, { protocol });
    peer.send([1, 'realm1', { roles: { caller: {} } }]);
    const welcome = await peer.next();
    peer.send([48, 1, {}, 'add', [2, 3]]);
    sessions.push({ protocol, welcome: welcome[0], result: await peer.next() });
  }
  const cra = await craSignature('secret123', vectors.craChallenge);
  const derived = await deriveCRAKey('secret', 'salt', 100, 32);
  const cryptosign = await verifyCryptosignSignature(vectors.pubkey, vectors.challenge, vectors.signature);
  const forged = await verifyCryptosignSignature(vectors.pubkey, vectors.challenge, 'a' + vectors.signature.slice(1));
  await app.close();
  return JSON.stringify({ sessions, cra, derived, cryptosign, forged });
};`;

/** Web-standard globals only: what Deno, Bun, workers and browsers all have. */
function webGlobals(): Record<string, unknown> {
  return {
    crypto: globalThis.crypto,
    TextEncoder,
    TextDecoder,
    URL,
    URLSearchParams,
    AbortController,
    AbortSignal,
    EventTarget,
    Event,
    DOMException,
    atob,
    btoa,
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    queueMicrotask,
    console,
  };
}

describe('the root entry in a context with web-standard globals only', () => {
  it('serves sessions over every serializer and runs WAMP-CRA and Cryptosign', { timeout: 60_000 }, async () => {
    const bundle = await build({
      stdin: { contents: program, resolveDir: ROOT, loader: 'ts', sourcefile: 'sandbox-entry.ts' },
      bundle: true,
      platform: 'neutral',
      format: 'iife',
      mainFields: ['module', 'main'],
      write: false,
      logLevel: 'silent',
    });
    const context = vm.createContext(webGlobals());
    const nodeGlobals = JSON.parse(vm.runInContext('JSON.stringify([typeof Buffer, typeof process, typeof require, typeof global])', context));
    assert.deepEqual(nodeGlobals, ['undefined', 'undefined', 'undefined', 'undefined']);
    vm.runInContext(bundle.outputFiles[0]!.text, context);
    const probe = (context as { probe: (vectors: object) => Promise<string> }).probe;
    const outcome = JSON.parse(await probe({ craChallenge: CRA_CHALLENGE, pubkey: CS_PUBKEY, challenge: CS_CHALLENGE, signature: CS_SIGNATURE }));
    for (const session of outcome.sessions) {
      assert.equal(session.welcome, 2, session.protocol);
      assert.deepEqual(session.result, [50, 1, {}, [5]], session.protocol);
    }
    assert.equal(outcome.cra, 'gzUNiJ8tCk/HtlObQVIKGmTS66MJMepc/ubXxpSHVys=');
    assert.equal(outcome.derived, 'oTSX846k2MZdrrIy1rijbcWZvuHMyUAlTPlbqY1YCcc=');
    assert.equal(outcome.cryptosign, true);
    assert.equal(outcome.forged, false);
  });
});
