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

const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
let connected = false;
// A Redis lost later is retried (the backplane reports the outage); one unreachable at start ends the process.
const client = createClient({ url, socket: { reconnectStrategy: (retries, cause) => (connected ? Math.min(100 * (retries + 1), 2000) : cause) } });
const ignore = (): void => {}; // connect() reports the first failure; an 'error' event must not crash before that
client.on('error', ignore);
try {
  await client.connect();
  connected = true;
} catch (error) {
  console.error(`cannot reach Redis at ${process.env['REDIS_URL'] === undefined ? url : 'REDIS_URL'}: ${(error as Error).message}`);
  process.exit(1);
} finally {
  client.off('error', ignore);
}
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
