/**
 * The typed client in a browser bundle: esbuild bundles `serverwamp/client`
 * alone (it must hold none of the server: no Application, no ws, no zod, and
 * stay small), then a page importing it with autobahn-js's browser build and
 * wampy runs every feature in headless Chromium against the typed fixture
 * application. Chromium: Debian's chromium (installed by .ci/run).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import type { Application } from '../src/index.js';
import { attach } from '../src/node/index.js';
import { createTypedApp } from './fixtures/typed-api.js';
import { requireComponent } from './helpers/system.js';

const CHROMIUM = '/usr/bin/chromium';
const root = new URL('..', import.meta.url).pathname;

/** Minified, for the browser: the facade alone. */
async function facadeBundle(): Promise<{ text: string; inputs: string[] }> {
  const result = await build({
    entryPoints: [`${root}src/client/index.ts`],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: root,
  });
  return { text: result.outputFiles[0]!.text, inputs: Object.keys(result.metafile.inputs) };
}

describe('serverwamp/client in a browser bundle', () => {
  it('holds only src/client: no server code, no zod, no ws; and stays small', async () => {
    const { text, inputs } = await facadeBundle();
    assert.deepEqual(inputs.filter((input) => !input.startsWith('src/client/')), [], 'every bundled file is the facade\'s');
    for (const name of ['Application', 'ServerwampError', 'RPCRouteSet', 'zod', 'msgpackr', '"ws"', 'node:']) {
      assert.ok(!text.includes(name), `the bundle mentions ${name}`);
    }
    const gzipped = gzipSync(text).length;
    console.log(`serverwamp/client bundle: ${text.length} bytes minified, ${gzipped} gzipped, ${inputs.length} files`);
    assert.ok(text.length < 8 * 1024, `${text.length} bytes minified`);
  });
});

describe('the typed client in headless Chromium', () => {
  let server: Server;
  let app: Application;
  let origin: string;
  let browser: Browser | undefined;
  let script = '';

  before(async () => {
    const bundled = await build({
      entryPoints: [`${root}test/fixtures/typed-client-page.ts`],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      write: false,
      metafile: true,
      logLevel: 'silent',
      absWorkingDir: root,
    });
    script = bundled.outputFiles[0]!.text;
    const inputs = Object.keys(bundled.metafile.inputs);
    assert.deepEqual(inputs.filter((input) => input.startsWith('src/') && !input.startsWith('src/client/')), [], 'the page bundles no server file');
    assert.ok(!inputs.some((input) => input.includes('node_modules/zod/')), 'the page bundles no zod');
    app = createTypedApp() as Application;
    server = createServer((request, response) => {
      if (request.url === '/page.js') response.writeHead(200, { 'Content-Type': 'text/javascript' }).end(script);
      else response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end('<!doctype html><meta charset="utf-8"><script src="/page.js"></script>');
    });
    attach(app, server, { path: '/ws', pingInterval: 0 });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    await browser?.close();
    await app.close({ timeout: 0, goodbyeWait: 0 });
    server.closeAllConnections();
    server.close();
  });

  it('calls, gets progress, cancels, subscribes and answers server calls, the same over autobahn-js and wampy', async (t) => {
    if (!requireComponent(t, existsSync(CHROMIUM), 'Chromium', 'apt-get install chromium')) return;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(origin);
    const results = (await page.evaluate('window.runTyped()')) as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(results), ['autobahn', 'wampy']);
    for (const [client, seen] of Object.entries(results)) {
      assert.deepEqual(seen, {
        add: 5,
        addByPosition: 9,
        user: { id: '1', name: 'Ada' },
        nothing: null,
        lists: [[], ['item0'], ['item0', 'item1']],
        liftoff: 'liftoff',
        steps: [3, 2, 1],
        error: ['app.error.failed', ['it failed'], { code: 'E1' }],
        canceled: 'wamp.error.canceled',
        events: [{ from: 'server', text: 'welcome' }],
        asked: 'confirmed',
      }, client);
    }
    assert.deepEqual(pageErrors, []);
  });
});
