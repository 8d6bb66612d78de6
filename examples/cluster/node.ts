/**
 * One node of the cluster example: an application on PORT that joins the
 * others through the Redis at REDIS_URL. Clients subscribe to `chat` and
 * publish to it; a publication on any node reaches the subscribers of all.
 *
 *   REDIS_URL=redis://127.0.0.1:6379 PORT=8081 npx tsx examples/cluster/node.ts
 */
import { createClient } from 'redis';
import { Application, TopicRouteSet } from '../../src/index.js';
import { listen } from '../../src/node/index.js';
import { redisBackplane, redisRetainedStore } from '../../src/redis/index.js';

const client = await createClient({ url: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379' }).connect();
const backplane = redisBackplane({ client });
const app = new Application({ backplane, retainedStore: redisRetainedStore({ client }) });
app.addTopicRoutes(new TopicRouteSet().route('chat', { publish: (request) => void request.forward() }));

const listening = await listen(app, { port: Number(process.env['PORT'] ?? 8081), host: '127.0.0.1' });
await backplane.ready();
console.log(`node ${app.nodeId.slice(0, 8)} serving ${listening.url}`);
process.send?.({ url: listening.url });

const stop = async (): Promise<void> => {
  await app.close();
  await listening.close();
  await client.quit();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
