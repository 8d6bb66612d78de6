/**
 * Bounded fuzzing: thousands of random and mutated messages, over JSON and
 * msgpack, never crash the server or disturb another session. Each fuzzing
 * session either gets answers or is ABORTed with a protocol violation.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Application, RPCRouteSet, TopicRouteSet } from '../src/index.js';
import { connectAutobahn } from './helpers/clients.js';
import { RawClient } from './helpers/raw-client.js';
import { serve } from './helpers/server.js';

/** A small deterministic PRNG (mulberry32), so that a failure can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES = [1, 2, 3, 4, 5, 6, 8, 16, 17, 32, 33, 34, 35, 36, 48, 49, 50, 64, 65, 66, 67, 68, 69, 70, 0, 7, 255, 1024, -1];
const URIS = ['math.add', 'echo', 'topic.a', 'topic.', 'a..b', '', 'wamp.session.count', 'x y', '__proto__', 'constructor'];

function randomValue(rand: () => number, depth: number): unknown {
  const pick = Math.floor(rand() * (depth > 2 ? 7 : 10));
  switch (pick) {
    case 0: return Math.floor(rand() * 2 ** 53);
    case 1: return rand() < 0.5 ? -rand() * 1e6 : rand();
    case 2: return URIS[Math.floor(rand() * URIS.length)];
    case 3: return rand() < 0.5;
    case 4: return null;
    case 5: return 'x'.repeat(Math.floor(rand() * 40));
    case 6: return Math.floor(rand() * 100);
    case 7: return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(rand, depth + 1));
    case 8: {
      const obj: Record<string, unknown> = {};
      for (let i = Math.floor(rand() * 4); i > 0; i--) {
        const key = ['__proto__', 'constructor', 'match', 'acknowledge', 'receive_progress', 'timeout', 'mode', 'exclude_me', 'roles'][Math.floor(rand() * 9)]!;
        Object.defineProperty(obj, key, { value: randomValue(rand, depth + 1), enumerable: true, configurable: true, writable: true });
      }
      return obj;
    }
    default: return Array.from({ length: Math.floor(rand() * 3) }, () => randomValue(rand, depth + 1));
  }
}

/** A message that is usually almost right: a real type code, then plausible or random elements. */
function randomMessage(rand: () => number): unknown[] {
  const type = TYPES[Math.floor(rand() * TYPES.length)]!;
  const length = Math.floor(rand() * 7);
  const message: unknown[] = [type];
  const plausible = [Math.floor(rand() * 20) + 1, {}, URIS[Math.floor(rand() * URIS.length)], [1, 2], { a: 1 }];
  for (let i = 0; i < length; i++) message.push(rand() < 0.6 ? plausible[i % plausible.length] : randomValue(rand, 1));
  return message;
}

function createApp(): Application {
  const app = new Application({ helloTimeout: 0 });
  const routes = new RPCRouteSet();
  routes.route('math.add', { params: ['a', 'b'] }, ({ a, b }) => Number(a) + Number(b));
  routes.route('echo', (request) => request.args);
  app.addRPCRoutes(routes);
  const topics = new TopicRouteSet();
  topics.prefixRoute('topic.', { publish: (request) => void request.forward() });
  app.addTopicRoutes(topics);
  return app;
}

describe('fuzzing', () => {
  for (const protocol of ['wamp.2.json', 'wamp.2.msgpack']) {
    it(`random messages over ${protocol} never crash the server or disturb others`, async (t) => {
      const { url } = await serve(createApp(), t);
      const bystander = await connectAutobahn(url);
      const uncaught: unknown[] = [];
      const onUncaught = (error: unknown): void => void uncaught.push(error);
      process.on('uncaughtException', onUncaught);
      process.on('unhandledRejection', onUncaught);
      t.after(() => {
        process.off('uncaughtException', onUncaught);
        process.off('unhandledRejection', onUncaught);
      });
      const seed = 20261125 + protocol.length;
      const rand = prng(seed);
      let aborted = 0;
      const sessions = 60;
      for (let s = 0; s < sessions; s++) {
        const client = await RawClient.connect(url, protocol);
        if (rand() < 0.8) client.send([1, 'realm1', { roles: { caller: {}, subscriber: {}, publisher: {} } }]);
        for (let m = 0; m < 40; m++) client.send(randomMessage(rand));
        // Drain until the server stops talking or closes the connection.
        let closed = false;
        void client.closed.then(() => (closed = true));
        for (;;) {
          let message: any[];
          try {
            message = await client.next(closed ? 1 : 100);
          } catch {
            break;
          }
          if (message[0] === 3) {
            assert.equal(typeof message[1].message === 'string' || message[1].message === undefined, true);
            aborted++;
          }
          assert.doesNotMatch(JSON.stringify(message), /at .*\.(ts|js):\d+/, 'no stack trace reaches a client');
        }
        client.ws.terminate();
      }
      assert.ok(aborted > 0, 'some sessions were aborted as protocol violations');
      assert.equal(await bystander.session.call('math.add', [20, 22]), 42, `seed ${seed}`);
      await bystander.close();
      assert.deepEqual(uncaught, [], `seed ${seed}`);
      assert.equal(({} as Record<string, unknown>)['a'], undefined);
    });
  }
});
