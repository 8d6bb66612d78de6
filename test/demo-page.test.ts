/**
 * The demo page (`npm start`, then http://localhost:8080/) in headless
 * Chromium, clicked through as a person would: the clock ticks and the
 * counters move, a call answers and a bad one shows its error, a countdown
 * fills its bar, another is cancelled, two people chat and see each other
 * online, the message panel shows the frames, and one action is done with the
 * keyboard alone. Screenshots at desktop and phone sizes go to
 * .demo-screenshots/ (git-ignored); axe-core checks accessibility in the page.
 */
import assert from 'node:assert/strict';
import diagnostics_channel from 'node:diagnostics_channel';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { Result as AxeResult } from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createDemoApp } from '../examples/demo.js';
import { startExample, type RunningExample } from '../examples/serve.js';
import { requireComponent } from './helpers/system.js';

const CHROMIUM = '/usr/bin/chromium';
const WAIT = { timeout: 15_000 };
const SCREENSHOTS = fileURLToPath(new URL('../.demo-screenshots/', import.meta.url));
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** What the test keeps of an axe-core result: plain data, returned from the page. */
type AxeViolation = Pick<AxeResult, 'id' | 'impact' | 'help'> & { nodes: Array<{ target: string[] }> };

/** The number shown in the element `id` (the counters are formatted with thousands separators). */
async function numberIn(page: Page, id: string): Promise<number> {
  return Number(((await page.textContent(`#${id}`)) ?? '').replace(/[^\d]/g, ''));
}

/** Polls `expression` in the page until it is true (the page's CSP forbids the string evaluation waitForFunction uses). */
async function until(page: Page, what: string, expression: string): Promise<void> {
  const deadline = Date.now() + WAIT.timeout;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${WAIT.timeout} ms (${expression})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Runs axe-core inside the page (evaluated through the DevTools protocol, so the page's CSP stays on). */
async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE);
  return (await page.evaluate('axe.run(document).then((r) => r.violations.map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes: nodes.map((n) => ({ target: n.target })) })))')) as AxeViolation[];
}

describe('the demo page in headless Chromium', () => {
  let running: RunningExample;
  let browser: Browser | undefined;
  const problems: string[] = [];
  let alice: Page;
  let bob: Page;
  let origin: string;

  before(async () => {
    running = await startExample(createDemoApp({ countdownInterval: 0.3, statsIntervalMs: 200 }), { withPage: true, pingInterval: 0 });
    origin = `http://127.0.0.1:${running.port}`;
  });
  after(async () => {
    await browser?.close();
    await running.close();
  });

  async function open(t: TestContext, viewport: { width: number; height: number }, mobile: boolean): Promise<Page> {
    browser ??= await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    const context = await browser.newContext({ viewport, isMobile: mobile, hasTouch: mobile });
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    // A CSP violation, a missing favicon or any failed load shows up as a console error.
    page.on('console', (message) => void (message.type() === 'error' && problems.push(`console: ${message.text()}`)));
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(`${origin}/`) && !url.startsWith(`ws://127.0.0.1:${running.port}/`)) problems.push(`request outside the demo: ${url}`);
    });
    await page.goto(`${origin}/`);
    await page.locator('#status.connected').waitFor(WAIT);
    t.diagnostic(`opened a ${viewport.width}×${viewport.height} page`);
    return page;
  }

  it('clicks through it all: live push, a call, a bad call, progress, cancel, chat, presence, the message panel', async (t) => {
    if (!requireComponent(t, existsSync(CHROMIUM), 'Chromium', 'apt-get install chromium')) return;
    alice = await open(t, { width: 1280, height: 800 }, false);
    bob = await open(t, { width: 390, height: 844 }, true);
    // Alice picks a name (the authid of her next HELLO: the page reloads); Bob stays a numbered guest.
    await alice.fill('#name', 'Alice');
    await alice.press('#name', 'Enter');
    await alice.locator('#status.connected', { hasText: 'Connected as Alice' }).waitFor(WAIT);

    // Live push: the server's clock ticks and the counters move without the page asking.
    await until(alice, 'the first clock tick', "document.getElementById('clock').dateTime !== ''");
    const firstTick = await alice.getAttribute('#clock', 'datetime');
    await until(alice, 'the clock ticking', `document.getElementById('clock').dateTime !== ${JSON.stringify(firstTick)}`);
    const eventsBefore = await numberIn(alice, 'events');
    const callsBefore = await numberIn(alice, 'calls');
    assert.ok((await numberIn(alice, 'sessions')) >= 1);

    // A call.
    await alice.fill('#number1', '40');
    await alice.fill('#number2', '2');
    await alice.click('#add');
    await alice.locator('#sum', { hasText: '= 42' }).waitFor(WAIT);
    assert.equal(await alice.getAttribute('#sum', 'data-kind'), 'ok');

    // A bad call: an error naming the argument, not a quiet 2.
    await alice.fill('#number1', 'abc');
    await alice.click('#add');
    await alice.locator('#sum', { hasText: 'wamp.error.invalid_argument' }).waitFor(WAIT);
    assert.equal(await alice.textContent('#sum'), "Error wamp.error.invalid_argument: invalid argument 'number1': expected a number");
    assert.equal(await alice.getAttribute('#sum', 'data-kind'), 'error');

    await until(alice, 'the counters moving', `Number(document.getElementById('calls').textContent.replace(/\\D/g, '')) >= ${callsBefore + 2} && Number(document.getElementById('events').textContent.replace(/\\D/g, '')) > ${eventsBefore}`);

    // Progress: the bar fills step by step, the button stays disabled while the countdown runs.
    await alice.fill('#from', '5');
    await alice.click('#countdown');
    assert.equal(await alice.locator('#countdown').isDisabled(), true, 'Start is disabled while the countdown runs');
    await until(alice, 'the bar advancing', "document.getElementById('progress').value >= 2");
    await alice.locator('#liftoff', { hasText: 'Liftoff: SUCCESS' }).waitFor(WAIT);
    assert.equal(await alice.evaluate("document.getElementById('progress').value"), 5);
    assert.equal(await alice.locator('#countdown').isDisabled(), false);
    assert.equal(await alice.locator('#cancel').isDisabled(), true);

    // Cancel: 60 steps of 0.3 s would take 18 s. The page aborts the typed call's signal; the
    // facade sends CANCEL, and the server ends the call there (the tracing channel reports it
    // settled: the same step aborts the procedure's signal, which ends its wait).
    const ended: string[] = [];
    const onEnd = (context: unknown): void => void ended.push((context as { procedure: string }).procedure);
    diagnostics_channel.subscribe('tracing:serverwamp:call:asyncEnd', onEnd);
    t.after(() => diagnostics_channel.unsubscribe('tracing:serverwamp:call:asyncEnd', onEnd));
    await alice.fill('#from', '60');
    await alice.click('#countdown');
    await until(alice, 'the long countdown starting', "document.getElementById('progress').value >= 1");
    await alice.click('#cancel');
    await alice.locator('#liftoff', { hasText: /^Cancelled at \d+…: the server stops the countdown\.$/ }).waitFor({ timeout: 10_000 });
    await alice.locator('#wire li', { hasText: '→ sent CANCEL' }).first().waitFor(WAIT);
    const deadline = Date.now() + 10_000;
    while (!ended.includes('countdown_to_liftoff') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(ended.includes('countdown_to_liftoff'), 'the server ended the countdown at the CANCEL, long before its 18 s');
    const stoppedAt = await alice.evaluate("document.getElementById('progress').value");
    assert.ok(Number(stoppedAt) < 30, `stopped at step ${String(stoppedAt)}`);
    assert.equal(await alice.locator('#countdown').isDisabled(), false);

    // Hourly events still arrive (the Python serverwamp docs' example).
    await alice.locator('#hourly', { hasText: /The hour is \d+/ }).waitFor(WAIT);

    // Chat with names and presence.
    const bobName = (await bob.inputValue('#name')).trim();
    assert.match(bobName, /^guest-\d+$/);
    await bob.locator('#online li', { hasText: 'Alice' }).waitFor(WAIT);
    await alice.locator('#online li', { hasText: bobName }).waitFor(WAIT);
    assert.deepEqual(await alice.locator('#online li').allTextContents(), ['Alice (you)', bobName].sort((a, b) => a.localeCompare(b)));
    assert.equal(await alice.textContent('#online-count'), '2');

    await alice.fill('#text', 'hello from alice');
    await alice.press('#text', 'Enter');
    await bob.locator('#messages li', { hasText: 'Alice: hello from alice' }).waitFor(WAIT);
    await alice.locator('#messages li', { hasText: 'you: hello from alice' }).waitFor(WAIT);
    await bob.fill('#text', 'hi Alice');
    await bob.click('#send');
    await alice.locator('#messages li', { hasText: `${bobName}: hi Alice` }).waitFor(WAIT);

    // The message panel shows the frames: Bob's call, Alice's chat reaching him, his publication.
    await bob.fill('#number1', '1');
    await bob.fill('#number2', '2');
    await bob.click('#add');
    await bob.locator('#sum', { hasText: '= 3' }).waitFor(WAIT);
    for (const text of ['→ sent CALL math.add', '← received RESULT', '← received EVENT chat.room', '→ sent PUBLISH chat.room', '← received PUBLISHED']) {
      await bob.locator('#wire li', { hasText: text }).first().waitFor(WAIT);
    }
    assert.match((await bob.locator('#wire li', { hasText: 'EVENT chat.room' }).first().textContent()) ?? '', /"hello from alice"/);
    // The clock's EVENTs are counted, and shown on request.
    assert.ok((await numberIn(bob, 'wire-hidden')) > 0);
    await bob.check('#wire-clock');
    await bob.locator('#wire li', { hasText: 'EVENT demo.stats' }).first().waitFor(WAIT);

    // The favicon is served.
    assert.deepEqual(await alice.evaluate("fetch('/favicon.svg').then((r) => [r.status, r.headers.get('content-type')])"), [200, 'image/svg+xml']);
    assert.deepEqual(problems, []);
  });

  it('has no serious or critical axe-core violations; screenshots at desktop and phone sizes', async (t) => {
    if (!requireComponent(t, existsSync(CHROMIUM), 'Chromium', 'apt-get install chromium')) return;
    assert.ok(alice !== undefined && bob !== undefined, 'the first test opened the pages');
    mkdirSync(SCREENSHOTS, { recursive: true });
    for (const [size, page] of [['desktop', alice], ['phone', bob]] as const) {
      const violations = await axeViolations(page);
      t.diagnostic(`axe (${size}): ${violations.length} violations${violations.map((v) => ` ${v.id} (${v.impact ?? 'no impact'})`).join(',')}`);
      const severe = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      assert.deepEqual(severe.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], size);
      const path = `${SCREENSHOTS}demo-${size}.png`;
      await page.screenshot({ path, fullPage: true });
      t.diagnostic(`screenshot: ${path}`);
    }
    assert.deepEqual(problems, []);
  });
  it('works from the keyboard alone, with a visible focus', async (t) => {
    if (!requireComponent(t, existsSync(CHROMIUM), 'Chromium', 'apt-get install chromium')) return;
    assert.ok(alice !== undefined, 'the first test opened the pages');
    await alice.reload();
    await alice.locator('#status.connected').waitFor(WAIT);
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      await alice.keyboard.press('Tab');
      order.push(await alice.evaluate('document.activeElement.id'));
    }
    // The first controls in reading order: the call's two fields, its button, then the countdown's.
    assert.deepEqual(order, ['number1', 'number2', 'add', 'from']);
    await alice.keyboard.press('Shift+Tab');
    await alice.keyboard.press('Shift+Tab');
    const focusStyle = await alice.evaluate('(({ outlineStyle, outlineWidth }) => [document.activeElement.id, outlineStyle, outlineWidth])(getComputedStyle(document.activeElement))');
    assert.deepEqual(focusStyle, ['number2', 'solid', '3px']);
    await alice.keyboard.press('ControlOrMeta+a');
    await alice.keyboard.type('8');
    await alice.keyboard.press('Shift+Tab');
    await alice.keyboard.press('ControlOrMeta+a');
    await alice.keyboard.type('34');
    await alice.keyboard.press('Enter');
    await alice.locator('#sum', { hasText: '= 42' }).waitFor(WAIT);
    assert.deepEqual(problems, []);
  });
});
