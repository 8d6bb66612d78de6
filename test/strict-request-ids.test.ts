/**
 * `strictRequestIds` against the spec rule ("IDs", session scope): the
 * request ids of SUBSCRIBE, UNSUBSCRIBE, PUBLISH, REGISTER, UNREGISTER and
 * CALL start at 1 and go up by 1 in one sequence per session; CANCEL, YIELD
 * and ERROR mirror another id and are not part of it. Anything else is
 * ABORT protocol_violation.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Application, RPCRouteSet, TopicRouteSet } from '../src/index.js';
import { RawClient } from './helpers/raw-client.js';
import { serve } from './helpers/server.js';

function createApp(): Application {
  const app = new Application({ strictRequestIds: true });
  app.addRPCRoutes(new RPCRouteSet().route('echo', ({ args }) => args[0]));
  app.addTopicRoutes(new TopicRouteSet().route('news', { publish: (request) => void request.forward() }));
  return app;
}

async function session(t: Parameters<typeof serve>[1]): Promise<RawClient> {
  const { url } = await serve(createApp(), t);
  const raw = await RawClient.connect(url);
  t?.after(() => raw.close());
  assert.equal((await raw.hello())[0], 2);
  return raw;
}

async function expectOutOfSequence(raw: RawClient, expected: number): Promise<void> {
  const abort = await raw.next();
  assert.deepEqual([abort[0], abort[2]], [3, 'wamp.error.protocol_violation']);
  assert.match(abort[1].message, new RegExp(`out of sequence \\(expected ${expected}\\)`));
}

describe('strictRequestIds', () => {
  it('one sequence from 1 over every request type; CANCEL does not take a number', async (t) => {
    const raw = await session(t);
    raw.send([32, 1, {}, 'news']);
    assert.equal((await raw.next())[0], 33);
    raw.send([16, 2, { acknowledge: true }, 'news']);
    assert.equal((await raw.next())[0], 17);
    raw.send([48, 3, {}, 'echo', ['x']]);
    assert.deepEqual(await raw.next(), [50, 3, {}, ['x']]);
    raw.send([49, 3, {}]); // mirrors CALL 3 (finished: ignored)
    raw.send([48, 4, {}, 'echo', ['y']]);
    assert.deepEqual(await raw.next(), [50, 4, {}, ['y']]);
  });

  it('the first request id must be 1', async (t) => {
    const raw = await session(t);
    raw.send([48, 2, {}, 'echo', ['x']]);
    await expectOutOfSequence(raw, 1);
  });

  it('a CALL reusing an earlier id is out of sequence (no progressive call invocations)', async (t) => {
    const raw = await session(t);
    raw.send([48, 1, {}, 'echo', ['x']]);
    assert.deepEqual(await raw.next(), [50, 1, {}, ['x']]);
    raw.send([48, 1, {}, 'echo', ['again']]);
    await expectOutOfSequence(raw, 2);
  });

  it('a new session after GOODBYE starts again at 1', async (t) => {
    const raw = await session(t);
    raw.send([48, 1, {}, 'echo', ['x']]);
    assert.deepEqual(await raw.next(), [50, 1, {}, ['x']]);
    raw.send([6, {}, 'wamp.close.close_realm']);
    assert.equal((await raw.next())[0], 6);
    assert.equal((await raw.hello())[0], 2);
    raw.send([48, 1, {}, 'echo', ['y']]);
    assert.deepEqual(await raw.next(), [50, 1, {}, ['y']]);
  });
});
