/**
 * Browser clients: autobahn-js (its browser build) and wampy (its browser
 * bundles) running in headless Chromium call the demo app, over JSON and
 * msgpack. Needs Debian's chromium (installed by .ci/run).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { createDemoApp } from '../examples/demo.js';
import type { Application } from '../src/index.js';
import { requireComponent } from './helpers/system.js';
import { attach } from '../src/node/index.js';

const CHROMIUM = '/usr/bin/chromium';
const require = createRequire(import.meta.url);
const vendor: Record<string, string> = {
  '/vendor/autobahn.min.js': require.resolve('autobahn-browser/autobahn.min.js'),
  '/vendor/wampy.js': require.resolve('wampy').replace(/dist\/.*$/, 'dist/browser/wampy.js'),
  '/vendor/wampy-all.js': require.resolve('wampy').replace(/dist\/.*$/, 'dist/browser/wampy-all.js'),
};

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>serverwamp in a browser</title>
<script src="/vendor/autobahn.min.js"></script>
<script src="/vendor/wampy.js"></script>
<script src="/vendor/wampy-all.js"></script>
<script>
  const url = 'ws://' + location.host + '/ws';
  function withAutobahn(serializers) {
    return new Promise((resolve, reject) => {
      const connection = new autobahn.Connection({ url, realm: 'realm1', serializers, max_retries: 0 });
      connection.onopen = async (session, details) => {
        try {
          const out = { authrole: details.authrole };
          out.add = await session.call('math.add', [2, 3]);
          out.zodiac = (await session.call('calendar.zodiac')).kwargs;
          try { await session.call('math.sqrt', ['nine']); } catch (e) { out.error = [e.error, e.kwargs.errorCode]; }
          const steps = [];
          const liftoff = await session.call('countdown_to_liftoff', [], {}, { receive_progress: true })
            .then(null, null, (p) => steps.push(p.kwargs.timeLeft));
          out.steps = steps;
          out.liftoff = liftoff.kwargs.liftoffStatus;
          connection.close();
          resolve(out);
        } catch (e) { reject(String(e)); }
      };
      connection.onclose = (reason) => { if (reason !== 'closed') reject(reason); };
      connection.open();
    });
  }
  async function withWampy(serializer) {
    const wampy = new Wampy(url, { realm: 'realm1', serializer, autoReconnect: false });
    await wampy.connect();
    const out = {};
    out.add = (await wampy.call('math.add', [2, 3])).argsList[0];
    out.zodiac = (await wampy.call('calendar.zodiac')).argsDict;
    try { await wampy.call('math.sqrt', ['nine']); } catch (e) { out.error = [e.errorUri, e.argsDict.errorCode]; }
    const steps = [];
    const liftoff = await wampy.call('countdown_to_liftoff', null, { progress_callback: (p) => steps.push(p.argsDict.timeLeft) });
    out.steps = steps;
    out.liftoff = liftoff.argsDict.liftoffStatus;
    await wampy.disconnect();
    return out;
  }
  window.runAll = async () => ({
    'autobahn/json': await withAutobahn([new autobahn.serializer.JSONSerializer()]),
    'autobahn/msgpack': await withAutobahn([new autobahn.serializer.MsgpackSerializer()]),
    'wampy/json': await withWampy(new JsonSerializer()),
    'wampy/msgpack': await withWampy(new MsgpackSerializer()),
    'wampy/cbor': await withWampy(new CborSerializer()),
  });
</script>`;

describe('browser clients in headless Chromium', () => {
  let server: Server;
  let app: Application;
  let origin: string;
  let browser: Browser | undefined;

  before(async () => {
    app = createDemoApp({ countdownInterval: 0.01 });
    server = createServer((request, response) => {
      const file = vendor[request.url ?? ''];
      if (file !== undefined) {
        response.writeHead(200, { 'Content-Type': 'text/javascript' }).end(readFileSync(file));
      } else {
        response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(PAGE);
      }
    });
    attach(app, server, { path: '/ws', pingInterval: 0 });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    await browser?.close();
    await app.close();
    server.closeAllConnections();
    server.close();
  });

  it('autobahn-js and wampy call procedures, get errors and progress, over JSON, msgpack and CBOR', async (t) => {
    if (!requireComponent(t, existsSync(CHROMIUM), 'Chromium', 'apt-get install chromium')) return;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(origin);
    const results = (await page.evaluate('window.runAll()')) as Record<string, Record<string, unknown>>;
    for (const [client, seen] of Object.entries(results)) {
      assert.equal(seen['add'], 5, client);
      assert.deepEqual(seen['zodiac'], { gregorianYear: 2020, 生肖: '鼠' }, client);
      assert.deepEqual(seen['error'], ['wamp.error.runtime_error', 'BAD_INPUT'], client);
      assert.deepEqual(seen['steps'], [3, 2, 1], client);
      assert.equal(seen['liftoff'], 'SUCCESS', client);
    }
    assert.deepEqual(Object.keys(results), ['autobahn/json', 'autobahn/msgpack', 'wampy/json', 'wampy/msgpack', 'wampy/cbor']);
    assert.deepEqual(pageErrors, []);
  });
});
