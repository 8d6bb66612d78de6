/** The shared transport suite and the Hono checks against a Hono app on Deno (`Deno.serve(hono.fetch)`), WAMP through serverwamp/hono. */
import { describe } from 'node:test';
import { honoSuite } from './helpers/hono-suite.js';
import { webRuntimeSuite } from './helpers/web-runtime-suite.js';
import { runtimeBinary, startRuntimeServer } from './helpers/web-runtimes.js';

const SCRIPT = 'test/fixtures/hono-server.ts';

describe('Hono on Deno', () => {
  webRuntimeSuite('deno', SCRIPT, 'serverwamp/hono');
  // Without Deno, webRuntimeSuite has already skipped loudly (and fails under CI=true).
  if (runtimeBinary('deno') !== undefined) honoSuite('Deno', (t) => startRuntimeServer(t, 'deno', SCRIPT));
});
