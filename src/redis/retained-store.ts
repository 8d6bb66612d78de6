/**
 * Retained events in Redis, shared by every node ({@link redisRetainedStore},
 * scope `'cluster'`): a later subscriber on any node gets the latest retained
 * event published on any node, and the events outlive the node that
 * published them. Per realm, a hash maps each topic to its events newest
 * first, replaced atomically by a script with the in-memory store's rules
 * (an event replaces those of an equal audience, an unrestricted one all; at
 * most 8 per topic; the topic retained longest ago forgotten past
 * `maxTopics`).
 * @module
 */
import type { RetainedStore } from '../events/retained-store.js';
import { ServerwampError } from '../errors.js';
import { matchesWildcard, type MatchPolicy } from '../protocol/uri.js';
import { toRedisLink } from './detect.js';
import { decodeEnvelope, encodeEnvelope, EnvelopeError } from './envelope.js';
import type { RedisLink } from './link.js';
import { DEFAULT_PREFIX } from './names.js';

type Publication = Parameters<RetainedStore['retain']>[1];
type Lists = readonly (readonly Publication[])[];

/**
 * Options of {@link redisRetainedStore}.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { Application } from 'serverwamp';
 * import { redisBackplane, redisRetainedStore } from 'serverwamp/redis';
 *
 * const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
 * const app = new Application({
 *   backplane: redisBackplane({ client, prefix: 'chat-app:' }),
 *   retainedStore: redisRetainedStore({ client, prefix: 'chat-app:', maxTopics: 50_000, maxEventLength: 64 * 1024 }),
 * });
 * ```
 */
export interface RedisRetainedStoreOptions {
  /** A connected node-redis v5 client, an ioredis client, or a `RedisLink`. */
  client: unknown;
  /** Prefix of every key (default `'serverwamp:'`). */
  prefix?: string;
  /** Topics per realm, at most (default 10,000): past it the topic retained longest ago is forgotten. */
  maxTopics?: number;
  /** A topic longer than this (default 1,024 characters) is not retained: it would make an oversized field. */
  maxTopicLength?: number;
  /** An event whose encoding is longer than this (default 262,144 characters) is not retained. */
  maxEventLength?: number;
}

/**
 * The store, with what it refused to keep: what {@link redisRetainedStore} returns.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { Application } from 'serverwamp';
 * import { redisBackplane, redisRetainedStore } from 'serverwamp/redis';
 *
 * const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
 * const retainedStore = redisRetainedStore({ client });
 * const app = new Application({ backplane: redisBackplane({ client }), retainedStore });
 * router.get('/retained', (_request, response) => response.status(200).json({ refused: retainedStore.refused, decodeErrors: retainedStore.decodeErrors }));
 * ```
 */
export interface RedisRetainedStore extends RetainedStore {
  /** Always `cluster`: every node reads and writes the same Redis. */
  readonly scope: 'cluster';
  /** Retained publications not kept because their topic or payload was over the limits. */
  readonly refused: number;
  /** Stored events that could not be read back (corrupt or foreign), skipped. */
  readonly decodeErrors: number;
}

const PER_TOPIC = 8;

// Keeps a topic's events newest first: the new one, then the older ones it does not cover.
// ARGV: topic, audience key ('' for everyone), encoded event, per-topic limit, topic limit.
const RETAIN = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
local kept = {{ARGV[2], ARGV[3]}}
if raw then
  for _, e in ipairs(cjson.decode(raw)) do
    if ARGV[2] ~= '' and e[1] ~= ARGV[2] then kept[#kept + 1] = e end
  end
end
if #kept > tonumber(ARGV[4]) then
  if kept[#kept][1] == '' then table.remove(kept, #kept - 1) else table.remove(kept, #kept) end
end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(kept))
redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[3]), ARGV[1])
if redis.call('ZCARD', KEYS[2]) > tonumber(ARGV[5]) then
  local oldest = redis.call('ZPOPMIN', KEYS[2])
  redis.call('HDEL', KEYS[1], oldest[1])
end
return #kept
`;

function limit(value: number | undefined, fallback: number, key: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) throw new ServerwampError('ERR_INVALID_OPTION', `redisRetainedStore: ${key} must be a positive integer`);
  return value;
}

/**
 * Creates a retained store in Redis, to pass as `retainedStore` with a
 * Redis backplane: `new Application({ backplane, retainedStore })`.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 *
 * const client = await createClient({ url: 'redis://127.0.0.1:6379' }).connect();
 * const app = new Application({ backplane: redisBackplane({ client }), retainedStore: redisRetainedStore({ client }) });
 * ```
 */
export function redisRetainedStore(options: RedisRetainedStoreOptions): RedisRetainedStore {
  const link = toRedisLink(options.client, 'redisRetainedStore: client');
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  if (typeof prefix !== 'string') throw new ServerwampError('ERR_INVALID_OPTION', 'redisRetainedStore: prefix must be a string');
  return new Store(link, prefix, {
    maxTopics: limit(options.maxTopics, 10_000, 'maxTopics'),
    maxTopicLength: limit(options.maxTopicLength, 1024, 'maxTopicLength'),
    maxEventLength: limit(options.maxEventLength, 262_144, 'maxEventLength'),
  });
}

interface Limits {
  readonly maxTopics: number;
  readonly maxTopicLength: number;
  readonly maxEventLength: number;
}

class Store implements RedisRetainedStore {
  readonly scope = 'cluster';
  readonly #link: RedisLink;
  readonly #prefix: string;
  readonly #limits: Limits;
  refused = 0;
  decodeErrors = 0;

  constructor(link: RedisLink, prefix: string, limits: Limits) {
    this.#link = link;
    this.#prefix = prefix;
    this.#limits = limits;
  }

  /** The realm's keys share a hash tag, so that one script may touch them all in Redis Cluster. */
  #keys(realm: string): [hash: string, order: string, counter: string] {
    const base = `${this.#prefix}retained:{r:${realm}}`;
    return [`${base}:events`, `${base}:order`, `${base}:seq`];
  }

  async retain(realm: string, publication: Publication, audienceKey: string | undefined): Promise<void> {
    const entry = encodeEnvelope(publication);
    if (publication.topic.length > this.#limits.maxTopicLength || entry.length > this.#limits.maxEventLength) {
      this.refused++;
      return;
    }
    const args = [publication.topic, audienceKey ?? '', entry, String(PER_TOPIC), String(this.#limits.maxTopics)];
    await this.#link.command(['EVAL', RETAIN, '3', ...this.#keys(realm), ...args]);
  }

  async matching(realm: string, topic: string, match: MatchPolicy): Promise<Lists> {
    const [hash] = this.#keys(realm);
    if (match === 'exact') {
      if (topic.length > this.#limits.maxTopicLength) return [];
      return this.#lists([await this.#link.command(['HGET', hash, topic])]);
    }
    const topics = await this.#link.command(['HKEYS', hash]);
    if (!Array.isArray(topics)) return [];
    const parts = topic.split('.');
    const covered = topics.filter(
      (candidate): candidate is string =>
        typeof candidate === 'string' && (match === 'prefix' ? candidate.startsWith(topic) : matchesWildcard(parts, candidate)),
    );
    if (covered.length === 0) return [];
    const values = await this.#link.command(['HMGET', hash, ...covered]);
    return this.#lists(Array.isArray(values) ? values : []);
  }

  async clear(realm: string, topic: string): Promise<boolean> {
    const [hash, order] = this.#keys(realm);
    const removed = await this.#link.command(['HDEL', hash, topic]);
    await this.#link.command(['ZREM', order, topic]);
    return Number(removed) > 0;
  }

  #lists(values: readonly unknown[]): Lists {
    const lists: Publication[][] = [];
    for (const value of values) {
      if (typeof value !== 'string') continue;
      const list = this.#decode(value);
      if (list.length > 0) lists.push(list);
    }
    return lists;
  }

  #decode(value: string): Publication[] {
    let entries: unknown;
    try {
      entries = JSON.parse(value);
    } catch {
      this.decodeErrors++;
      return [];
    }
    const list: Publication[] = [];
    for (const entry of Array.isArray(entries) ? entries : []) {
      try {
        if (!Array.isArray(entry) || typeof entry[1] !== 'string') throw new EnvelopeError('not a retained entry');
        list.push(decodeEnvelope(entry[1]));
      } catch {
        this.decodeErrors++;
      }
    }
    return list;
  }
}
