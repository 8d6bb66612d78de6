/**
 * What a raw WAMP client sees of the demo's procedures and live figures:
 * `math.add` refuses what is not a number, naming the argument (it used to
 * answer 'abc' + 2 with 2); a countdown stops when the caller cancels it;
 * `demo.stats` pushes the clock and counters at once and then every interval.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDemoApp } from '../examples/demo.js';
import { RawClient } from './helpers/raw-client.js';
import { serve } from './helpers/server.js';

const ERROR = 8;
const SUBSCRIBED = 33;
const EVENT = 36;
const CALL = 48;
const CANCEL = 49;
const RESULT = 50;

async function joined(url: string): Promise<RawClient> {
  const client = await RawClient.connect(url);
  const [type] = await client.hello('realm1');
  assert.equal(type, 2, 'WELCOME');
  return client;
}

describe('the demo: math.add, cancel and live figures, as a raw client sees them', () => {
  it('math.add answers numbers and refuses anything else with invalid_argument naming the argument', async (t) => {
    const { url } = await serve(createDemoApp(), t);
    const client = await joined(url);
    t.after(() => client.close());
    client.send([CALL, 1, {}, 'math.add', [40, 2]]);
    assert.deepEqual(await client.next(), [RESULT, 1, {}, [42]]);
    for (const [requestId, args, name] of [
      [2, ['abc', 2], 'number1'],
      [3, [2, null], 'number2'],
      [4, [2, '3'], 'number2'],
      [5, [{}, 1], 'number1'],
    ] as const) {
      client.send([CALL, requestId, {}, 'math.add', args]);
      const reply = await client.next();
      assert.equal(reply[0], ERROR, `${JSON.stringify(args)}: ${JSON.stringify(reply)}`);
      assert.equal(reply[4], 'wamp.error.invalid_argument');
      assert.equal(reply[5][0], `invalid argument '${name}': expected a number`);
    }
  });

  it('a countdown canceled with mode kill stops: ERROR wamp.error.canceled, no more progress', async (t) => {
    // 60 steps of 0.2 s: a procedure that missed the abort would run for 12 s.
    const app = createDemoApp({ countdownInterval: 0.2 });
    const { url } = await serve(app, t);
    const client = await joined(url);
    t.after(() => client.close());
    const started = Date.now();
    client.send([CALL, 7, { receive_progress: true }, 'countdown_to_liftoff', [], { from: 60 }]);
    assert.deepEqual(await client.next(), [RESULT, 7, { progress: true }, [], { timeLeft: 60 }]);
    client.send([CANCEL, 7, { mode: 'kill' }]);
    let reply = await client.next(5000);
    // A step may have been on its way as the CANCEL went out.
    while (reply[0] === RESULT) reply = await client.next(5000);
    assert.deepEqual(reply, [ERROR, CALL, 7, {}, 'wamp.error.canceled', ['the call was canceled']]);
    assert.ok(Date.now() - started < 6000, 'the procedure stopped long before its 12 s');
    assert.equal(await client.silent(500), true, 'nothing after the ERROR');
    assert.equal(app.metrics!.value('serverwamp_calls_total', { procedure: 'countdown_to_liftoff', error: 'wamp.error.canceled' }), 1);
  });

  it('countdown_to_liftoff refuses a length out of range, naming it', async (t) => {
    const { url } = await serve(createDemoApp(), t);
    const client = await joined(url);
    t.after(() => client.close());
    client.send([CALL, 1, {}, 'countdown_to_liftoff', [], { from: 1e9 }]);
    const reply = await client.next();
    assert.equal(reply[4], 'wamp.error.invalid_argument');
    assert.match(reply[5][0], /^invalid argument 'from'/);
  });

  it('demo.stats: the clock and counters at once on subscribing, then every interval', async (t) => {
    const { url } = await serve(createDemoApp({ statsIntervalMs: 50 }), t);
    const client = await joined(url);
    t.after(() => client.close());
    client.send([CALL, 1, {}, 'math.add', [1, 2]]);
    await client.next();
    client.send([32, 2, {}, 'demo.stats']);
    const [type, , subscription] = await client.next();
    assert.equal(type, SUBSCRIBED);
    const events: Array<Record<string, any>> = [];
    for (let i = 0; i < 3; i++) {
      const event = await client.next(5000);
      assert.equal(event[0], EVENT);
      assert.equal(event[1], subscription);
      events.push(event[5]);
    }
    const [first, , third] = events as [Record<string, any>, Record<string, any>, Record<string, any>];
    assert.equal(first['sessions'], 1);
    assert.ok(first['calls'] >= 1, JSON.stringify(first));
    assert.ok(Date.parse(first['time']) <= Date.parse(third['time']));
    assert.ok(third['events'] > first['events'], 'each tick counts itself');
  });
});
