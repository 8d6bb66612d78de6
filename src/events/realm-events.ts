/**
 * The pub/sub side of one realm: its topic routes (or custom subscription and
 * publish handlers) and its live subscriptions.
 * @module
 */
import type { MatchPolicy } from '../protocol/uri.js';
import { URIRouter } from '../routing/uri-router.js';
import { deliver, type EventSubscriber, type Publication } from './delivery.js';
import { SubscriptionTable } from './subscription-table.js';
import type { MatchedRoute, PublishHandler, SubscriptionHandler, TopicDefinition } from './topic-handler.js';
import type { TopicRouteSet } from './topic-route-set.js';
import { RetainedEvents } from './retained.js';

/** What serves a SUBSCRIBE: a handler to run (if any) and the route that matched (if routed). */
export interface SubscribeTarget {
  readonly handler: SubscriptionHandler | undefined;
  readonly route?: MatchedRoute;
}

/** What serves a PUBLISH. */
export interface PublishTarget {
  readonly handler: PublishHandler;
  readonly route?: MatchedRoute;
}

/** Topic routing and live subscriptions of a realm. */
export class RealmEvents {
  readonly #routes = new URIRouter<TopicDefinition>();
  readonly subscriptions = new SubscriptionTable<EventSubscriber>();
  readonly retained = new RetainedEvents();
  subscriptionHandler: SubscriptionHandler | undefined;
  publishHandler: PublishHandler | undefined;

  addRoutes(routeSets: readonly TopicRouteSet[]): void {
    for (const routes of routeSets) {
      for (const route of routes) this.#routes.add(route.uri, route.match, route.definition);
    }
  }

  /** What serves a subscription to `topic` with `match`, or `undefined` if nothing accepts it. */
  resolveSubscribe(topic: string, match: MatchPolicy): SubscribeTarget | undefined {
    if (this.subscriptionHandler !== undefined) return { handler: this.subscriptionHandler };
    const route = this.#routes.resolveCovering(topic, match);
    if (route === undefined || route.value.subscribe === false) return undefined;
    return { handler: route.value.subscribe, route: { pattern: route.pattern, match: route.match } };
  }

  /** What handles a client publication to `topic`, or `undefined` if nothing does. */
  resolvePublish(topic: string): PublishTarget | undefined {
    if (this.publishHandler !== undefined) return { handler: this.publishHandler };
    const route = this.#routes.resolve(topic);
    if (route?.value.publish === undefined) return undefined;
    return { handler: route.value.publish, route: { pattern: route.pattern, match: route.match } };
  }

  /** Delivers a publication to this realm's subscribers, and retains it if asked; returns how many EVENTs were queued. */
  deliver(publication: Publication, retain = false): number {
    if (retain) this.retained.retain(publication);
    return deliver(this.subscriptions, publication);
  }
}
