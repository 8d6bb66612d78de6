/**
 * Per-connection rate limits (`limits.messageRate`, `limits.callRate`) as
 * clients see them: a request over the limit gets ERROR
 * `serverwamp.error.rate_limited` naming the limit, a persistent offender
 * gets ABORT and its transport closed, and each refusal is counted in
 * `app.refusals`. The clock is the test's: nothing here depends on timing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Application, RPCRouteSet, ServerwampError, silentLogger, TopicRouteSet, type LimitOptions } from '../src/index.js';
import { connectAutobahn, connectWampy } from './helpers/clients.js';
import { RawClient } from './helpers/raw-client.js';
import { RawSocketClient } from './helpers/rawsocket-client.js';
import { serve, serveRawSocket } from './helpers/server.js';

const ERROR = 8;
const RESULT = 50;
const ABORT = 3;
const CALL = 48;
const SUBSCRIBE = 32;
const PUBLISH = 16;
const PUBLISHED = 17;
const SUBSCRIBED = 33;
const GOODBYE = 6;
const WELCOME = 2;

/** A clock the test moves by hand. */
function manualClock(): { now: () => number; advance(ms: number): void } {
  let t = 1_000_000;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

function limitedApp(limits: LimitOptions): Application {
  const app = new Application({ logger: silentLogger, limits });
  app.addRPCRoutes(new RPCRouteSet().route('echo', (request) => request.args[0] ?? null));
  const forward = { publish: (request: { forward(): number }) => void request.forward() };
  app.addTopicRoutes(new TopicRouteSet().route('news', forward));
  return app;
}

describe('limits.callRate', () => {
  it('refuses the call over the burst with serverwamp.error.rate_limited (autobahn-js), then lets calls through as tokens refill', async (t) => {
    const clock = manualClock();
    const app = limitedApp({ callRate: { rate: 1, burst: 2 }, clock: clock.now });
    const { url } = await serve(app, t);
    const client = await connectAutobahn(url);
    t.after(() => client.close());
    assert.equal(await client.session.call('echo', [1]), 1);
    assert.equal(await client.session.call('echo', [2]), 2);
    const refused = await client.session.call('echo', [3]).then(
      () => assert.fail('the third call should be refused'),
      (error: { error: string; args: unknown[] }) => error,
    );
    assert.equal(refused.error, 'serverwamp.error.rate_limited');
    assert.match(String(refused.args[0]), /callRate allows 1 calls per second \(burst 2\)/);
    clock.advance(1000);
    assert.equal(await client.session.call('echo', [4]), 4, 'one token back after a second');
    assert.equal(app.refusals.callRate, 1);
    assert.equal(app.refusals.rateLimitAbort, 0);
  });

  it('refuses wampy the same way, on msgpack', async (t) => {
    const clock = manualClock();
    const app = limitedApp({ callRate: { rate: 5 }, clock: clock.now });
    const { url } = await serve(app, t);
    const wampy = await connectWampy(url, { serializer: 'msgpack' });
    t.after(() => wampy.disconnect().catch(() => undefined));
    const outcomes: string[] = [];
    for (let i = 0; i < 7; i++) {
      await wampy.call('echo', [i]).then(
        () => outcomes.push('ok'),
        (error: { errorUri?: string }) => outcomes.push(String(error.errorUri)),
      );
    }
    // The default burst is the rate: five at once, then refusals.
    assert.deepEqual(outcomes, ['ok', 'ok', 'ok', 'ok', 'ok', 'serverwamp.error.rate_limited', 'serverwamp.error.rate_limited']);
    assert.equal(app.refusals.callRate, 2);
  });
});

describe('limits.messageRate', () => {
  it('answers every kind of request over it with ERROR of its own type; an unacknowledged PUBLISH is dropped without an answer', async (t) => {
    const clock = manualClock();
    const app = limitedApp({ messageRate: { rate: 1, burst: 1 }, clock: clock.now });
    const { url } = await serve(app, t);
    const client = await RawClient.connect(url);
    t.after(() => client.close());
    assert.equal((await client.hello())[0], WELCOME);
    client.send([SUBSCRIBE, 1, {}, 'news']);
    assert.equal((await client.next())[0], SUBSCRIBED);
    client.send([SUBSCRIBE, 2, {}, 'news']);
    const [type, requestType, requestId, , uri, args] = await client.next();
    assert.deepEqual([type, requestType, requestId, uri], [ERROR, SUBSCRIBE, 2, 'serverwamp.error.rate_limited']);
    assert.match(args[0], /messageRate allows 1 requests per second \(burst 1\)/);
    client.send([PUBLISH, 3, {}, 'news', ['dropped']]);
    client.send([PUBLISH, 4, { acknowledge: true }, 'news', ['refused']]);
    const refusedPublish = await client.next();
    assert.deepEqual(refusedPublish.slice(0, 3).concat(refusedPublish[4]), [ERROR, PUBLISH, 4, 'serverwamp.error.rate_limited']);
    client.send([CALL, 5, {}, 'echo', ['x']]);
    assert.deepEqual((await client.next()).slice(0, 3).concat([]), [ERROR, CALL, 5]);
    clock.advance(1000);
    client.send([PUBLISH, 6, { acknowledge: true }, 'news', ['allowed']]);
    assert.equal((await client.next())[0], PUBLISHED);
    assert.equal(app.refusals.messageRate, 4);
  });

  it('keeps the bucket across GOODBYE and a new HELLO on the same connection (no refill by rejoining)', async (t) => {
    const clock = manualClock();
    const app = limitedApp({ messageRate: { rate: 1, burst: 1 }, clock: clock.now });
    const { url } = await serve(app, t);
    const client = await RawClient.connect(url);
    t.after(() => client.close());
    await client.hello();
    client.send([CALL, 1, {}, 'echo', ['a']]);
    assert.equal((await client.next())[0], RESULT);
    client.send([GOODBYE, {}, 'wamp.close.close_realm']);
    assert.equal((await client.next())[0], GOODBYE);
    assert.equal((await client.hello())[0], WELCOME);
    client.send([CALL, 2, {}, 'echo', ['b']]);
    const reply = await client.next();
    assert.deepEqual([reply[0], reply[4]], [ERROR, 'serverwamp.error.rate_limited']);
  });

  it('survives a clock set back: no refill from it, and no freeze until the clock catches up', async (t) => {
    const clock = manualClock();
    const app = limitedApp({ callRate: { rate: 1, burst: 1 }, abortAfterRefusals: 0, clock: clock.now });
    const { url } = await serve(app, t);
    const client = await RawClient.connect(url);
    t.after(() => client.close());
    await client.hello();
    const call = async (id: number): Promise<unknown> => {
      client.send([CALL, id, {}, 'echo', [id]]);
      const reply = await client.next();
      return reply[0] === RESULT ? 'ok' : reply[4];
    };
    assert.equal(await call(1), 'ok');
    clock.advance(-60_000);
    assert.equal(await call(2), 'serverwamp.error.rate_limited');
    clock.advance(1000);
    assert.equal(await call(3), 'ok', 'a second after the jump, a token is back');
  });

  it('applies on RawSocket too', async (t) => {
    const clock = manualClock();
    const app = limitedApp({ messageRate: { rate: 2, burst: 1 }, clock: clock.now });
    const { port } = await serveRawSocket(app, t);
    const client = await RawSocketClient.open(port);
    t.after(() => client.close());
    await client.hello();
    client.send([CALL, 1, {}, 'echo', ['a']]);
    client.send([CALL, 2, {}, 'echo', ['b']]);
    assert.equal((await client.next())[0], RESULT);
    const reply = await client.next();
    assert.deepEqual([reply[0], reply[2], reply[4]], [ERROR, 2, 'serverwamp.error.rate_limited']);
  });
});

describe('a persistent offender', () => {
  it('gets ABORT serverwamp.error.rate_limited after abortAfterRefusals refusals within the window, and its connection is closed', async (t) => {
    const clock = manualClock();
    const app = limitedApp({ callRate: { rate: 1, burst: 1 }, abortAfterRefusals: 3, refusalWindow: 5000, clock: clock.now });
    const { url } = await serve(app, t);
    const client = await RawClient.connect(url);
    await client.hello();
    for (let id = 1; id <= 5; id++) client.send([CALL, id, {}, 'echo', [id]]);
    assert.equal((await client.next())[0], RESULT);
    // Every refused call is answered, the one that tips the client over too; call 5 is never read.
    for (const id of [2, 3, 4]) assert.deepEqual((await client.next()).filter((_, i) => i === 2 || i === 4), [id, 'serverwamp.error.rate_limited']);
    const abort = await client.next();
    assert.equal(abort[0], ABORT);
    assert.equal(abort[2], 'serverwamp.error.rate_limited');
    assert.match(abort[1].message, /3 within 5000 ms/);
    assert.equal((await client.closed).code, 1000);
    assert.deepEqual([app.refusals.callRate, app.refusals.rateLimitAbort], [3, 1]);
    assert.equal(app.health().sessions, 0);
  });

  it('is not aborted when its refusals are spread over more than the window', async (t) => {
    const clock = manualClock();
    const app = limitedApp({ callRate: { rate: 0.001, burst: 1 }, abortAfterRefusals: 2, refusalWindow: 1000, clock: clock.now });
    const { url } = await serve(app, t);
    const client = await RawClient.connect(url);
    t.after(() => client.close());
    await client.hello();
    client.send([CALL, 1, {}, 'echo', [1]]);
    assert.equal((await client.next())[0], RESULT);
    for (let id = 2; id <= 5; id++) {
      client.send([CALL, id, {}, 'echo', [id]]);
      assert.equal((await client.next())[4], 'serverwamp.error.rate_limited', `call ${id}`);
      clock.advance(1000);
    }
    assert.equal(app.refusals.rateLimitAbort, 0);
  });

  it('leaves no autobahn-js call hanging: the call that tips it over is answered before the ABORT closes the connection', async (t) => {
    const clock = manualClock();
    const app = limitedApp({ callRate: { rate: 1, burst: 1 }, abortAfterRefusals: 2, clock: clock.now });
    const { url } = await serve(app, t);
    const client = await connectAutobahn(url);
    const settled = await Promise.allSettled([1, 2, 3].map((i) => client.session.call('echo', [i])));
    assert.equal(settled[0]!.status, 'fulfilled');
    for (const outcome of settled.slice(1)) {
      assert.equal(outcome.status, 'rejected');
      assert.equal((outcome as PromiseRejectedResult).reason.error, 'serverwamp.error.rate_limited');
    }
    // autobahn-js does not report the reason of an ABORT on an open session; it sees the connection close.
    const { reason, details } = await client.closed;
    assert.equal(reason, 'closed');
    assert.equal(details.will_retry, false);
    assert.equal(app.refusals.rateLimitAbort, 1);
  });
});

describe('limits options', () => {
  const invalid = (limits: unknown, pattern: RegExp): void => {
    assert.throws(
      () => new Application({ logger: silentLogger, limits: limits as LimitOptions }),
      (error: unknown) => error instanceof ServerwampError && error.code === 'ERR_INVALID_OPTION' && pattern.test(error.message),
    );
  };
  it('are checked when the application is made', () => {
    invalid({ callRate: { burst: 3 } }, /limits\.callRate\.rate is required/);
    invalid({ callRate: { rate: 0 } }, /limits\.callRate\.rate must be a positive number/);
    invalid({ messageRate: { rate: 10, burst: 0.5 } }, /limits\.messageRate\.burst must be a number of at least 1/);
    invalid({ maxSessions: 0 }, /limits\.maxSessions must be a positive integer/);
    invalid({ maxSessionsPerRealm: 1.5 }, /limits\.maxSessionsPerRealm must be a positive integer/);
    invalid({ maxConnectionsPerAdress: 3 }, /limits\.maxConnectionsPerAdress is not an option \(did you mean maxConnectionsPerAddress\?\)/);
    invalid({ abortAfterRefusals: -1 }, /limits\.abortAfterRefusals must be a non-negative integer/);
    invalid({ refusalWindow: 0 }, /limits\.refusalWindow must be a number of milliseconds from 1/);
    invalid({ clock: 5 }, /limits\.clock must be a function/);
    invalid('fast', /limits must be an object/);
  });
});
