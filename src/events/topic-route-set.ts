/**
 * {@link TopicRouteSet}: a table of topics clients may subscribe (and
 * publish) to, added to an application or realm with `addTopicRoutes`.
 * @module
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { ServerwampError } from '../errors.js';
import { isValidURI, type MatchPolicy } from '../protocol/uri.js';
import type { WildcardURI } from '../api-shape.js';
import type { SubscriptionHandler, TopicDefinition } from './topic-handler.js';

function isStandardSchema(value: unknown): boolean {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && '~standard' in value;
}

/**
 * One entry of a topic route set.
 *
 * @example
 * ```ts
 * import type { TopicRoute } from 'serverwamp';
 *
 * // A route set is iterable: list what it serves, e.g. for a documentation page.
 * const listed = [...events].map(({ uri, match, definition }: TopicRoute) => `${uri} (${match}): ${definition.description ?? ''}`);
 * ```
 */
export interface TopicRoute {
  /** The topic URI or pattern. */
  readonly uri: string;
  /** How `uri` matches: `exact`, `prefix` or `wildcard`. */
  readonly match: MatchPolicy;
  /** The handlers of the route. */
  readonly definition: TopicDefinition;
}

declare const topicTypes: unique symbol;

/** A topic route set with one more typed topic (the object is the same). */
type With<Topics, URI extends string, Event> = TopicRouteSet<Topics & { readonly [K in URI]: Event }>;

/** A topic definition that declares its event. */
type TypedTopic<S extends StandardSchemaV1> = TopicDefinition & { readonly event: S };

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
 *
 * A topic that declares its event (`event`: a Standard Schema of the EVENT's
 * keyword arguments) is recorded at the type level, for `InferAPI`, typed
 * `app.publish` and the typed client, when calls chain:
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * export const topics = new TopicRouteSet()
 *   .route('chat.room', { event: z.object({ from: z.string(), text: z.string() }), publish: (request) => request.forward() });
 * ```
 */
export class TopicRouteSet<Topics extends object = Record<never, never>> implements Iterable<TopicRoute> {
  /** Type-level only: each typed topic's URI and event. */
  declare readonly [topicTypes]?: Topics;
  readonly #routes: TopicRoute[] = [];

  /** Adds a topic under an exact URI: a subscription handler, or a {@link TopicDefinition}. */
  route<const U extends string, S extends StandardSchemaV1<object, object>>(uri: U, definition: TypedTopic<S>): With<Topics, U, StandardSchemaV1.InferOutput<S>>;
  route(uri: string, handler: SubscriptionHandler | TopicDefinition): this;
  route(uri: string, handler: SubscriptionHandler | TopicDefinition): TopicRouteSet<object> {
    return this.#add(uri, 'exact', handler);
  }

  /** Adds every topic that starts with `prefix` (a string prefix, as WAMP `match: prefix`). */
  prefixRoute<const U extends string, S extends StandardSchemaV1<object, object>>(
    prefix: U,
    definition: TypedTopic<S>,
  ): With<Topics, `${U}${string}`, StandardSchemaV1.InferOutput<S>>;
  prefixRoute(prefix: string, handler: SubscriptionHandler | TopicDefinition): this;
  prefixRoute(prefix: string, handler: SubscriptionHandler | TopicDefinition): TopicRouteSet<object> {
    return this.#add(prefix, 'prefix', handler);
  }

  /** Adds the topics matching a wildcard pattern such as `users..status`. */
  wildcardRoute<const U extends string, S extends StandardSchemaV1<object, object>>(
    pattern: U,
    definition: TypedTopic<S>,
  ): With<Topics, WildcardURI<U>, StandardSchemaV1.InferOutput<S>>;
  wildcardRoute(pattern: string, handler: SubscriptionHandler | TopicDefinition): this;
  wildcardRoute(pattern: string, handler: SubscriptionHandler | TopicDefinition): TopicRouteSet<object> {
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
    const { subscribe, publish, event } = definition;
    if ((subscribe !== undefined && subscribe !== false && typeof subscribe !== 'function') ||
        (publish !== undefined && typeof publish !== 'function')) {
      throw new ServerwampError('ERR_INVALID_OPTION', `the topic route ${JSON.stringify(uri)} has a handler that is not a function`);
    }
    if (event !== undefined && !isStandardSchema(event)) {
      throw new ServerwampError('ERR_INVALID_OPTION', `the topic route ${JSON.stringify(uri)} has an event that is not a Standard Schema`);
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
