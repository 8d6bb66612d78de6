/** The shared transport suite and the Hono checks against a Hono app on Bun (`Bun.serve({ fetch: hono.fetch, websocket })`), WAMP through serverwamp/hono. */
import { describe } from 'node:test';
import { honoSuite } from './helpers/hono-suite.js';
import { webRuntimeSuite } from './helpers/web-runtime-suite.js';
import { runtimeBinary, startRuntimeServer } from './helpers/web-runtimes.js';

const SCRIPT = 'test/fixtures/hono-server.ts';

describe('Hono on Bun', () => {
  webRuntimeSuite('bun', SCRIPT, 'serverwamp/hono');
  // Without Bun, webRuntimeSuite has already skipped loudly (and fails under CI=true).
  if (runtimeBinary('bun') !== undefined) honoSuite('Bun', (t) => startRuntimeServer(t, 'bun', SCRIPT));
});
