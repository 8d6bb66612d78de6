/**
 * Where retained events live: {@link RetainedStore}, and the in-memory store
 * every application uses unless given another. A store shared by several
 * nodes (Redis…) may answer asynchronously; the in-memory one answers at
 * once, so a subscription on one node gets its retained events in the same
 * tick as its SUBSCRIBED, as before.
 * @module
 */
import type { MatchPolicy } from '../protocol/uri.js';
import type { Publication } from './delivery.js';
import { RetainedEvents } from './retained.js';

/** Per retained topic, its events newest first. */
type RetainedLists = readonly (readonly Publication[])[];

/**
 * Keeps the retained events of an application's realms (WAMP "Event
 * Retention"). Realms are named by URI, `''` for the default realm.
 *
 * `scope` tells a node what to do with a retained publication relayed from
 * another node: with a `'node'` store (each node its own) it stores it too,
 * so its own late subscribers get it; with a `'cluster'` store (one shared by
 * every node) only the publishing node stores it, once.
 *
 * @example
 * ```ts
 * import { Application } from 'serverwamp';
 * import { redisRetainedStore } from 'serverwamp/redis';
 * import { createClient } from 'redis';
 *
 * // The in-memory store is the default; a 'cluster' store is one every node shares:
 * const client = await createClient({ url: 'redis://127.0.0.1:6379' }).connect();
 * const app = new Application({ retainedStore: redisRetainedStore({ client }) });
 * ```
 */
export interface RetainedStore {
  /** `node`: each node keeps its own retained events; `cluster`: one store shared by every node, written only by the publishing node. */
  readonly scope: 'node' | 'cluster';
  /**
   * Keeps `publication` as its topic's newest retained event. `audienceKey`
   * (`undefined` for everyone) compares audiences: a newer event replaces
   * the older ones of an equal audience, and an unrestricted one replaces all.
   * Keep at most a few (the in-memory store: 8) restricted events per topic.
   */
  retain(realm: string, publication: Publication, audienceKey: string | undefined): void | PromiseLike<void>;
  /**
   * For each retained topic a subscription to `topic` with `match` covers, its
   * retained events newest first (each subscriber gets the first one its
   * audience admits).
   */
  matching(realm: string, topic: string, match: MatchPolicy): RetainedLists | PromiseLike<RetainedLists>;
  /** Forgets the retained events of `topic`; returns whether there were any. */
  clear(realm: string, topic: string): boolean | PromiseLike<boolean>;
}

const NO_EVENTS: RetainedLists = [];

/**
 * The in-memory {@link RetainedStore}: at most 10,000 topics per realm (the
 * topic retained longest ago is forgotten first) and 8 events per topic.
 *
 * @example
 * ```ts
 * // The default; pass one explicitly to share it between the applications of one node.
 * const retainedStore = new MemoryRetainedStore();
 * const app = new Application({ retainedStore });
 * ```
 */
export class MemoryRetainedStore implements RetainedStore {
  /** Always `node`: this store lives in the memory of one node. */
  readonly scope: 'node' | 'cluster';
  readonly #realms = new Map<string, RetainedEvents>();

  /** `scope: 'cluster'` only for a store shared by applications in one process (tests, one store per hub). */
  constructor(options: { scope?: 'node' | 'cluster' } = {}) {
    this.scope = options.scope ?? 'node';
  }

  retain(realm: string, publication: Publication, audienceKey: string | undefined): void {
    let events = this.#realms.get(realm);
    if (events === undefined) this.#realms.set(realm, (events = new RetainedEvents()));
    events.retain(publication, audienceKey);
  }

  matching(realm: string, topic: string, match: MatchPolicy): RetainedLists {
    return this.#realms.get(realm)?.matching(topic, match) ?? NO_EVENTS;
  }

  clear(realm: string, topic: string): boolean {
    return this.#realms.get(realm)?.clear(topic) ?? false;
  }
}
