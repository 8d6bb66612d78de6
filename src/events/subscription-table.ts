/**
 * The live subscriptions of one realm. Sessions subscribing to the same topic
 * with the same match policy share one {@link Subscription} and its id, as
 * in a WAMP router, so an event is encoded once per subscription and
 * serializer rather than once per session.
 * @module
 */
import { IdCounter } from '../protocol/ids.js';
import { matchesWildcard, type MatchPolicy } from '../protocol/uri.js';

/** One (topic, match) subscription and the subscribers holding it. */
export interface Subscription<S> {
  /** Router-scope subscription id: small and sequential. */
  readonly id: number;
  readonly topic: string;
  readonly match: MatchPolicy;
  readonly subscribers: ReadonlySet<S>;
}

interface Entry<S> extends Subscription<S> {
  readonly parts: readonly string[];
  readonly subscribers: Set<S>;
}

/** Subscriptions by topic and match policy, with lookup of those matching a published topic. */
export class SubscriptionTable<S> {
  readonly #byPolicy: Record<MatchPolicy, Map<string, Entry<S>>> = {
    exact: new Map(),
    prefix: new Map(),
    wildcard: new Map(),
  };
  readonly #ids = new Set<number>();
  readonly #counter = new IdCounter();
  /** Told when a (topic, match) gets its first subscriber and when it loses its last: a backplane's interest. */
  onChange: ((topic: string, match: MatchPolicy, present: boolean) => void) | undefined;

  /** Adds `subscriber` to the subscription for (topic, match), creating it if needed. */
  join(topic: string, match: MatchPolicy, subscriber: S): Subscription<S> {
    const map = this.#byPolicy[match];
    let entry = map.get(topic);
    if (entry === undefined) {
      let id = this.#counter.next();
      while (this.#ids.has(id)) id = this.#counter.next(); // only after 2^31 subscriptions wrapped around
      entry = { id, topic, match, parts: match === 'wildcard' ? topic.split('.') : [], subscribers: new Set() };
      map.set(topic, entry);
      this.#ids.add(id);
      this.onChange?.(topic, match, true);
    }
    entry.subscribers.add(subscriber);
    return entry;
  }

  /** Removes `subscriber`; the subscription is deleted with its last subscriber. */
  leave(subscription: Subscription<S>, subscriber: S): void {
    const map = this.#byPolicy[subscription.match];
    const entry = map.get(subscription.topic);
    if (entry === undefined || entry !== subscription) return;
    entry.subscribers.delete(subscriber);
    if (entry.subscribers.size === 0) {
      map.delete(entry.topic);
      this.#ids.delete(entry.id);
      this.onChange?.(entry.topic, entry.match, false);
    }
  }

  /** Every live subscription. */
  *all(): Generator<Subscription<S>> {
    for (const map of Object.values(this.#byPolicy)) yield* map.values();
  }

  /** Every subscription whose topic or pattern matches the concrete `topic`. */
  *matching(topic: string): Generator<Subscription<S>> {
    const exact = this.#byPolicy.exact.get(topic);
    if (exact !== undefined) yield exact;
    for (const entry of this.#byPolicy.prefix.values()) {
      if (topic.startsWith(entry.topic)) yield entry;
    }
    for (const entry of this.#byPolicy.wildcard.values()) {
      if (matchesWildcard(entry.parts, topic)) yield entry;
    }
  }

  /** How many subscriptions exist. */
  get size(): number {
    return this.#ids.size;
  }
}

/** Whether a subscription's topic or pattern matches the concrete `topic`. */
export function subscriptionMatches(subscription: Pick<Subscription<unknown>, 'topic' | 'match'>, topic: string): boolean {
  switch (subscription.match) {
    case 'exact':
      return subscription.topic === topic;
    case 'prefix':
      return topic.startsWith(subscription.topic);
    case 'wildcard':
      return matchesWildcard(subscription.topic.split('.'), topic);
  }
}
