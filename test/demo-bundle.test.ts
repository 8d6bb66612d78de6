/**
 * The demo page's script as served at /demo.js: it talks to the server
 * through the typed client (src/client) and holds none of the server. The
 * page imports `DemoAPI` from the server's files type-only; a value import
 * would pull in the application, zod and Node modules, and this fails.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { build } from 'esbuild';
import { bundlePage, PAGE_BUILD } from '../examples/page-bundle.js';

const root = new URL('..', import.meta.url).pathname;

describe('the demo page bundle', () => {
  it('is built from examples/page and the typed client alone', async () => {
    const result = await build({ ...PAGE_BUILD, metafile: true, absWorkingDir: root });
    const inputs = Object.keys(result.metafile.inputs);
    assert.deepEqual(inputs.filter((input) => !input.startsWith('examples/page/') && !input.startsWith('src/client/')), [], 'only the page and the facade are bundled');
    assert.ok(inputs.includes('src/client/index.ts'), 'the page uses the typed client');
  });

  it('holds no server code: no Application, no ws, no zod, no Node module', async () => {
    const text = await bundlePage();
    // The ws package by its server class: the page itself says "ws" (its WebSocket URL's scheme).
    for (const name of ['Application', 'ServerwampError', 'RPCRouteSet', 'ZodError', 'zod', 'WebSocketServer', 'require(', 'node:']) {
      assert.equal(text.includes(name), false, `the bundle mentions ${name}`);
    }
  });
});
