/**
 * The version is stated once, in package.json: src/version.ts is generated
 * from it (scripts/sync-version.mjs, run before every build), and clients see
 * it in WELCOME.Details.agent.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Application } from '../src/index.js';
import { version } from '../src/version.js';
import { RawClient } from './helpers/raw-client.js';
import { serve } from './helpers/server.js';

const packageVersion = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('version', () => {
  it('src/version.ts matches package.json (run `node scripts/sync-version.mjs` if not)', () => {
    assert.equal(version, packageVersion);
  });

  it("a client's WELCOME names serverwamp and the package.json version", async (t) => {
    const { url } = await serve(new Application(), t);
    const raw = await RawClient.connect(url);
    t.after(() => raw.close());
    const welcome = await raw.hello();
    assert.equal(welcome[0], 2);
    assert.equal(welcome[2].agent, `serverwamp-ts/${packageVersion}`);
  });
});
