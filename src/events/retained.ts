/**
 * Event retention (WAMP spec "Event Retention"): a later subscriber asking
 * for it (`get_retained`) receives "the most recent Retained Event that they
 * would have received if they were subscribing when it was published". A
 * retained publication restricted to some sessions must therefore not hide
 * an earlier one from the others: each topic keeps a short list, newest
 * first, and a newer publication evicts an older one only when its audience
 * covers the older one's (an unrestricted one covers all, and equal
 * audiences cover each other). Bounded per topic and per realm: past the
 * realm's limit, the topic retained longest ago is forgotten.
 * @module
 */
import { matchesWildcard, type MatchPolicy } from '../protocol/uri.js';
import type { Publication } from './delivery.js';

/** How many topics a realm retains events for, at most. */
const MAX_RETAINED_TOPICS = 10_000;
/** How many retained events one topic keeps, at most (restricted audiences that cover no other). */
const MAX_RETAINED_PER_TOPIC = 8;

interface Entry {
  readonly publication: Publication;
  /** The audience as a comparable key; `undefined` for everyone. */
  readonly key: string | undefined;
}

function covers(newer: Entry, older: Entry): boolean {
  return newer.key === undefined || newer.key === older.key;
}

/** The retained events of one realm, by topic. */
export class RetainedEvents {
  /** Per topic, newest first; an unrestricted event, if any, is always the last. */
  readonly #byTopic = new Map<string, Entry[]>();
  readonly #limit: number;
  readonly #perTopic: number;

  constructor(limit = MAX_RETAINED_TOPICS, perTopic = MAX_RETAINED_PER_TOPIC) {
    this.#limit = limit;
    this.#perTopic = perTopic;
  }

  /**
   * Keeps `publication` as its topic's newest retained event, forgetting those
   * its audience covers. `audienceKey` is `undefined` for everyone; equal keys
   * mean equal audiences.
   */
  retain(publication: Publication, audienceKey: string | undefined): void {
    const entry: Entry = { publication, key: audienceKey };
    const previous = this.#byTopic.get(publication.topic) ?? [];
    const kept = [entry, ...previous.filter((older) => !covers(entry, older))];
    if (kept.length > this.#perTopic) {
      // Forget the oldest restricted event; the unrestricted one (last) is what all subscribers would get.
      const last = kept[kept.length - 1]!;
      kept.splice(last.key === undefined ? kept.length - 2 : kept.length - 1, 1);
    }
    // Re-inserting moves the topic to the back, so eviction takes the least recently retained.
    this.#byTopic.delete(publication.topic);
    this.#byTopic.set(publication.topic, kept);
    if (this.#byTopic.size > this.#limit) {
      const oldest = this.#byTopic.keys().next();
      if (oldest.done !== true) this.#byTopic.delete(oldest.value);
    }
  }

  /** Forgets the retained events of `topic`; returns whether there were any. */
  clear(topic: string): boolean {
    return this.#byTopic.delete(topic);
  }

  /** How many topics have retained events. */
  get size(): number {
    return this.#byTopic.size;
  }

  /**
   * For each topic a subscription to `topic` with `match` covers, its retained
   * events, newest first: the subscriber gets the first one its audience admits.
   */
  matching(topic: string, match: MatchPolicy): Publication[][] {
    const found: Publication[][] = [];
    const pick = (list: readonly Entry[]): void => void found.push(list.map((entry) => entry.publication));
    if (match === 'exact') {
      const list = this.#byTopic.get(topic);
      if (list !== undefined) pick(list);
      return found;
    }
    const parts = match === 'wildcard' ? topic.split('.') : [];
    for (const [retainedTopic, list] of this.#byTopic) {
      if (match === 'prefix' ? retainedTopic.startsWith(topic) : matchesWildcard(parts, retainedTopic)) pick(list);
    }
    return found;
  }
}
