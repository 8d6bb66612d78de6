/**
 * The realm-wide broker (WAMP's "Broker" role) of one realm: its topic
 * routes (or custom subscription and publish handlers), its live
 * subscriptions, its retained events, and the one path every publication of
 * the realm takes. A publication made on this node is retained if asked,
 * handed to the application's backplane and delivered here; a publication
 * relayed from another node is delivered here only, never handed back (no echo).
 * @module
 */
import { ServerwampError } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import type { MetricsSink } from '../metrics/sink.js';
import { build } from '../protocol/build.js';
import type { MatchPolicy } from '../protocol/uri.js';
import { URIRouter } from '../routing/uri-router.js';
import { audienceKey, compileAudience, type RecipientFilter } from './audience.js';
import { deliver, eventDetails, type EventSubscriber, type Publication } from './delivery.js';
import { MemoryRetainedStore, type RetainedStore } from './retained-store.js';
import { SubscriptionTable, type Subscription } from './subscription-table.js';
import type { MatchedRoute, PublishHandler, SubscriptionHandler, TopicDefinition } from './topic-handler.js';
import type { TopicRouteSet } from './topic-route-set.js';
import { publicationsTraced, tracePublish, type PublishOrigin } from './publish-tracing.js';

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

/** What the application lends a realm's broker. */
export interface BrokerHost {
  readonly logger: Logger;
  /** The application's retained store, if it was given one. */
  readonly retained?: RetainedStore;
  /** Hands a publication made on this node to the backplane (only when one is configured). */
  readonly relay?: (realm: string, publication: Publication) => void;
  /** Told when the realm's first subscription to a (topic, match) is made and its last one ends. */
  readonly interest?: (realm: string, topic: string, match: MatchPolicy, present: boolean) => void;
  /** Where publications are counted, when metrics are on. */
  readonly metrics?: MetricsSink;
}

type Lists = readonly (readonly Publication[])[];

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function localOnly(why: string): ServerwampError {
  return new ServerwampError('ERR_INVALID_OPTION', `filter is a local function and cannot reach ${why}: use eligible/exclude`);
}

/** The realm-wide broker of one realm. */
export class Broker {
  readonly #routes = new URIRouter<TopicDefinition>();
  readonly subscriptions = new SubscriptionTable<EventSubscriber>();
  /** The realm's URI, `''` for the default realm: how stores and backplanes name it. */
  readonly #realm: string;
  #logger: Logger = silentLogger;
  #retained: RetainedStore = new MemoryRetainedStore();
  #relay: ((realm: string, publication: Publication) => void) | undefined;
  #metrics: MetricsSink | undefined;
  /** Compiled audiences of retained publications, with the local `filter` of those made here. */
  readonly #admits = new WeakMap<Publication, RecipientFilter | null>();
  subscriptionHandler: SubscriptionHandler | undefined;
  publishHandler: PublishHandler | undefined;

  constructor(realm: string) {
    this.#realm = realm;
  }

  /** Joins the realm to its application: logger, retained store and backplane. */
  connect(host: BrokerHost): void {
    this.#logger = host.logger;
    if (host.retained !== undefined) this.#retained = host.retained;
    this.#relay = host.relay;
    this.#metrics = host.metrics;
    const interest = host.interest;
    this.subscriptions.onChange = interest === undefined ? undefined : (topic, match, present) => interest(this.#realm, topic, match, present);
  }

  /** The realm's URI, `''` for the default realm. */
  get realm(): string {
    return this.#realm;
  }

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

  /** Whether publications made here also reach other nodes. */
  get relayed(): boolean {
    return this.#relay !== undefined;
  }

  /**
   * Throws `ERR_INVALID_OPTION` if `filter` would make this publication reach a
   * different audience elsewhere than here: never widen an audience silently.
   */
  checkFilter(publication: Publication, filter: RecipientFilter | undefined): void {
    if (filter === undefined) return;
    if (this.#relay !== undefined) throw localOnly('other nodes through the backplane');
    if (publication.retain === true && this.#retained.scope === 'cluster') throw localOnly('a cluster-wide retained store');
  }

  /**
   * A publication made on this node (`realm.publish`, a forwarded client
   * PUBLISH): retained if asked, handed to the backplane, then delivered
   * here. Returns how many EVENTs were queued here.
   */
  publish(publication: Publication, filter?: RecipientFilter, origin?: PublishOrigin): number {
    if (!publicationsTraced()) return this.#publish(publication, filter);
    return tracePublish(publication, { realm: this.#realm, ...origin }, (traced) => this.#publish(traced, filter));
  }

  #publish(publication: Publication, filter: RecipientFilter | undefined): number {
    this.checkFilter(publication, filter);
    const deliverHere = this.stage(publication, filter);
    // Before the local fan-out, not after: a backplane that writes at once has the other
    // nodes delivering while this one does, rather than waiting for every local EVENT.
    if (this.#relay !== undefined) this.#relay(this.#realm, publication);
    return deliverHere();
  }

  /**
   * Retains a publication made on this node if asked, and returns what
   * delivers it to this node's subscribers (how many EVENTs it queued). The
   * caller hands it to the backplane in between; the retained store is
   * written first, so that a node receiving it can already read it there.
   */
  stage(publication: Publication, filter?: RecipientFilter): () => number {
    const admits = compileAudience(publication.audience, filter);
    if (publication.retain === true) {
      // A filter cannot be compared: its event covers no other, and no other (but one for everyone) covers it.
      const key = filter === undefined ? audienceKey(publication.audience) : `filter:${publication.publicationId}`;
      this.#admits.set(publication, admits ?? null);
      this.#store(publication, key);
    }
    return () => {
      const queued = deliver(this.subscriptions, publication, admits);
      this.#metrics?.published(this.#realm, 'local', queued);
      return queued;
    };
  }

  /**
   * A publication relayed from another node: delivered here only. It is
   * retained here only if each node keeps its own retained events; a shared
   * store already has it from the node that made it.
   */
  receive(publication: Publication): number {
    if (publication.retain === true && this.#retained.scope === 'node') this.#store(publication, audienceKey(publication.audience));
    const queued = deliver(this.subscriptions, publication, compileAudience(publication.audience));
    this.#metrics?.published(this.#realm, 'remote', queued);
    return queued;
  }

  /** Forgets the retained events of `topic`; returns (or resolves to) whether there were any. */
  clearRetained(topic: string): boolean | Promise<boolean> {
    const cleared = this.#retained.clear(this.#realm, topic);
    return isPromiseLike(cleared) ? Promise.resolve(cleared) : cleared;
  }

  /**
   * Sends a new subscription's retained events (`get_retained`) to
   * `subscriber`, each marked `retained`: at once from a store that answers
   * at once, else when the store answers, if the subscription still holds.
   */
  sendRetained(subscriber: EventSubscriber, subscription: Subscription<EventSubscriber>): void {
    let found: Lists | PromiseLike<Lists>;
    try {
      found = this.#retained.matching(this.#realm, subscription.topic, subscription.match);
    } catch (error) {
      this.#logger.error({ err: error, topic: subscription.topic }, 'retained events could not be read');
      return;
    }
    if (!isPromiseLike(found)) return this.#sendRetained(subscriber, subscription, found);
    found.then(
      (lists) => {
        if (subscription.subscribers.has(subscriber)) this.#sendRetained(subscriber, subscription, lists);
      },
      (error: unknown) => this.#logger.error({ err: error, topic: subscription.topic }, 'retained events could not be read'),
    );
  }

  #sendRetained(subscriber: EventSubscriber, subscription: Subscription<EventSubscriber>, lists: Lists): void {
    const session = subscriber.session;
    for (const list of lists) {
      const publication = list.find((candidate) => {
        const admits = this.#admitsOf(candidate);
        return admits === null || admits(session);
      });
      if (publication === undefined) continue;
      const details = eventDetails(publication, subscription.match === 'exact');
      details['retained'] = true;
      let frame: string | Uint8Array;
      try {
        frame = session.connection.serializer.encode(
          build.event(subscription.id, publication.publicationId, details, publication.payload.args, publication.payload.kwargs),
        );
      } catch (error) {
        session.logger.error({ err: error, topic: publication.topic }, 'retained event could not be serialized');
        continue;
      }
      subscriber.sendEventFrame(frame, publication.topic, publication.publicationId);
    }
  }

  #admitsOf(publication: Publication): RecipientFilter | null {
    let admits = this.#admits.get(publication);
    if (admits === undefined) {
      admits = compileAudience(publication.audience) ?? null;
      this.#admits.set(publication, admits);
    }
    return admits;
  }

  #store(publication: Publication, key: string | undefined): void {
    const fail = (error: unknown): void => this.#logger.error({ err: error, topic: publication.topic }, 'retained event could not be stored');
    try {
      const stored = this.#retained.retain(this.#realm, publication, key);
      if (isPromiseLike(stored)) stored.then(undefined, fail);
    } catch (error) {
      fail(error);
    }
  }
}
