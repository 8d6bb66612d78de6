/**
 * {@link Realm}: a namespace with its own procedures, topics, authenticators,
 * session state handlers and defaults. Application-level setters configure
 * the default realm.
 * @module
 */
import type { AuthenticationHandler } from './auth/types.js';
import type { CryptosignKeyProvider } from './auth/cryptosign.js';
import { RealmAuthentication } from './auth/realm-authentication.js';
import type { TicketAuthenticator } from './auth/ticket.js';
import type { TransportAuthenticator } from './auth/transport.js';
import type { CRAOptions } from './auth/cra-decoy.js';
import type { CRAIdentityProvider, CRARequirementProvider } from './auth/wampcra.js';
import type { Authorizer } from './model/authorization.js';
import { describe, ServerwampError } from './errors.js';
import { boolean, checkOptions, type OptionSpec } from './options.js';
import { leaveArgs, sessionDetails, SessionMetaTopic, sessionMetaRoutes } from './meta/session-meta.js';
import { answerMeta, type ClusterMeta } from './meta/cluster-meta.js';
import type { RealmRef, PublishOptions, Session } from './model/session.js';
import { MemorySessionDirectory } from './session-directory.js';
import { serverPublication } from './events/publish.js';
import { Broker } from './events/broker.js';
import type { SessionStateHandler, SessionStateOptions, SessionStateRegistration } from './events/session-state.js';
import type { PublishHandler, SubscriptionHandler } from './events/topic-handler.js';
import type { TopicRouteSet } from './events/topic-route-set.js';
import { isValidURI } from './protocol/uri.js';
import { Dealer } from './rpc/dealer.js';
import type { Procedure, RawProcedureHandler } from './rpc/procedure.js';
import type { RPCRoute } from './rpc/route-set.js';
import type { ResolvedRoute } from './routing/uri-router.js';

const sessionStateOptionShape: Record<keyof SessionStateOptions, OptionSpec> = { authenticatedOnly: boolean };

/**
 * Checks, before anything is added, that each argument is a route set (an
 * iterable of routes with a URI, a match policy and `member`): a plain object
 * or a forgotten `new` fails here, naming the call, instead of as a TypeError
 * from inside the router.
 */
function checkRouteSets(routeSets: readonly unknown[], call: string, kind: string, member: string): void {
  routeSets.forEach((routeSet, index) => {
    const iterate = (routeSet as { [Symbol.iterator]?: unknown } | null | undefined)?.[Symbol.iterator];
    if (typeof iterate !== 'function' || typeof routeSet === 'string') {
      throw new ServerwampError('ERR_INVALID_ARGUMENT', `${call}: argument ${index + 1} must be a ${kind}, got ${describe(routeSet)}`);
    }
    for (const route of routeSet as Iterable<unknown>) {
      const candidate = route as Record<string, unknown> | null;
      if (typeof candidate !== 'object' || candidate === null || typeof candidate['uri'] !== 'string' || typeof candidate['match'] !== 'string' || candidate[member] === undefined) {
        throw new ServerwampError('ERR_INVALID_ARGUMENT', `${call}: argument ${index + 1} must be a ${kind}; it holds ${describe(route)}, which is not a route`);
      }
    }
  });
}

/**
 * A WAMP realm served by the application.
 *
 * @example
 * ```ts
 * const admins = new Realm('admins');
 * admins.addRPCRoutes(adminApi);
 * admins.setTicketAuthenticator((session, ticket) => tokens.get(ticket));
 * app.addRealm(admins);
 * ```
 */
export class Realm implements RealmRef {
  /** The realm URI clients name in HELLO; `undefined` for the default realm. */
  readonly name: string | undefined;
  /**
   * The values procedures of this realm receive as `request.context`. Realms
   * added to an application without one get the application's `context`.
   */
  context: unknown;
  /** How sessions of this realm authenticate; configure it with the setters below. */
  readonly authentication = new RealmAuthentication();
  readonly #dealer = new Dealer();
  #authorizer: Authorizer | undefined;
  /** The realm's sessions, tracked only once the session meta API is enabled. */
  #metaSessions: MemorySessionDirectory | undefined;
  /** The other nodes' sessions of this realm, when the application reaches other nodes. */
  #cluster: ClusterMeta | undefined;
  readonly #events: Broker;
  readonly #sessionStateHandlers: SessionStateRegistration[] = [];

  /**
   * A realm that clients name `name` in HELLO; add it with `app.addRealm`.
   * @param name The realm URI; leave it out only for the application's default realm.
   */
  constructor(name?: string) {
    if (name !== undefined && !isValidURI(name, 'loose')) {
      throw new ServerwampError('ERR_INVALID_URI', `${JSON.stringify(name)} is not a valid realm URI`);
    }
    this.name = name;
    this.#events = new Broker(name ?? '');
  }

  /** Adds every procedure of a route set. Throws `ERR_DUPLICATE_ROUTE` if one is already routed. */
  addRPCRoutes(...routeSets: Iterable<RPCRoute>[]): this {
    checkRouteSets(routeSets, 'addRPCRoutes', 'RPCRouteSet', 'procedure');
    this.#dealer.addRoutes(routeSets);
    return this;
  }

  /**
   * Replaces procedure routing with one function that answers every CALL of
   * this realm, like a raw route handler. Routes added with `addRPCRoutes` are
   * then not used.
   */
  setRPCHandler<Context = unknown>(handler: RawProcedureHandler<Context> | undefined): this {
    this.#dealer.rpcHandler = handler as RawProcedureHandler | undefined;
    return this;
  }

  /**
   * Sets the function that decides whether a session of this realm may call,
   * subscribe or publish (see {@link Authorizer}); `undefined` allows everything.
   */
  setAuthorizer(authorizer: Authorizer | undefined): this {
    this.#authorizer = authorizer;
    return this;
  }

  /**
   * Serves the WAMP session meta API in this realm: the procedures
   * `wamp.session.count`, `list`, `get`, `kill`, `kill_by_authid`,
   * `kill_by_authrole` and `kill_all`, and the events `wamp.session.on_join`
   * and `wamp.session.on_leave`. Every session of the realm can use them
   * unless the realm's authorizer says otherwise.
   *
   * @example
   * ```ts
   * admins.enableSessionMetaAPI();
   * admins.setAuthorizer(({ session, uri }) => !uri.startsWith('wamp.session.kill') || session.authrole === 'admin');
   * ```
   */
  enableSessionMetaAPI(): this {
    if (this.#metaSessions !== undefined) return this;
    const sessions = new MemorySessionDirectory();
    this.#metaSessions = sessions;
    const { procedures, topics } = sessionMetaRoutes(sessions, () => this.#cluster);
    this.addRPCRoutes(procedures);
    this.addTopicRoutes(topics);
    return this;
  }

  /** Whether the session meta API is enabled (announced as `session_meta_api` in WELCOME). */
  get sessionMetaAPI(): boolean {
    return this.#metaSessions !== undefined;
  }

  /** @internal The sessions in the meta API's directory (0 when it is not enabled). */
  get metaSessionCount(): number {
    return this.#metaSessions?.size ?? 0;
  }

  /** @internal The application joins the realm's meta API to the other nodes of its cluster. */
  connectCluster(cluster: ClusterMeta): void {
    this.#cluster = cluster;
  }

  /** @internal Answers another node's meta question about this node's sessions of the realm. */
  answerMeta(question: readonly unknown[]): unknown {
    return answerMeta(this.#metaSessions, question, sessionDetails);
  }

  /** @internal A session of this realm was welcomed. */
  sessionJoined(session: Session): void {
    if (this.#metaSessions === undefined) return;
    this.#metaSessions.add(session);
    this.publish(SessionMetaTopic.ON_JOIN, { args: [sessionDetails(session)], exclude: [session] });
  }

  /** @internal A session of this realm ended. */
  sessionLeft(session: Session): void {
    if (this.#metaSessions?.delete(session) !== true) return;
    this.publish(SessionMetaTopic.ON_LEAVE, { args: leaveArgs(session) });
  }

  /** The realm's authorizer, if one is set. */
  get authorizer(): Authorizer | undefined {
    return this.#authorizer;
  }

  /** The custom RPC handler, if one is set. */
  get rpcHandler(): RawProcedureHandler | undefined {
    return this.#dealer.rpcHandler;
  }

  /** The procedure a CALL for `uri` goes to, if any. */
  resolveProcedure(uri: string): ResolvedRoute<Procedure> | undefined {
    return this.#dealer.resolve(uri);
  }

  /**
   * Adds a transport authenticator. They run in the order added, before any
   * challenge; the first to return an identity authenticates the session.
   */
  addTransportAuthenticator(authenticator: TransportAuthenticator): this {
    this.authentication.addTransportAuthenticator(authenticator);
    return this;
  }

  /** Sets the realm's ticket authenticator (one per realm; `undefined` removes it). */
  setTicketAuthenticator(authenticator: TicketAuthenticator | undefined): this {
    this.authentication.setTicketAuthenticator(authenticator);
    return this;
  }

  /** Adds every topic of a route set. Throws `ERR_DUPLICATE_ROUTE` if one is already routed. */
  addTopicRoutes(...routeSets: TopicRouteSet[]): this {
    checkRouteSets(routeSets, 'addTopicRoutes', 'TopicRouteSet', 'definition');
    this.#events.addRoutes(routeSets);
    return this;
  }

  /**
   * Sets the realm's WAMP-CRA handlers: `requirementProvider` returns the
   * secret and role for the claimed authid; `identityProvider` is called only
   * once the client proved the secret, and returns the session's identity.
   * `options.unknownUsers` shapes the challenge of authids the provider does
   * not know, so that they look like the realm's real users (see
   * {@link CRAOptions}); throws `ERR_INVALID_OPTION` if an option is malformed.
   */
  setCRAHandlers(requirementProvider: CRARequirementProvider, identityProvider: CRAIdentityProvider, options?: CRAOptions): this {
    this.authentication.setCRAHandlers(requirementProvider, identityProvider, options);
    return this;
  }

  /** Enables WAMP-Cryptosign: `keyProvider` returns the identity for a proven public key (`undefined` disables). */
  setCryptosignAuthenticator(keyProvider: CryptosignKeyProvider | undefined): this {
    this.authentication.setCryptosignAuthenticator(keyProvider);
    return this;
  }

  /** Replaces the whole authentication flow of the realm with `handler` (`undefined` restores the built-in one). */
  setAuthenticationHandler(handler: AuthenticationHandler | undefined): this {
    this.authentication.setAuthenticationHandler(handler);
    return this;
  }

  /**
   * Replaces topic routing for subscriptions with one handler, run for every
   * SUBSCRIBE of this realm like a route's subscription handler (throw to
   * refuse). Topic routes are then not used for subscriptions.
   *
   * @example
   * ```ts
   * realm.setSubscriptionHandler(async function* ({ topic, session }) {
   *   if (!topic.startsWith(`user.${session.authid}.`)) throw new WampError('wamp.error.not_authorized');
   *   yield;
   * });
   * ```
   */
  setSubscriptionHandler(handler: SubscriptionHandler | undefined): this {
    this.#events.subscriptionHandler = handler;
    return this;
  }

  /** Replaces topic routing for client publications with one handler. */
  setPublishHandler(handler: PublishHandler | undefined): this {
    this.#events.publishHandler = handler;
    return this;
  }

  /**
   * Adds a session state handler: its open part runs before each session of
   * this realm is welcomed, its close part after the session ends.
   */
  addSessionStateHandler(handler: SessionStateHandler, options: SessionStateOptions = {}): this {
    if (typeof handler !== 'function') {
      throw new ServerwampError('ERR_INVALID_OPTION', 'a session state handler must be a function');
    }
    checkOptions(options, sessionStateOptionShape, 'addSessionStateHandler');
    this.#sessionStateHandlers.push({ handler, authenticatedOnly: options.authenticatedOnly ?? true });
    return this;
  }

  /**
   * Publishes an event to every session of this realm subscribed to a
   * matching topic. Returns the publication id.
   *
   * @example
   * ```ts
   * realm.publish('market.ticks', { args: [symbol, price] });
   * ```
   */
  publish(topic: string, options: PublishOptions = {}): number {
    const publication = serverPublication(topic, options);
    this.#events.publish(publication, options.filter);
    return publication.publicationId;
  }

  /**
   * Forgets the retained event of `topic`, if there is one; returns whether
   * there was (a promise of it with an asynchronous retained store).
   */
  clearRetained(topic: string): boolean | Promise<boolean> {
    return this.#events.clearRetained(topic);
  }

  /** @internal The realm's dealer: its procedures. */
  get dealer(): Dealer {
    return this.#dealer;
  }

  /** @internal The realm's topic routing and live subscriptions. */
  get events(): Broker {
    return this.#events;
  }

  /** @internal */
  get sessionStateHandlers(): readonly SessionStateRegistration[] {
    return this.#sessionStateHandlers;
  }
}
