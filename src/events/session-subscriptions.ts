/**
 * {@link SessionSubscriptions}: one session's SUBSCRIBE, UNSUBSCRIBE and
 * PUBLISH against its realm's topics, the lifecycles of its subscriptions,
 * and the EVENTs queued to it. It guarantees that no EVENT of a subscription
 * is queued before its SUBSCRIBED or after its UNSUBSCRIBED. What a slow
 * reader can make the server hold is bounded by the engine's outbox.
 * @module
 */
import { ServerwampError, WampError } from '../errors.js';
import { authorized } from '../auth/authorize.js';
import { build } from '../protocol/build.js';
import { randomGlobalId } from '../protocol/ids.js';
import { MessageType } from '../protocol/message-type.js';
import type { Dict, PublishMessage, SubscribeMessage, UnsubscribeMessage } from '../protocol/messages.js';
import { isValidURI, quoteURI, toMatchPolicy, type MatchPolicy, type URIValidation } from '../protocol/uri.js';
import { outboundErrorURI } from '../protocol/uri-outbound.js';
import { WampURI } from '../protocol/uris.js';
import type { EventPayload } from '../model/payloads.js';
import type { SessionLink } from '../model/ports.js';
import { eventDetails, type EventSubscriber, type SharedUTF8 } from './delivery.js';
import type { EventSettings } from './event-options.js';
import { openLifecycle, type OpenedLifecycle } from './lifecycle.js';
import { clientAudience, InvalidRecipientList, type AudienceSpec } from './audience.js';
import { checkPayload, copyPayload } from './publish.js';
import type { Broker } from './broker.js';
import { subscriptionMatches, type Subscription } from './subscription-table.js';
import { traceHeaders, writeTraceHeaders } from '../tracing/trace-context.js';
import type { PublishRequest, SubscribeRequest } from './topic-handler.js';

/**
 * The URI sent when a session already holds `maxSubscriptions` subscriptions.
 *
 * @example
 * ```ts
 * import { TOO_MANY_SUBSCRIPTIONS } from 'serverwamp';
 * import { CallError } from 'serverwamp/client';
 *
 * try {
 *   await api.subscribe('chat.room', (message) => show(message.from, message.text));
 * } catch (error) {
 *   // The session already holds `events.maxSubscriptions` subscriptions.
 *   if (error instanceof CallError && error.uri === TOO_MANY_SUBSCRIPTIONS) show('system', 'Leave a room first');
 *   else throw error;
 * }
 * ```
 */
export const TOO_MANY_SUBSCRIPTIONS = 'serverwamp.error.too_many_subscriptions';
/**
 * The URI sent when a session already has `maxPendingPublications` publications being handled.
 *
 * @example
 * ```ts
 * import { TOO_MANY_PUBLICATIONS } from 'serverwamp';
 * import { CallError } from 'serverwamp/client';
 *
 * try {
 *   await api.publish('chat.room', { from: 'ann', text: 'hello' }); // acknowledged publication
 * } catch (error) {
 *   // `events.maxPendingPublications` publish handlers of this session are still running.
 *   if (error instanceof CallError && error.uri === TOO_MANY_PUBLICATIONS) show('system', 'Slow down');
 *   else throw error;
 * }
 * ```
 */
export const TOO_MANY_PUBLICATIONS = 'serverwamp.error.too_many_publications';

interface ActiveSubscription {
  readonly subscription: Subscription<EventSubscriber>;
  readonly lifecycle: OpenedLifecycle;
}

/** A SUBSCRIBE whose handler is still opening; duplicates wait for it. */
interface PendingSubscription {
  readonly requestIds: number[];
  /** Whether the first SUBSCRIBE asked for the retained events (`get_retained`). */
  readonly getRetained: boolean;
  /** What the handler asked to run once SUBSCRIBED is sent (`whenSubscribed`). */
  afterSubscribed?: Array<() => void>;
}

type Held = ActiveSubscription | PendingSubscription;

function subscriptionKey(match: MatchPolicy, topic: string): string {
  // A space cannot occur in a URI, so the key is unambiguous.
  return `${match} ${topic}`;
}

/** Never written to: see SessionSubscriptions#hold and #activate. */
const NONE_ACTIVE = new Map<number, ActiveSubscription>();
const NONE_HELD = new Map<string, Held>();

/** Runs one session's subscriptions and publications. */
export class SessionSubscriptions implements EventSubscriber {
  readonly session: SessionLink;
  readonly #options: EventSettings & { readonly uriValidation: URIValidation };
  readonly #events: Broker;
  // Sessions that never subscribe share empty Maps (an idle session should cost little);
  // #hold and #activate give a session its own Maps before the first write.
  #active: Map<number, ActiveSubscription> = NONE_ACTIVE;
  #held: Map<string, Held> = NONE_HELD;
  #pendingPublications = 0;
  #ended = false;

  constructor(session: SessionLink, events: Broker, options: EventSettings & { readonly uriValidation: URIValidation }) {
    this.session = session;
    this.#events = events;
    this.#options = options;
  }

  /** The subscriptions, with those still being opened. */
  get size(): number {
    return this.#held.size;
  }

  #hold(): Map<string, Held> {
    if (this.#held === NONE_HELD) this.#held = new Map();
    return this.#held;
  }

  #activate(): Map<number, ActiveSubscription> {
    if (this.#active === NONE_ACTIVE) this.#active = new Map();
    return this.#active;
  }

  subscribe(msg: SubscribeMessage): void {
    const { requestId, topic, options } = msg;
    const match = toMatchPolicy(options['match']);
    if (match === undefined) {
      return this.#error(MessageType.SUBSCRIBE, requestId, WampURI.INVALID_ARGUMENT, ['SUBSCRIBE.Options.match must be exact, prefix or wildcard']);
    }
    if (!isValidURI(topic, this.#options.uriValidation, match)) {
      return this.#error(MessageType.SUBSCRIBE, requestId, WampURI.INVALID_URI, [`invalid ${match} topic: ${quoteURI(topic)}`]);
    }
    const key = subscriptionKey(match, topic);
    const held = this.#held.get(key);
    if (held !== undefined && 'subscription' in held) {
      // The spec asks for the existing subscription; autobahn-js relies on it.
      this.session.send(build.subscribed(requestId, held.subscription.id));
      return;
    }
    if (held === undefined ? this.#held.size >= this.#options.maxSubscriptions : held.requestIds.length >= this.#options.maxSubscriptions) {
      return this.#error(MessageType.SUBSCRIBE, requestId, TOO_MANY_SUBSCRIPTIONS, [
        `too many subscriptions (limit ${this.#options.maxSubscriptions})`,
      ]);
    }
    if (held !== undefined) {
      held.requestIds.push(requestId);
      return;
    }
    const target = this.#events.resolveSubscribe(topic, match);
    if (target === undefined) {
      return this.#error(MessageType.SUBSCRIBE, requestId, WampURI.NOT_AUTHORIZED, [`subscribing to ${quoteURI(topic)} is not allowed`]);
    }
    const pending: PendingSubscription = { requestIds: [requestId], getRetained: options['get_retained'] === true };
    this.#hold().set(key, pending);
    const request: SubscribeRequest = {
      id: requestId,
      topic,
      match,
      options,
      session: this.session,
      ...(target.route === undefined ? {} : { route: target.route }),
      whenSubscribed: (callback) => void (pending.afterSubscribed ??= []).push(callback),
    };
    let opening: Promise<OpenedLifecycle>;
    try {
      const open = (): Promise<OpenedLifecycle> =>
        openLifecycle(target.handler?.(request), (error, message) => this.session.logger.error({ err: error, topic }, message));
      opening = Promise.resolve(
        authorized(this.session.realm.authorizer, () => ({ session: this.session, action: 'subscribe', uri: topic, match, options }), open),
      );
    } catch (error) {
      opening = Promise.reject(error);
    }
    opening.then(
      (lifecycle) => this.#subscribed(key, pending, topic, match, lifecycle),
      (error: unknown) => this.#refused(key, pending, topic, error),
    );
  }

  unsubscribe(msg: UnsubscribeMessage): void {
    const active = this.#active.get(msg.subscriptionId);
    if (active === undefined) {
      return this.#error(MessageType.UNSUBSCRIBE, msg.requestId, WampURI.NO_SUCH_SUBSCRIPTION, ['no such subscription']);
    }
    this.#drop(active);
    // Sent after the subscription left the table: no EVENT for it can follow.
    this.session.send(build.unsubscribed(msg.requestId));
    void active.lifecycle.close();
  }

  publish(msg: PublishMessage): void {
    const { requestId, topic, options } = msg;
    const acknowledge = options['acknowledge'] === true;
    const retain = options['retain'] === true;
    const refuse = (uri: string, args: unknown[]): void => {
      if (acknowledge) this.#error(MessageType.PUBLISH, requestId, uri, args);
    };
    if (!isValidURI(topic, this.#options.uriValidation)) return refuse(WampURI.INVALID_URI, [`invalid topic: ${quoteURI(topic)}`]);
    const target = this.#events.resolvePublish(topic);
    if (target === undefined) return refuse(WampURI.NOT_AUTHORIZED, [`publishing to ${quoteURI(topic)} is not allowed`]);
    if (this.#pendingPublications >= this.#options.maxPendingPublications) {
      return refuse(TOO_MANY_PUBLICATIONS, [`too many publications in progress (limit ${this.#options.maxPendingPublications})`]);
    }
    let audience: AudienceSpec | undefined;
    try {
      audience = clientAudience(options, this.session);
    } catch (error) {
      if (error instanceof InvalidRecipientList) return refuse(WampURI.INVALID_ARGUMENT, [error.message]);
      throw error;
    }
    const session = this.session;
    const publisher = { session: session.id, authid: session.authid, authrole: session.authrole };
    let details: Dict | undefined =
      options['disclose_me'] === true
        ? { publisher: publisher.session, publisher_authid: publisher.authid, publisher_authrole: publisher.authrole }
        : undefined;
    // The publisher's trace context travels on with its EVENTs (spec: custom `_` keys), when valid.
    const trace = traceHeaders(options);
    if (trace.traceparent !== undefined) {
      details ??= {};
      writeTraceHeaders(details, trace.traceparent, trace.tracestate);
    }
    let publicationId: number | undefined;
    const request: PublishRequest = {
      id: requestId,
      topic,
      args: msg.args,
      kwargs: msg.kwargs,
      options,
      session,
      publisher,
      acknowledge,
      ...(target.route === undefined ? {} : { route: target.route }),
      forward: (payload: EventPayload = { args: msg.args, kwargs: msg.kwargs }) => {
        publicationId = randomGlobalId();
        this.#events.publish(
          {
            topic,
            publicationId,
            payload: copyPayload(payload),
            ...(audience === undefined ? {} : { audience }),
            ...(details === undefined ? {} : { details }),
            ...(retain ? { retain } : {}),
          },
          undefined,
          { realm: session.realmName, sessionId: session.id, ...(target.route === undefined ? {} : { route: target.route.pattern }) },
        );
        return publicationId;
      },
    };
    this.#pendingPublications++;
    let handled: Promise<unknown>;
    try {
      handled = Promise.resolve(
        authorized(this.session.realm.authorizer, () => ({ session, action: 'publish', uri: topic, match: 'exact', options }), () => target.handler(request)),
      );
    } catch (error) {
      handled = Promise.reject(error);
    }
    handled.then(
      () => {
        this.#pendingPublications--;
        if (acknowledge) session.send(build.published(requestId, publicationId ?? randomGlobalId()));
      },
      (error: unknown) => {
        this.#pendingPublications--;
        const reply = this.#errorReply(error, topic, 'publish');
        if (acknowledge) this.#error(MessageType.PUBLISH, requestId, reply.uri, reply.args, reply.kwargs);
      },
    );
  }

  /**
   * Sends an event to this session on each of its subscriptions matching
   * `topic`, all with one publication id. Returns whether any was queued.
   */
  sendEvent(topic: string, payload: EventPayload): boolean {
    if (!isValidURI(topic, 'loose')) {
      throw new ServerwampError('ERR_INVALID_URI', `${JSON.stringify(topic)} is not a valid topic URI`);
    }
    checkPayload(payload, 'sendEvent');
    if (this.#ended) return false;
    let publicationId: number | undefined;
    let sent = false;
    for (const { subscription } of [...this.#active.values()]) {
      if (!subscriptionMatches(subscription, topic)) continue;
      publicationId ??= randomGlobalId();
      const details = eventDetails({ topic }, subscription.match === 'exact');
      const message = build.event(subscription.id, publicationId, details, payload.args, payload.kwargs);
      if (this.sendEventFrame(this.session.connection.serializer.encode(message), topic, publicationId)) sent = true;
    }
    return sent;
  }

  /** Queues an encoded EVENT through the connection's outbox, which applies the slow-consumer bounds. */
  sendEventFrame(frame: string | Uint8Array, topic: string, publicationId: number, utf8?: SharedUTF8): boolean {
    if (this.#ended) return false;
    return this.session.queueEvent(frame, topic, publicationId, utf8);
  }

  /**
   * The session ended: its subscriptions leave the realm at once, and the
   * close parts of their handlers run. Resolves when they have.
   */
  endAll(): Promise<void> {
    this.#ended = true;
    const closing: Promise<void>[] = [];
    for (const active of this.#active.values()) {
      this.#events.subscriptions.leave(active.subscription, this);
      closing.push(active.lifecycle.close());
    }
    this.#active.clear();
    this.#held.clear();
    return Promise.all(closing).then(() => undefined);
  }

  #subscribed(key: string, pending: PendingSubscription, topic: string, match: MatchPolicy, lifecycle: OpenedLifecycle): void {
    if (this.#ended || this.#held.get(key) !== pending) {
      // The session ended while the handler was opening: run its close part now.
      void lifecycle.close();
      return;
    }
    const subscription = this.#events.subscriptions.join(topic, match, this);
    const active: ActiveSubscription = { subscription, lifecycle };
    this.#hold().set(key, active);
    this.#activate().set(subscription.id, active);
    // Joined and acknowledged in one synchronous step: nothing can be queued between the two.
    for (const requestId of pending.requestIds) this.session.send(build.subscribed(requestId, subscription.id));
    if (pending.getRetained) this.#events.sendRetained(this, subscription);
    for (const callback of pending.afterSubscribed ?? []) {
      try {
        callback();
      } catch (error) {
        this.session.logger.error({ err: error, topic }, 'whenSubscribed callback failed');
      }
    }
  }

  #refused(key: string, pending: PendingSubscription, topic: string, error: unknown): void {
    if (this.#held.get(key) === pending) this.#held.delete(key);
    if (this.#ended) return;
    const reply = this.#errorReply(error, topic, 'subscription');
    for (const requestId of pending.requestIds) this.#error(MessageType.SUBSCRIBE, requestId, reply.uri, reply.args, reply.kwargs);
  }

  #drop(active: ActiveSubscription): void {
    const { subscription } = active;
    this.#active.delete(subscription.id);
    this.#held.delete(subscriptionKey(subscription.match, subscription.topic));
    this.#events.subscriptions.leave(subscription, this);
  }

  /** The ERROR for a refusal: a `WampError` as thrown; anything else is logged and not disclosed. */
  #errorReply(
    error: unknown,
    topic: string,
    handler: 'subscription' | 'publish',
  ): { uri: string; args?: readonly unknown[]; kwargs?: Readonly<Dict> } {
    if (error instanceof WampError) {
      const uri = outboundErrorURI(error.uri, this.session.logger, `${handler} handler refusal`);
      return { uri, ...(error.args === undefined ? {} : { args: error.args }), ...(error.kwargs === undefined ? {} : { kwargs: error.kwargs }) };
    }
    this.session.logger.error({ err: error, topic }, `${handler} handler failed`);
    return { uri: WampURI.RUNTIME_ERROR, args: [`the ${handler} handler failed`] };
  }

  #error(requestType: number, requestId: number, uri: string, args?: readonly unknown[], kwargs?: Readonly<Dict>): void {
    try {
      this.session.send(build.error(requestType, requestId, uri, args, kwargs));
    } catch (error) {
      // The application's error payload does not serialize: the client still gets an ERROR.
      this.session.logger.error({ err: error, request: requestId }, 'error payload could not be serialized');
      this.session.send(build.error(requestType, requestId, WampURI.RUNTIME_ERROR));
    }
  }
}
