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

function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return '(an unparsable REDIS_URL)';
  }
}

export async function joinCluster(url: string): Promise<DemoCluster> {
  const client = await createClient({ url }).connect();
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
