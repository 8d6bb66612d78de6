/**
 * What topic handlers receive and return: {@link SubscribeRequest} for a
 * client's SUBSCRIBE, {@link PublishRequest} for a client's PUBLISH.
 * @module
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Dict } from '../protocol/messages.js';
import type { MatchPolicy } from '../protocol/uri.js';
import type { CallerIdentity, EventPayload } from '../model/payloads.js';
import type { Session } from '../model/session.js';
import type { LifecycleReturn } from './lifecycle.js';

export type { EventPayload } from '../model/payloads.js';

/**
 * The route that matched a request: its pattern and match policy.
 *
 * @example
 * ```ts
 * events.wildcardRoute('users..status', async function* ({ session, topic, route }) {
 *   // A client subscribing to 'users.alice.status' gets route { pattern: 'users..status', match: 'wildcard' }.
 *   session.logger.debug({ topic, route: route?.pattern }, 'watching a status');
 *   yield;
 * });
 * ```
 */
export interface MatchedRoute {
  /** The route's URI or pattern. */
  readonly pattern: string;
  /** How the route matches: `exact`, `prefix` or `wildcard`. */
  readonly match: MatchPolicy;
}

/**
 * A client's SUBSCRIBE, as a topic handler sees it.
 *
 * @example
 * ```ts
 * events.prefixRoute('docs.', async function* (request) {
 *   request.session.logger.info({ topic: request.topic, match: request.match }, 'watching documents');
 *   yield;
 * });
 * ```
 */
export interface SubscribeRequest {
  /** The SUBSCRIBE's request id (session scope). */
  readonly id: number;
  /** The topic the client subscribed to: a URI, or a prefix or wildcard pattern (see {@link match}). */
  readonly topic: string;
  /** How the client's topic matches event topics (`SUBSCRIBE.Options.match`). */
  readonly match: MatchPolicy;
  /** The SUBSCRIBE.Options dict. */
  readonly options: Readonly<Dict>;
  /** The subscribing session. */
  readonly session: Session;
  /** The route that accepted the subscription; absent for a custom subscription handler. */
  readonly route?: MatchedRoute;
  /**
   * Runs `callback` right after the client has been sent SUBSCRIBED, when
   * events for this subscription reach it: the place to send a new
   * subscriber the current state. Not called if the subscription is refused
   * or the session ends first.
   *
   * @example
   * ```ts
   * events.route('game.score', async function* ({ session, whenSubscribed }) {
   *   whenSubscribed(() => session.sendEvent('game.score', { args: [score] }));
   *   yield;
   * });
   * ```
   */
  readonly whenSubscribed: (callback: () => void) => void;
}

/**
 * Runs when a session subscribes. The part before `yield` runs on SUBSCRIBE
 * (throw to refuse: a `WampError` is sent as it is); the part after it runs
 * when the session unsubscribes or the session ends for any reason.
 *
 * @example
 * ```ts
 * const watchers = new Set<Session>();
 * events.route('hourly.updates', async function* ({ session }) {
 *   watchers.add(session);     // on subscribe…
 *   yield;
 *   watchers.delete(session);  // on unsubscribe or session close…
 * });
 * ```
 */
export type SubscriptionHandler = (request: SubscribeRequest) => LifecycleReturn;

/**
 * The identity of a publishing client: its session id, authid and authrole, as for a caller.
 *
 * @example
 * ```ts
 * events.route('chat.room', {
 *   publish(request) {
 *     const { session, authid } = request.publisher; // { session: 2961014, authid: 'ann', authrole: 'user' }
 *     request.session.logger.debug({ session, topic: request.topic }, 'chat message');
 *     request.forward({ kwargs: { ...request.kwargs, from: authid } }); // the sender's name as authenticated
 *   },
 * });
 * ```
 */
export type PublisherIdentity = CallerIdentity;

/**
 * A client's PUBLISH, as a publish handler sees it.
 *
 * @example
 * ```ts
 * events.route('chat.room', {
 *   publish(request) {
 *     if (typeof request.args[0] !== 'string') throw new WampError('chat.error.text_only');
 *     request.forward();  // deliver to the room, honouring exclude_me, eligible and exclude
 *   },
 * });
 * ```
 */
export interface PublishRequest {
  /** The PUBLISH's request id (session scope). */
  readonly id: number;
  /** The topic the client published to. */
  readonly topic: string;
  /** The publication's positional arguments. */
  readonly args: readonly unknown[];
  /** The publication's keyword arguments. */
  readonly kwargs: Readonly<Dict>;
  /** The PUBLISH.Options dict. */
  readonly options: Readonly<Dict>;
  /** The publishing session. */
  readonly session: Session;
  /** Who published: session id, authid and authrole. */
  readonly publisher: PublisherIdentity;
  /** Whether the client asked for PUBLISHED/ERROR (`acknowledge`); without it nothing is sent back. */
  readonly acknowledge: boolean;
  /** The route that matched; absent for a custom publish handler. */
  readonly route?: MatchedRoute;
  /**
   * Delivers the publication to the realm's subscribers (this payload, or the
   * client's), honouring the client's `exclude_me` (default true), `exclude*`,
   * `eligible*` and `disclose_me` options. Returns the publication id, which
   * the PUBLISHED reply then carries. Calling it again sends another publication.
   */
  forward(payload?: EventPayload): number;
}

/**
 * Handles a client's PUBLISH: forward it, consume it, or refuse it by
 * throwing (a `WampError` is sent as it is). The client gets PUBLISHED when
 * the handler returns (or its promise resolves), if it asked for an
 * acknowledgement.
 *
 * @example
 * ```ts
 * import { WampError, type PublishHandler } from 'serverwamp';
 *
 * // One handler for several routes (or a whole realm with realm.setPublishHandler):
 * const moderated: PublishHandler = (request) => {
 *   if (request.session.authrole === 'muted') throw new WampError('wamp.error.not_authorized');
 *   request.forward();
 * };
 * events.prefixRoute('chat.', { publish: moderated });
 * ```
 */
export type PublishHandler = (request: PublishRequest) => unknown;

/**
 * What a topic route does. `subscribe` runs for each subscription (leave it
 * out to accept subscriptions with nothing to run, or set `false` to refuse
 * them); `publish` handles client publications (leave it out to refuse them).
 *
 * @example
 * ```ts
 * events.route('game.score', {
 *   description: 'The current score; clients may not publish to it.',
 *   subscribe: async function* ({ session, whenSubscribed }) {
 *     whenSubscribed(() => session.sendEvent('game.score', { args: [score] })); // the state so far
 *     yield;
 *   },
 * });
 * // Clients report, nobody subscribes: the handler consumes each publication.
 * events.route('client.telemetry', { subscribe: false, publish: ({ session, kwargs }) => store.save(session.authid, kwargs) });
 * ```
 */
export interface TopicDefinition {
  /** Runs when a session subscribes (an async generator: the part after `yield` runs when the subscription ends); `false` refuses every subscription. */
  readonly subscribe?: SubscriptionHandler | false;
  /**
   * The event's keyword arguments, as a Standard Schema of an object: a type
   * declaration for `InferAPI`, typed `app.publish` and the typed client. The
   * server does not validate publications against it (a `publish` handler
   * may, with the same schema).
   */
  readonly event?: StandardSchemaV1<object, object>;
  /** Decides what happens to a client's PUBLISH on this topic; without it, such publications are refused. */
  readonly publish?: PublishHandler;
  /** A one-line description, for documentation. */
  readonly description?: string;
}
