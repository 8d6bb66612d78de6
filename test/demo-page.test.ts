/**
 * The demo page (`npm start`, then http://localhost:8080/) in headless
 * Chromium: a person's clicks call procedures, watch progress, receive pushed
 * events, chat with a second tab under a chosen name, and see who is online.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { createDemoApp } from '../examples/demo.js';
import { startExample, type RunningExample } from '../examples/serve.js';
import { requireComponent } from './helpers/system.js';

const CHROMIUM = '/usr/bin/chromium';

describe('the demo page in headless Chromium', () => {
  let running: RunningExample;
  let browser: Browser | undefined;

  before(async () => {
    running = await startExample(createDemoApp({ countdownInterval: 0.05, hourlyIntervalMs: 60_000 }), { withPage: true, pingInterval: 0 });
  });
  after(async () => {
    await browser?.close();
    await running.close();
  });

  it('calls, counts down, receives pushed events and chats between two tabs', async (t) => {
    if (!requireComponent(t, existsSync(CHROMIUM), 'Chromium', 'apt-get install chromium')) return;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const origin = `http://127.0.0.1:${running.port}/`;
    const [alice, bob] = [await browser.newPage(), await browser.newPage()];
    const errors: string[] = [];
    for (const page of [alice, bob]) {
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(origin);
      await page.locator('#status.connected').waitFor({ timeout: 10_000 });
    }

    await alice.fill('#number1', '40');
    await alice.fill('#number2', '2');
    await alice.click('#add');
    await alice.locator('#sum', { hasText: '42' }).waitFor({ timeout: 5000 });

    await alice.click('#countdown');
    await alice.locator('#liftoff', { hasText: 'SUCCESS' }).waitFor({ timeout: 5000 });

    await alice.locator('#hourly', { hasText: /The hour is \d+/ }).waitFor({ timeout: 5000 });

    // Alice picks a name (it is the authid of her next HELLO); Bob stays a numbered guest.
    await alice.fill('#name', 'Alice');
    await alice.press('#name', 'Enter');
    await alice.locator('#status.connected', { hasText: 'Connected as Alice' }).waitFor({ timeout: 10_000 });
    const bobName = (await bob.inputValue('#name')).trim();
    assert.match(bobName, /^guest-\d+$/);
    await bob.locator('#online li', { hasText: 'Alice' }).waitFor({ timeout: 5000 });
    await alice.locator('#online li', { hasText: `${bobName}` }).waitFor({ timeout: 5000 });

    await alice.fill('#text', 'hello from alice');
    await alice.press('#text', 'Enter');
    await bob.locator('#messages li', { hasText: 'hello from alice' }).waitFor({ timeout: 5000 });
    await alice.locator('#messages li', { hasText: 'you: hello from alice' }).waitFor({ timeout: 5000 });
    const bobSees = await bob.locator('#messages li').first().textContent();
    assert.equal(bobSees, 'Alice: hello from alice');
    assert.deepEqual(await alice.locator('#online li').allTextContents(), ['Alice (you)', bobName].sort((a, b) => a.localeCompare(b)));

    if (process.env['DEMO_SCREENSHOT'] !== undefined) await alice.screenshot({ path: process.env['DEMO_SCREENSHOT'], fullPage: true });
    assert.deepEqual(errors, []);
  });
});
