/**
 * The demo's cluster mode (REDIS_URL set): every `npm start` joins the others
 * through one Redis, with the backplane, the shared retained events and the
 * demo's documents all in it. See docs/scaling.md.
 */
import { createClient } from 'redis';
import type { Backplane, RetainedStore } from '../src/index.js';
import { redisBackplane, redisRetainedStore } from '../src/redis/index.js';
import { redisDocuments, type DocumentStore } from './demo-documents.js';

export interface DemoCluster {
  readonly backplane: Backplane;
  readonly retainedStore: RetainedStore;
  readonly documents: DocumentStore;
  /** Where the Redis is, without any password the URL carried (for printing). */
  readonly where: string;
  /** Waits until this node can reach the others (its inbox is subscribed). */
  ready(): Promise<void>;
  /** Disconnects from Redis; call after `app.close()`. */
  close(): Promise<void>;
}

export function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return '(an unparsable REDIS_URL)';
  }
}

/** Connects to the Redis at `url`; rejects, without retrying, if the first connection fails. */
async function connectRedis(url: string): Promise<ReturnType<typeof createClient>> {
  let connected = false;
  // Once up, a lost Redis is retried for ever (the backplane reports the outage); at start, a wrong URL fails at once.
  const client = createClient({ url, socket: { reconnectStrategy: (retries, cause) => (connected ? Math.min(100 * (retries + 1), 2000) : cause) } });
  // Until the backplane listens to the client's 'error' events, an error must not crash the process: connect() reports it.
  const ignore = (): void => {};
  client.on('error', ignore);
  try {
    await client.connect();
    connected = true;
    return client;
  } finally {
    client.off('error', ignore);
  }
}

export async function joinCluster(url: string): Promise<DemoCluster> {
  const client = await connectRedis(url);
  const backplane = redisBackplane({ client });
  return {
    backplane,
    retainedStore: redisRetainedStore({ client }),
    documents: await redisDocuments(client),
    where: withoutCredentials(url),
    ready: () => backplane.ready(),
    async close() {
      await client.close();
    },
  };
}
