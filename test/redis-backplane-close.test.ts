/**
 * Closing an application whose Redis backplane has a heartbeat in flight
 * (as `app.close()` then `client.quit()` do): the heartbeat sends nothing
 * more to the client being shut, and a command of it that fails then is not
 * an outage to warn about. A fake RedisLink holds the heartbeat's first
 * command open until the application is closed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Application } from '../src/index.js';
import { redisBackplane, type RedisLink, type RedisSubscriber } from '../src/redis/index.js';
import { deferred, recordingLogger } from './helpers/auth.js';

/** Starts an application on a link whose first SET (the heartbeat's registration) settles as `outcome` once released. */
async function closedMidHeartbeat(outcome: 'fails' | 'succeeds'): Promise<{ records: string[]; sentAfterClose: string[] }> {
  const held = deferred();
  let holding = true;
  let closed = false;
  const sentAfterClose: string[] = [];
  const heartbeat = deferred();
  const subscriber: RedisSubscriber = { ready: true, subscribe: async () => undefined, unsubscribe: async () => undefined, close: async () => undefined };
  const link: RedisLink = {
    ready: true,
    command: (args) => {
      if (closed) sentAfterClose.push(args[0]!);
      if (args[0] === 'SET' && holding) {
        holding = false;
        heartbeat.resolve();
        return held.promise.then(() => (outcome === 'fails' ? Promise.reject(new Error('The client is closed')) : 'OK'));
      }
      return Promise.resolve(args[0] === 'PUBLISH' ? 1 : null);
    },
    subscriber: async () => subscriber,
    watch: () => () => undefined,
  };
  const logger = recordingLogger();
  const app = new Application({ backplane: redisBackplane({ client: link, heartbeatInterval: 60_000 }), logger });
  await heartbeat.promise;
  await app.close();
  closed = true;
  held.resolve();
  // Let the heartbeat run its course (bounded: a few turns of the event loop).
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
  return { records: logger.records, sentAfterClose };
}

describe('a Redis backplane closed with a heartbeat in flight', () => {
  it('logs no "degraded" warning for a heartbeat command that fails after close', async () => {
    const { records } = await closedMidHeartbeat('fails');
    assert.deepEqual(
      records.filter((record) => record.includes('degraded')),
      [],
    );
  });

  it('sends no further heartbeat command once closed', async () => {
    const { sentAfterClose, records } = await closedMidHeartbeat('succeeds');
    assert.deepEqual(sentAfterClose, []);
    assert.deepEqual(
      records.filter((record) => record.includes('degraded')),
      [],
    );
  });
});
