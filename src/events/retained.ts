/**
 * Event retention (WAMP spec "Event Retention"): the last publication on a
 * topic that asked to be retained, delivered to later subscribers that ask
 * for it with `get_retained`. Bounded per realm: past the limit, the topic
 * retained longest ago is forgotten.
 * @module
 */
import { matchesWildcard, type MatchPolicy } from '../protocol/uri.js';
import type { Publication } from './delivery.js';

/** How many topics a realm retains an event for, at most. */
export const MAX_RETAINED_TOPICS = 10_000;

/** The retained events of one realm, by topic. */
export class RetainedEvents {
  readonly #byTopic = new Map<string, Publication>();
  readonly #limit: number;

  constructor(limit = MAX_RETAINED_TOPICS) {
    this.#limit = limit;
  }

  /** Keeps `publication` as its topic's retained event, replacing the previous one. */
  retain(publication: Publication): void {
    // Re-inserting moves the topic to the back, so eviction takes the least recently retained.
    this.#byTopic.delete(publication.topic);
    this.#byTopic.set(publication.topic, publication);
    if (this.#byTopic.size > this.#limit) {
      const oldest = this.#byTopic.keys().next();
      if (oldest.done !== true) this.#byTopic.delete(oldest.value);
    }
  }

  /** Forgets the retained event of `topic`; returns whether there was one. */
  clear(topic: string): boolean {
    return this.#byTopic.delete(topic);
  }

  get size(): number {
    return this.#byTopic.size;
  }

  /** The retained events a subscription to `topic` with `match` covers. */
  matching(topic: string, match: MatchPolicy): Publication[] {
    if (match === 'exact') {
      const publication = this.#byTopic.get(topic);
      return publication === undefined ? [] : [publication];
    }
    const found: Publication[] = [];
    const parts = match === 'wildcard' ? topic.split('.') : [];
    for (const [retainedTopic, publication] of this.#byTopic) {
      if (match === 'prefix' ? retainedTopic.startsWith(topic) : matchesWildcard(parts, retainedTopic)) found.push(publication);
    }
    return found;
  }
}
