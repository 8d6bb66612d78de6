/**
 * {@link TopicRouteSet}: a table of topics clients may subscribe (and
 * publish) to, added to an application or realm with `addTopicRoutes`.
 * @module
 */
import { ServerwampError } from '../errors.js';
import { isValidURI, type MatchPolicy } from '../protocol/uri.js';
import type { SubscriptionHandler, TopicDefinition } from './topic-handler.js';

/** One entry of a topic route set. */
export interface TopicRoute {
  /** The topic URI or pattern. */
  readonly uri: string;
  /** How `uri` matches: `exact`, `prefix` or `wildcard`. */
  readonly match: MatchPolicy;
  /** The handlers of the route. */
  readonly definition: TopicDefinition;
}

/**
 * Topics by URI (exact), URI prefix, or wildcard pattern (empty components
 * match any one component). A client's `match: prefix` or `match: wildcard`
 * subscription is served by the route that covers every topic it can match.
 *
 * @example
 * ```ts
 * const events = new TopicRouteSet();
 * events.route('hourly.updates', async function* ({ session }) {
 *   subscribers.add(session);     // on subscribe…
 *   yield;
 *   subscribers.delete(session);  // on unsubscribe or session close…
 * });
 * events.prefixRoute('docs.', {});                                   // anyone may subscribe
 * events.route('chat.room', { publish: (request) => request.forward() });
 * app.addTopicRoutes(events);
 * ```
 */
export class TopicRouteSet implements Iterable<TopicRoute> {
  readonly #routes: TopicRoute[] = [];

  /** Adds a topic under an exact URI: a subscription handler, or a {@link TopicDefinition}. */
  route(uri: string, handler: SubscriptionHandler | TopicDefinition): this {
    return this.#add(uri, 'exact', handler);
  }

  /** Adds every topic that starts with `prefix` (a string prefix, as WAMP `match: prefix`). */
  prefixRoute(prefix: string, handler: SubscriptionHandler | TopicDefinition): this {
    return this.#add(prefix, 'prefix', handler);
  }

  /** Adds the topics matching a wildcard pattern such as `users..status`. */
  wildcardRoute(pattern: string, handler: SubscriptionHandler | TopicDefinition): this {
    return this.#add(pattern, 'wildcard', handler);
  }

  #add(uri: string, match: MatchPolicy, handler: SubscriptionHandler | TopicDefinition): this {
    if (!isValidURI(uri, 'loose', match)) {
      throw new ServerwampError('ERR_INVALID_URI', `${JSON.stringify(uri)} is not a valid ${match} topic URI`);
    }
    let definition: TopicDefinition;
    if (typeof handler === 'function') {
      definition = { subscribe: handler };
    } else if (typeof handler === 'object' && handler !== null) {
      definition = handler;
    } else {
      throw new ServerwampError('ERR_INVALID_OPTION', `the topic route ${JSON.stringify(uri)} needs a handler or a definition`);
    }
    const { subscribe, publish } = definition;
    if ((subscribe !== undefined && subscribe !== false && typeof subscribe !== 'function') ||
        (publish !== undefined && typeof publish !== 'function')) {
      throw new ServerwampError('ERR_INVALID_OPTION', `the topic route ${JSON.stringify(uri)} has a handler that is not a function`);
    }
    this.#routes.push({ uri, match, definition });
    return this;
  }

  /** How many routes the set holds. */
  get size(): number {
    return this.#routes.length;
  }

  /** The routes, in the order they were added. */
  [Symbol.iterator](): Iterator<TopicRoute> {
    return this.#routes[Symbol.iterator]();
  }
}
