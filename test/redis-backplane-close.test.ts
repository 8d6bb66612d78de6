/**
 * Closing an application whose Redis backplane has a heartbeat in flight:
 * the heartbeat's commands fail once the application's own client is shut
 * (as `app.close()` then `client.quit()` do), and that is not an outage to
 * warn about. A fake RedisLink holds the heartbeat's first command open.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Application } from '../src/index.js';
import { redisBackplane, type RedisLink, type RedisSubscriber } from '../src/redis/index.js';
import { deferred, recordingLogger } from './helpers/auth.js';

describe('a Redis backplane closed with a heartbeat in flight', () => {
  it('logs no "degraded" warning for the commands that fail after close', async () => {
    const held = deferred<unknown>();
    let holding = true;
    let heartbeatStarted = (): void => undefined;
    const started = new Promise<void>((resolve) => (heartbeatStarted = resolve));
    const subscriber: RedisSubscriber = { ready: true, subscribe: async () => undefined, unsubscribe: async () => undefined, close: async () => undefined };
    const link: RedisLink = {
      ready: true,
      command: (args) => {
        // The heartbeat's first write (its registration) waits until the test lets it fail.
        if (args[0] === 'SET' && holding) {
          holding = false;
          heartbeatStarted();
          return held.promise.then(() => Promise.reject(new Error('The client is closed')));
        }
        return Promise.resolve(args[0] === 'PUBLISH' ? 1 : null);
      },
      subscriber: async () => subscriber,
      watch: () => () => undefined,
    };
    const logger = recordingLogger();
    const app = new Application({ backplane: redisBackplane({ client: link, heartbeatInterval: 60_000 }), logger });
    await started;
    await app.close();
    held.resolve(undefined);
    // Let the failed heartbeat run its course (bounded: a few turns of the event loop).
    for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(
      logger.records.filter((record) => record.includes('degraded')),
      [],
    );
  });
});
