/**
 * CALL timeouts as the spec has them (a timeout too large for a Node timer is
 * clamped; with progressive results it limits the gap between results), and
 * error URIs from the application that are not URIs never reach the wire.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { Application, RPCErrorResult, RPCProgressReport, RPCRouteSet, TopicRouteSet, WampError } from '../src/index.js';
import { recordingLogger } from './helpers/auth.js';
import { RawClient } from './helpers/raw-client.js';
import { serve } from './helpers/server.js';

/** A generator procedure that reports progress `steps` times, `gap` ms apart, then returns. */
function stepping(steps: number, gap: number) {
  return async function* ({ signal }: { signal: AbortSignal }) {
    for (let i = 1; i <= steps; i++) {
      await sleep(gap, undefined, { signal });
      yield new RPCProgressReport({ args: [i] });
    }
    return 'done';
  };
}

function createApp(logger = recordingLogger()): Application {
  const app = new Application({ logger });
  app.addRPCRoutes(
    new RPCRouteSet()
      .route('slow', async ({ signal }) => {
        await sleep(300, undefined, { signal });
        return 'slow done';
      })
      .route('steps', stepping(4, 500))
      .route('throws.bad', () => {
        throw new WampError('not a valid uri!', { args: ['why'] });
      })
      .route('returns.bad', () => new RPCErrorResult('bad..uri', { args: ['why'] }))
      .route('throws.good', () => {
        throw new WampError('app.error.fine', { args: ['why'] });
      }),
  );
  app.addTopicRoutes(
    new TopicRouteSet()
      .route('refuse.publish', {
        publish: () => {
          throw new WampError('# not a uri');
        },
      })
      .route('refuse.subscribe', () => {
        throw new WampError('');
      }),
  );
  return app;
}

async function session(app: Application, t: Parameters<typeof serve>[1]): Promise<RawClient> {
  const { url } = await serve(app, t);
  const raw = await RawClient.connect(url);
  t?.after(() => raw.close());
  assert.equal((await raw.hello())[0], 2);
  return raw;
}

describe('CALL timeout', () => {
  it('a timeout above 2^31-1 ms is clamped: the call completes, and Node writes no TimeoutOverflowWarning', async (t) => {
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning.name);
    process.on('warning', onWarning);
    t.after(() => process.off('warning', onWarning));
    const raw = await session(createApp(), t);
    raw.send([48, 1, { timeout: 2 ** 31 }, 'slow']);
    raw.send([48, 2, { timeout: 2 ** 40 }, 'slow']);
    assert.deepEqual(await raw.next(5000), [50, 1, {}, ['slow done']]);
    assert.deepEqual(await raw.next(5000), [50, 2, {}, ['slow done']]);
    await sleep(10); // warnings are emitted on the next tick
    assert.deepEqual(warnings.filter((name) => name === 'TimeoutOverflowWarning'), []);
  });

  it('session.call with a timeout above 2^31-1 ms is clamped too: a callee answering later still answers', async (t) => {
    const app = createApp();
    const { url } = await serve(app, t);
    const raw = await RawClient.connect(url);
    t.after(() => raw.close());
    const welcome = await raw.hello();
    raw.send([64, 1, {}, 'ui.confirm']);
    assert.equal((await raw.next())[0], 65);
    const result = app.getSession(welcome[1])!.call('ui.confirm', { timeout: 2 ** 31 });
    const invocation = await raw.next();
    assert.equal(invocation[0], 68);
    await sleep(50); // the unclamped timer fired after 1 ms
    raw.send([70, invocation[1], {}, ['yes']]);
    assert.deepEqual((await result).args, ['yes']);
  });

  it('with receive_progress, each progressive result restarts the timeout (spec: the limit between results)', async (t) => {
    const raw = await session(createApp(), t);
    // Four gaps of 500 ms (2 s in all) under a 1500 ms timeout: no gap comes near it, the whole call exceeds it.
    raw.send([48, 1, { timeout: 1500, receive_progress: true }, 'steps']);
    const seen: unknown[] = [];
    for (;;) {
      const msg = await raw.next(10_000);
      seen.push(msg[0] === 50 ? [msg[2].progress === true ? 'progress' : 'final', msg[3]?.[0]] : msg);
      if (msg[0] !== 50 || msg[2].progress !== true) break;
    }
    assert.deepEqual(seen, [
      ['progress', 1],
      ['progress', 2],
      ['progress', 3],
      ['progress', 4],
      ['final', 'done'],
    ]);
  });

  it('without receive_progress, the timeout covers the whole call', async (t) => {
    const raw = await session(createApp(), t);
    raw.send([48, 1, { timeout: 1500 }, 'steps']);
    const reply = await raw.next(10_000);
    assert.deepEqual(reply.slice(0, 5), [8, 48, 1, {}, 'wamp.error.timeout']);
  });
});

describe('error URIs from the application', () => {
  it('a thrown WampError or returned RPCErrorResult with an invalid URI is sent as runtime_error and logged', async (t) => {
    const logger = recordingLogger();
    const raw = await session(createApp(logger), t);
    raw.send([48, 1, {}, 'throws.bad']);
    assert.deepEqual((await raw.next()).slice(0, 5), [8, 48, 1, {}, 'wamp.error.runtime_error']);
    raw.send([48, 2, {}, 'returns.bad']);
    assert.deepEqual((await raw.next()).slice(0, 5), [8, 48, 2, {}, 'wamp.error.runtime_error']);
    raw.send([48, 3, {}, 'throws.good']);
    assert.deepEqual((await raw.next()).slice(0, 5), [8, 48, 3, {}, 'app.error.fine']);
    assert.ok(logger.records.some((r) => r.includes('not a valid uri!') && r.includes('invalid error URI')), logger.records.join('\n'));
    assert.ok(logger.records.some((r) => r.includes('bad..uri')), 'the returned bad URI is logged');
  });

  it('publish and subscription handler refusals with an invalid URI are sent as runtime_error', async (t) => {
    const raw = await session(createApp(), t);
    raw.send([16, 1, { acknowledge: true }, 'refuse.publish']);
    assert.deepEqual((await raw.next()).slice(0, 5), [8, 16, 1, {}, 'wamp.error.runtime_error']);
    raw.send([32, 2, {}, 'refuse.subscribe']);
    assert.deepEqual((await raw.next()).slice(0, 5), [8, 32, 2, {}, 'wamp.error.runtime_error']);
  });

  it('session.close and session.abort with a reason that is not a URI fail fast, and the session stays', async (t) => {
    const app = createApp();
    const { url } = await serve(app, t);
    const raw = await RawClient.connect(url);
    t.after(() => raw.close());
    const session = app.getSession((await raw.hello())[1])!;
    assert.throws(() => session.close('bye now'), { name: 'ServerwampError', code: 'ERR_INVALID_URI' });
    assert.throws(() => session.abort('', 'm'), { name: 'ServerwampError', code: 'ERR_INVALID_URI' });
    raw.send([48, 1, {}, 'slow']);
    assert.deepEqual(await raw.next(5000), [50, 1, {}, ['slow done']]);
  });

  it('a session state handler refusing with an invalid URI ABORTs with runtime_error', async (t) => {
    const app = createApp();
    app.defaultRealm.addSessionStateHandler(
      () => {
        throw new WampError('no way');
      },
      { authenticatedOnly: false },
    );
    const { url } = await serve(app, t);
    const raw = await RawClient.connect(url);
    t.after(() => raw.close());
    const reply = await raw.hello();
    assert.deepEqual([reply[0], reply[2]], [3, 'wamp.error.runtime_error']);
  });
});
