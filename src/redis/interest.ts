/**
 * What one node's sessions subscribe to, per realm, as the other nodes know
 * it: {@link InterestSet}. A publication goes to a node only if this set
 * matches it, with the policies a router uses (exact, prefix, wildcard).
 * @module
 */
import type { TopicInterest } from '../events/backplane.js';
import { matchesWildcard, toMatchPolicy, type MatchPolicy } from '../protocol/uri.js';

interface RealmInterest {
  readonly exact: Set<string>;
  readonly prefix: Set<string>;
  /** Wildcard patterns, each with its parts split once. */
  readonly wildcard: Map<string, readonly string[]>;
}

/** How a node's interest is written to Redis: per realm, a list of `[topic, match]`. */
export type InterestRecord = Record<string, [string, MatchPolicy][]>;

/** A node's subscriptions by realm, with the lookup a publishing node needs. */
export class InterestSet {
  readonly #realms = new Map<string, RealmInterest>();

  /** Adds (`present`) or removes one (realm, topic, match). */
  set({ realm, topic, match }: TopicInterest, present: boolean): void {
    let entry = this.#realms.get(realm);
    if (entry === undefined) {
      if (!present) return;
      this.#realms.set(realm, (entry = { exact: new Set(), prefix: new Set(), wildcard: new Map() }));
    }
    if (match === 'wildcard') {
      if (present) entry.wildcard.set(topic, topic.split('.'));
      else entry.wildcard.delete(topic);
    } else if (present) entry[match].add(topic);
    else entry[match].delete(topic);
    if (!present && entry.exact.size + entry.prefix.size + entry.wildcard.size === 0) this.#realms.delete(realm);
  }

  /** Whether a subscription of realm `realm` (of any realm when undefined) matches the concrete `topic`. */
  matches(realm: string | undefined, topic: string): boolean {
    if (realm !== undefined) {
      const entry = this.#realms.get(realm);
      return entry !== undefined && realmMatches(entry, topic);
    }
    for (const entry of this.#realms.values()) if (realmMatches(entry, topic)) return true;
    return false;
  }

  /** The set as JSON-safe data. */
  toRecord(): InterestRecord {
    const record: InterestRecord = {};
    for (const [realm, entry] of this.#realms) {
      const list: [string, MatchPolicy][] = [];
      for (const topic of entry.exact) list.push([topic, 'exact']);
      for (const topic of entry.prefix) list.push([topic, 'prefix']);
      for (const topic of entry.wildcard.keys()) list.push([topic, 'wildcard']);
      record[realm] = list;
    }
    return record;
  }

  /** Reads what {@link toRecord} wrote (JSON from Redis): malformed entries are skipped. */
  static fromJSON(text: string): InterestSet {
    const set = new InterestSet();
    const record: unknown = JSON.parse(text);
    if (typeof record !== 'object' || record === null || Array.isArray(record)) return set;
    for (const realm of Object.keys(record)) {
      const list: unknown = (record as Record<string, unknown>)[realm];
      if (!Array.isArray(list)) continue;
      for (const item of list) {
        if (!Array.isArray(item) || typeof item[0] !== 'string') continue;
        const match = toMatchPolicy(item[1]);
        if (match !== undefined) set.set({ realm, topic: item[0], match }, true);
      }
    }
    return set;
  }
}

function realmMatches(entry: RealmInterest, topic: string): boolean {
  if (entry.exact.has(topic)) return true;
  for (const prefix of entry.prefix) if (topic.startsWith(prefix)) return true;
  for (const parts of entry.wildcard.values()) if (matchesWildcard(parts, topic)) return true;
  return false;
}
