/**
 * The demo page in headless Chromium while the server shuts down: a
 * countdown in flight still reaches SUCCESS (before, it stayed at "2…" for
 * ever), and the page says the server shut down instead of "retrying…".
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { createDemoApp } from '../examples/demo.js';
import { startExample } from '../examples/serve.js';
import { requireComponent } from './helpers/system.js';

const CHROMIUM = '/usr/bin/chromium';

describe('the demo page while the server shuts down', () => {
  it('the countdown in flight finishes, then the page reports the shutdown', async (t) => {
    if (!requireComponent(t, existsSync(CHROMIUM), 'Chromium', 'apt-get install chromium')) return;
    // A short hourly period: the demo's hourly loop sleeps one period after its last subscriber leaves.
    const running = await startExample(createDemoApp({ countdownInterval: 0.3, hourlyIntervalMs: 200 }), { withPage: true, pingInterval: 0 });
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    let closing: Promise<void> | undefined;
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`http://127.0.0.1:${running.port}/`);
      await page.locator('#status.connected').waitFor({ timeout: 10_000 });
      await page.click('#countdown');
      // Any step will do: one step shows for 0.3 s only, which a loaded machine's polling can miss.
      await page.locator('#liftoff', { hasText: /^\d+…$/ }).waitFor({ timeout: 10_000 });
      closing = running.close({ timeout: 10_000 });
      await page.locator('#liftoff', { hasText: 'SUCCESS' }).waitFor({ timeout: 10_000 });
      await page.locator('#status', { hasText: 'The server shut down' }).waitFor({ timeout: 10_000 });
      await closing;
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await (closing ?? running.close());
    }
  });
});
