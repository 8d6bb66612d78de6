/**
 * A serverwamp node of the cluster part: the fan-out target's application
 * with the Redis backplane, as docs/scaling.md sets it up. Loaded from the compiled build when the harness made one.
 * @module
 */
import type * as API from '../../src/index.js';
import type * as RedisAPI from '../../src/redis/index.js';
import { listen } from '../../src/node/index.js';
import { EVENT_ARGS, EVENT_KWARGS, EVENT_TOPIC } from '../targets/target.js';
import { connectRedis, type RedisClientKind } from './redis-client.js';
import { PROBE_TOPIC, type ClusterNode } from './target.js';

const entry = process.env['BENCH_SERVERWAMP'] ?? new URL('../../src/index.js', import.meta.url).href;

export async function start(redisUrl: string, kind: RedisClientKind): Promise<ClusterNode> {
  const { Application, TopicRouteSet } = (await import(entry)) as typeof API;
  const { redisBackplane } = (await import(new URL('redis/index.js', entry).href)) as typeof RedisAPI;
  const redis = await connectRedis(kind, redisUrl);
  const backplane = redisBackplane({ client: redis.client });
  const app = new Application({ backplane });
  let subscribers = 0;
  const topics = new TopicRouteSet()
    .route(EVENT_TOPIC, async function* () {
      subscribers++;
      yield;
      subscribers--;
    })
    .route(PROBE_TOPIC, {});
  app.addTopicRoutes(topics);
  const listening = await listen(app, { port: 0, host: '127.0.0.1', path: '/ws' });
  await backplane.ready();
  return {
    url: listening.url,
    subscribers: () => subscribers,
    reachesPeer: (event) => backplane.nodesFor(event === 'fanout' ? EVENT_TOPIC : PROBE_TOPIC).length > 0,
    publish() {
      app.publish(EVENT_TOPIC, { args: [...EVENT_ARGS], kwargs: { ...EVENT_KWARGS } });
    },
    publishProbe(seq, sentNs) {
      app.publish(PROBE_TOPIC, { args: [seq, sentNs] });
    },
    async close() {
      await app.close();
      await listening.close();
      await redis.close();
    },
  };
}
