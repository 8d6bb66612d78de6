/**
 * {@link Application}: the configuration of a WAMP app (realms, procedures,
 * options) and the entry point for connections from any adapter (`accept`).
 * @module
 */
import type { AuthenticationHandler } from './auth/types.js';
import type { CryptosignKeyProvider } from './auth/cryptosign.js';
import type { TicketAuthenticator } from './auth/ticket.js';
import type { TransportAuthenticator } from './auth/transport.js';
import type { CRAOptions } from './auth/cra-decoy.js';
import type { CRAIdentityProvider, CRARequirementProvider } from './auth/wampcra.js';
import { engineOptions, type ApplicationOptions } from './application-options.js';
import { Connection, type ConnectionHost } from './engine/connection.js';
import type { EngineOptions } from './engine/options.js';
import { CloseCode, type Closable, type ConnectionRefusal, type Transport, type TransportHost } from './transport.js';
import { Refusals, type RefusalCounts } from './engine/refusals.js';
import { SessionSlots } from './engine/session-slots.js';
import { limitSettings } from './limit-options.js';
import { PeerConnections } from './peer-connections.js';
import { healthOf, type Health } from './health.js';
import type { Authorizer } from './model/authorization.js';
import { ServerwampError } from './errors.js';
import type { Backplane, BackplaneNode, RelayedPublication, TopicInterest } from './events/backplane.js';
import type { Publication } from './events/delivery.js';
import { serverPublication } from './events/publish.js';
import { publicationsTraced, tracePublish } from './events/publish-tracing.js';
import type { RetainedStore } from './events/retained-store.js';
import type { PublishOptions, Session } from './model/session.js';
import type { TopicPublishRest } from './model/typed-session.js';
import type { SessionStateHandler, SessionStateOptions } from './events/session-state.js';
import type { PublishHandler, SubscriptionHandler } from './events/topic-handler.js';
import type { TopicRouteSet } from './events/topic-route-set.js';
import { defaultLogger, toLogger, type Logger, type LoggerLike } from './logger.js';
import { hostLogger, type HostLogger } from './host-logger.js';
import { randomGlobalId } from './protocol/ids.js';
import type { MatchPolicy } from './protocol/uri.js';
import { Realm } from './realm.js';
import type { RawProcedureHandler } from './rpc/procedure.js';
import type { RPCRoutesFor } from './rpc/route-set.js';
import { createSerializers, SUPPORTED_PROTOCOLS, type Serializer } from './serializers/index.js';
import { MemorySessionDirectory, type SessionDirectory } from './session-directory.js';
import type { TransportInfo } from './transport-info.js';
import { OutboundBudget } from './outbound-budget.js';
import type { MetricsRecorder } from './metrics/recorder.js';
import { ServerMetrics } from './metrics/server-metrics.js';
import { RemoteSessions, unreachable } from './remote/remote-sessions.js';
import { answerMeta } from './meta/cluster-meta.js';
import { clusterMeta } from './remote/cluster-meta.js';
import { localHandle, remoteHandle, type SessionHandle } from './remote/session-handle.js';
import { drain, shutdownOf, type CloseOptions, type Shutdown } from './shutdown.js';
import { addSessionTables, emptySessionTables, type ApplicationTables } from './model/tables.js';
import { version } from './version.js';

/**
 * A WAMP application: procedures (and topics) clients can use, organised in
 * realms. It runs on any JavaScript runtime; an adapter serves it, e.g.
 * `serverwamp/node` over WebSocket and RawSocket (TCP).
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { Application, RPCRouteSet } from 'serverwamp';
 * import { attach } from 'serverwamp/node';
 *
 * const app = new Application();
 * const mathApi = new RPCRouteSet();
 * mathApi.route('math.add', { params: ['number1', 'number2'] }, ({ number1, number2 }) =>
 *   Number(number1) + Number(number2));
 * app.addRPCRoutes(mathApi);
 *
 * const server = createServer();
 * attach(app, server, { path: '/ws' });
 * server.listen(8080);
 * ```
 *
 * @typeParam Context - the type of the `context` option, which procedures receive as `request.context`.
 * @typeParam API - optional: the application's API (`InferAPI<…>`), which types
 *   `publish` for its typed topics (docs/typed-client.md); other topics stay untyped.
 */
export class Application<Context = unknown, API = Record<never, never>> implements TransportHost {
  /** The realm serving clients that ask for a realm not added with {@link addRealm}. */
  readonly defaultRealm = new Realm();
  /** Where serverwamp logs, as given in `options.logger` (console warnings and errors by default). */
  readonly logger: Logger;
  /** The logger a host may lend ({@link useHostLogger}); undefined when the `logger` option was given. */
  readonly #hostLogger: HostLogger | undefined;
  /** @internal */
  readonly serializers: ReadonlyMap<string, Serializer>;
  /** @internal */
  readonly engineOptions: EngineOptions;
  /**
   * Counters and histograms of this application (see {@link ServerMetrics});
   * undefined unless the `metrics` option is set.
   */
  readonly metrics: ServerMetrics | undefined;
  /** Where the engine counts; undefined when metrics are off. */
  readonly #recorder: MetricsRecorder | undefined;
  /** @internal What is queued for all connections, against the read-pause limits. */
  readonly outboundBudget: OutboundBudget;
  readonly #allowDefaultRealm: boolean;
  readonly #realms = new Map<string, Realm>();
  readonly #sessions: SessionDirectory;
  readonly #backplane: Backplane | undefined;
  readonly #retainedStore: RetainedStore | undefined;
  #nodeId: string | undefined;
  readonly #connections = new Set<Connection>();
  readonly #closables = new Set<Closable>();
  readonly #host: ConnectionHost;
  readonly #remote: RemoteSessions | undefined;
  readonly #refusals = new Refusals();
  /** Off (undefined) unless `limits.maxConnectionsPerAddress` is set. */
  readonly #peers: PeerConnections | undefined;
  #droppedEvents = 0;
  /** Set when `close()` starts: HELLO and CALL are refused from then on. */
  #shutdown: Shutdown | undefined;
  #closing: Promise<void> | undefined;
  #closed = false;
  /** Resolves the promise of a drain waiting for the last connection to close. */
  #lastClosed: (() => void) | undefined;

  readonly #context: Context | undefined;

  /**
   * Identifies this application instance among the nodes of a backplane:
   * random, so that no two instances (in any process) share one. Drawn when
   * first read: the Workers runtime (workerd) refuses random values at a
   * module's top level, where an application is often made.
   */
  get nodeId(): string {
    return (this.#nodeId ??= globalThis.crypto.randomUUID());
  }

  /** Checks `options` (a misspelt key or a wrong type throws `ServerwampError` `ERR_INVALID_OPTION`) and sets the application up; nothing is served until an adapter accepts connections. */
  constructor(options: ApplicationOptions<Context> = {}) {
    if (options.logger === undefined) this.logger = this.#hostLogger = hostLogger(defaultLogger);
    else this.logger = toLogger(options.logger);
    this.#context = options.context;
    this.defaultRealm.context = options.context;
    this.#allowDefaultRealm = options.allowDefaultRealm ?? true;
    // Options are checked first, so a misspelt key is reported before anything else.
    const settings = engineOptions(options, `serverwamp-ts/${version}`, () => this.#droppedEvents++);
    this.engineOptions = settings;
    this.#recorder = settings.metrics;
    this.metrics = settings.metrics === undefined ? undefined : new ServerMetrics(settings.metrics);
    this.serializers = createSerializers(options.protocols ?? SUPPORTED_PROTOCOLS, options.json);
    this.outboundBudget = new OutboundBudget(this.engineOptions.readPauseLimit, this.engineOptions.totalReadPauseLimit);
    this.#sessions = options.sessionDirectory ?? new MemorySessionDirectory();
    this.#backplane = options.backplane;
    this.#addCollectors();
    this.#retainedStore = options.retainedStore;
    this.#connectRealm(this.defaultRealm);
    const limits = limitSettings(options.limits);
    const slots =
      limits.maxSessions === Infinity && limits.maxSessionsPerRealm === Infinity
        ? undefined
        : new SessionSlots(limits.maxSessions, limits.maxSessionsPerRealm, this.#refusals);
    if (limits.maxConnectionsPerAddress !== Infinity) this.#peers = new PeerConnections(limits.maxConnectionsPerAddress);
    const shutdown = (): Shutdown | undefined => this.#shutdown;
    this.#host = {
      logger: this.logger,
      refusals: this.#refusals,
      ...(slots === undefined ? {} : { admitSession: (realm: Realm) => slots.admit(realm) }),
      // A getter: the engine reads the state when each HELLO and CALL arrives.
      get shutdown() {
        return shutdown();
      },
      engineOptions: this.engineOptions,
      resolveRealm: (name) => this.#realms.get(name) ?? (this.#allowDefaultRealm ? this.defaultRealm : undefined),
      newSessionId: () => {
        let id = randomGlobalId();
        while (this.#sessions.get(id) !== undefined) id = randomGlobalId();
        return id;
      },
      sessionOpened: (session) => {
        this.#sessions.add(session);
        this.#recorder?.sessionOpened(session.realm.name, session.connection.transportInfo.transport);
        this.#registry('sessionOpened', session.id);
        session.realm.sessionJoined(session);
      },
      sessionClosed: (session) => {
        if (this.#sessions.delete(session)) {
          this.#recorder?.sessionClosed(session.realm.name, session.connection.transportInfo.transport);
          this.#registry('sessionClosed', session.id);
        }
        session.realm.sessionLeft(session);
      },
      connectionClosed: (connection) => {
        if (this.#connections.delete(connection)) this.#peers?.remove(connection.transportInfo.peerAddress);
        if (this.#connections.size === 0) this.#lastClosed?.();
      },
    };
    const backplane = this.#backplane;
    this.#remote =
      backplane?.sendToNode === undefined
        ? undefined
        : new RemoteSessions({
            nodeId: this.nodeId,
            logger: this.logger,
            backplane,
            local: { get: (id) => this.#sessions.get(id) },
            meta: (params) => this.#answerMeta(params),
          });
    for (const realm of this.#allRealms()) this.#connectCluster(realm);
    this.#startBackplane();
  }

  /** Adds a realm; clients reach it by naming it in HELLO. */
  addRealm(realm: Realm): this {
    if (realm.name === undefined) {
      throw new ServerwampError('ERR_INVALID_OPTION', 'a realm added to an application needs a name');
    }
    if (this.#realms.has(realm.name)) {
      throw new ServerwampError('ERR_DUPLICATE_REALM', `the realm ${JSON.stringify(realm.name)} was already added`);
    }
    realm.context ??= this.#context;
    this.#realms.set(realm.name, realm);
    this.#connectRealm(realm);
    this.#connectCluster(realm);
    return this;
  }

  /** The realm added under `name`, if any. */
  getRealm(name: string): Realm | undefined {
    return this.#realms.get(name);
  }

  /** Adds procedures to the default realm: route sets for this application's context, or ones that use none. */
  addRPCRoutes(...routeSets: RPCRoutesFor<Context>[]): this {
    this.defaultRealm.addRPCRoutes(...routeSets);
    return this;
  }

  /** Serves the session meta API in the default realm (see {@link Realm.enableSessionMetaAPI}). */
  enableSessionMetaAPI(): this {
    this.defaultRealm.enableSessionMetaAPI();
    return this;
  }

  /** Sets the default realm's authorizer (see {@link Realm.setAuthorizer}). */
  setAuthorizer(authorizer: Authorizer | undefined): this {
    this.defaultRealm.setAuthorizer(authorizer);
    return this;
  }

  /** Sets the default realm's custom RPC handler (see {@link Realm.setRPCHandler}). */
  setRPCHandler(handler: RawProcedureHandler<Context> | undefined): this {
    this.defaultRealm.setRPCHandler(handler);
    return this;
  }

  /** Adds a transport authenticator to the default realm (see {@link Realm.addTransportAuthenticator}). */
  addTransportAuthenticator(authenticator: TransportAuthenticator): this {
    this.defaultRealm.addTransportAuthenticator(authenticator);
    return this;
  }

  /** Sets the default realm's ticket authenticator (see {@link Realm.setTicketAuthenticator}). */
  setTicketAuthenticator(authenticator: TicketAuthenticator | undefined): this {
    this.defaultRealm.setTicketAuthenticator(authenticator);
    return this;
  }

  /** Sets the default realm's WAMP-CRA handlers (see {@link Realm.setCRAHandlers}). */
  setCRAHandlers(requirementProvider: CRARequirementProvider, identityProvider: CRAIdentityProvider, options?: CRAOptions): this {
    this.defaultRealm.setCRAHandlers(requirementProvider, identityProvider, options);
    return this;
  }

  /** Sets the default realm's cryptosign key provider (see {@link Realm.setCryptosignAuthenticator}). */
  setCryptosignAuthenticator(keyProvider: CryptosignKeyProvider | undefined): this {
    this.defaultRealm.setCryptosignAuthenticator(keyProvider);
    return this;
  }

  /** Replaces the default realm's authentication flow (see {@link Realm.setAuthenticationHandler}). */
  setAuthenticationHandler(handler: AuthenticationHandler | undefined): this {
    this.defaultRealm.setAuthenticationHandler(handler);
    return this;
  }

  /** Adds topics to the default realm. */
  addTopicRoutes(...routeSets: TopicRouteSet[]): this {
    this.defaultRealm.addTopicRoutes(...routeSets);
    return this;
  }

  /** Sets the default realm's custom subscription handler (see {@link Realm.setSubscriptionHandler}). */
  setSubscriptionHandler(handler: SubscriptionHandler | undefined): this {
    this.defaultRealm.setSubscriptionHandler(handler);
    return this;
  }

  /** Sets the default realm's custom publish handler (see {@link Realm.setPublishHandler}). */
  setPublishHandler(handler: PublishHandler | undefined): this {
    this.defaultRealm.setPublishHandler(handler);
    return this;
  }

  /** Adds a session state handler to the default realm (see {@link Realm.addSessionStateHandler}). */
  addSessionStateHandler(handler: SessionStateHandler, options?: SessionStateOptions): this {
    this.defaultRealm.addSessionStateHandler(handler, options);
    return this;
  }

  /**
   * Publishes an event to every session subscribed to a matching topic, in
   * every realm, with one publication id (returned). Each subscription's
   * EVENT is encoded once per serializer in use, not once per session.
   *
   * @example
   * ```ts
   * app.publish('hourly.updates', { args: [`The hour is ${new Date().getHours()}`] });
   * ```
   */
  publish<U extends string>(topic: U, ...rest: TopicPublishRest<API, U>): number;
  publish(topic: string, options: PublishOptions = {}): number {
    const publication = serverPublication(topic, options);
    if (publicationsTraced()) tracePublish(publication, { realm: undefined }, (traced) => this.#publish(traced, options.filter));
    else this.#publish(publication, options.filter);
    return publication.publicationId;
  }

  /** Delivers a publication to every realm here, and relays it; returns the EVENTs queued here. */
  #publish(publication: Publication, filter: PublishOptions['filter']): number {
    for (const realm of this.#allRealms()) realm.events.checkFilter(publication, filter);
    const deliveries = [...this.#allRealms()].map((realm) => realm.events.stage(publication, filter));
    // One relay for every realm, so each other node delivers it to all of its realms, as here;
    // before the local fan-out, as in Broker.publish.
    this.#relay(undefined, publication);
    let queued = 0;
    for (const deliverHere of deliveries) queued += deliverHere();
    return queued;
  }

  /** Events dropped so far, over all sessions, because their clients were not reading fast enough. */
  get droppedEvents(): number {
    return this.#droppedEvents;
  }

  /** The sessions currently established, in every realm. */
  get sessions(): IterableIterator<Session> {
    return this.#sessions.values();
  }

  /** @internal Its tables, counted: `inspectApplication` in `serverwamp/testing`. */
  tables(): ApplicationTables {
    const sessionTables = emptySessionTables();
    for (const connection of this.#connections) {
      const one = connection.tables();
      if (one !== undefined) addSessionTables(sessionTables, one);
    }
    let metaSessions = 0;
    let realmSubscriptions = 0;
    for (const realm of this.#allRealms()) {
      metaSessions += realm.metaSessionCount;
      realmSubscriptions += realm.events.subscriptions.size;
    }
    return {
      ...sessionTables,
      connections: this.#connections.size,
      sessions: this.#sessions.size,
      metaSessions,
      realmSubscriptions,
      outboundBytes: this.outboundBudget.total,
      remoteRequests: this.#remote?.inFlight ?? 0,
    };
  }

  /** The established session with this id, if any. */
  getSession(id: number): Session | undefined {
    return this.#sessions.get(id);
  }

  /**
   * The session with this id on any node of the cluster, as a
   * {@link SessionHandle} (this node's own sessions too), or undefined when
   * no live node holds it. Without a backplane that can reach other nodes,
   * only this node's sessions are found. Rejects with
   * `serverwamp.error.node_unreachable` when the session registry cannot be
   * reached (the backplane is down). See docs/scaling.md, "Remote sessions".
   *
   * @example
   * ```ts
   * const handle = await app.session(id);
   * await handle?.sendEvent('user.notice', { args: ['Your export is ready'] });
   * ```
   */
  async session(id: number): Promise<SessionHandle | undefined> {
    const local = this.#sessions.get(id);
    if (local !== undefined) return localHandle(local, this.nodeId);
    const locate = this.#backplane?.locateSession;
    if (this.#remote === undefined || locate === undefined || typeof id !== 'number' || !Number.isSafeInteger(id)) return undefined;
    let nodeId: string | undefined;
    try {
      nodeId = await locate.call(this.#backplane, id);
    } catch {
      throw unreachable('the session registry cannot be reached');
    }
    return nodeId === undefined || nodeId === this.nodeId ? undefined : remoteHandle(id, nodeId, this.#remote);
  }

  /**
   * Accepts a connection from any transport: the seam for custom adapters
   * (see `serverwamp/adapter` and docs/custom-transports.md). Call it
   * once the WAMP subprotocol is agreed (`negotiateProtocol`), feed every
   * received frame to `connection.receive(frame)` and call
   * `connection.transportClosed()` when the transport closes. The connection
   * then waits for HELLO, within `helloTimeout`.
   *
   * @example
   * ```ts
   * function serve(socket: WebSocket, offered: string[], transportInfo: TransportInfo): boolean {
   *   const serializer = negotiateProtocol(offered, createSerializers());
   *   if (serializer === undefined) return false;
   *   const connection = app.accept(
   *     { send: (f) => socket.send(f), close: (c, r) => socket.close(c, r), get bufferedAmount() { return socket.bufferedAmount; } },
   *     serializer,
   *     transportInfo,
   *   );
   *   socket.onmessage = (e) => connection.receive(e.data);
   *   socket.onclose = () => connection.transportClosed();
   *   return true;
   * }
   * ```
   */
  accept(transport: Transport, serializer: Serializer, transportInfo: TransportInfo): Connection {
    const connection = new Connection(this.#host, transport, serializer, transportInfo);
    if (this.#closed) {
      // Shut down: an adapter still delivering connections gets them closed, not served.
      connection.close(CloseCode.GOING_AWAY, 'server shutting down');
      return connection;
    }
    if (this.#peers !== undefined && !this.#peers.add(transportInfo.peerAddress)) {
      this.#refusals.refused('maxConnectionsPerAddress');
      connection.close(CloseCode.TRY_AGAIN_LATER, 'too many connections from this address');
      return connection;
    }
    this.#connections.add(connection);
    return connection;
  }

  /**
   * For adapters (see `TransportHost.admit`): asked before upgrading or
   * accepting a connection from `peerAddress` (`''` when unknown). Returns
   * why it is refused, counted in {@link refusals}: the application is
   * shutting down (503), or the address already has
   * `limits.maxConnectionsPerAddress` connections open (429). The built-in
   * Node adapters ask; `accept` still closes an over-limit connection (1013).
   *
   * @example
   * ```ts
   * import type { IncomingMessage } from 'node:http';
   * import type { Duplex } from 'node:stream';
   *
   * function onUpgrade(request: IncomingMessage, socket: Duplex): void {
   *   const refusal = app.admit(request.socket.remoteAddress ?? '');
   *   if (refusal !== undefined) return void socket.end(`HTTP/1.1 ${refusal.status} ${refusal.message}\r\n\r\n`);
   *   // …accept the upgrade
   * }
   * ```
   */
  admit(peerAddress: string): ConnectionRefusal | undefined {
    if (this.#shutdown !== undefined) {
      this.#refusals.refused('draining');
      return { limit: 'draining', status: 503, message: 'the server is shutting down; connect to another instance or retry later' };
    }
    if (this.#peers !== undefined && !this.#peers.admits(peerAddress)) {
      this.#refusals.refused('maxConnectionsPerAddress');
      return { limit: 'maxConnectionsPerAddress', status: 429, message: 'too many connections from this address (maxConnectionsPerAddress)' };
    }
    return undefined;
  }

  /**
   * The application's health, for readiness and liveness probes: `ready`
   * turns false as soon as `close()` starts, so a load balancer stops
   * sending clients while the sessions drain. With a backplane that reports
   * its health (the Redis one does), `degraded` while it cannot reach the
   * other nodes. `serverwamp/node`'s `listen` serves it over HTTP with its
   * `health` option.
   *
   * @example
   * ```ts
   * // Express or any HTTP framework, next to attach():
   * router.get('/healthz', (_req, res) => {
   *   const health = app.health();
   *   res.status(health.ready ? 200 : 503).json(health);
   * });
   * ```
   */
  health(): Health {
    return healthOf({
      closed: this.#closed,
      draining: this.#shutdown !== undefined,
      sessions: this.#sessions.size,
      connections: this.#connections.size,
      backplane: this.#backplane?.health,
    });
  }

  /** What the `limits` refused so far, by kind (a copy); see docs/limits.md. */
  get refusals(): RefusalCounts {
    return this.#refusals.counts();
  }

  /**
   * For adapters of a framework with a logger of its own (`serverwamp/fastify`
   * lends `fastify.log`): from now on the application logs there, its parts
   * made earlier included. The `logger` option wins: an application given
   * one keeps it, and so does one already lent a logger (the first host's
   * stays). Returns whether `logger` is used.
   *
   * @example
   * ```ts
   * // In an adapter, given the framework's pino-shaped logger:
   * app.useHostLogger(fastify.log.child({ name: 'serverwamp' }));
   * ```
   */
  useHostLogger(logger: LoggerLike): boolean {
    return this.#hostLogger?.lend(toLogger(logger)) ?? false;
  }

  /**
   * Registers something an adapter started for this application (an
   * endpoint, a server) so that {@link close} stops it too. Returns a function
   * that unregisters it, for when the adapter stops it first.
   *
   * @example
   * ```ts
   * const endpoint = { close: async () => void server.close() }; // what an adapter started
   * const unregister = app.addClosable(endpoint); // app.close() now awaits endpoint.close()
   * ```
   */
  addClosable(closable: Closable): () => void {
    this.#closables.add(closable);
    return () => {
      this.#closables.delete(closable);
    };
  }

  /**
   * Shuts the application down gracefully, then stops everything registered
   * with {@link addClosable} (the endpoints and servers of `serverwamp/node`)
   * and the backplane:
   *
   * 1. from now on HELLO is answered with ABORT (`reason`, default
   *    `wamp.close.system_shutdown`) and CALL with ERROR
   *    `serverwamp.error.shutting_down`; sessions still authenticating are aborted;
   * 2. calls in flight may finish and deliver their results for up to
   *    `timeout` ms (default 10 000); those still running then get ERROR
   *    `wamp.error.canceled` and their `request.signal` aborts;
   * 3. every session is told GOODBYE (`reason`, with `message` if given);
   *    its pending `session.call`s reject with `wamp.error.canceled`;
   * 4. after the clients' GOODBYE replies, or `goodbyeWait` ms, the
   *    transports that remain are closed with 1001.
   *
   * Calling it again returns the same promise (the options of later calls
   * are ignored). Throws `ServerwampError` for invalid options.
   *
   * @example
   * ```ts
   * await app.close({ timeout: 5000, message: 'restarting' }); // e.g. on SIGTERM
   * ```
   */
  close(options?: CloseOptions): Promise<void> {
    if (this.#closing !== undefined) return this.#closing;
    const shutdown = shutdownOf(options, this.engineOptions.goodbyeTimeout);
    this.#shutdown = shutdown;
    this.#closing = this.#drainAndStop(shutdown);
    return this.#closing;
  }

  /** `await using app = new Application()`: the same as {@link close} with its defaults. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #drainAndStop(shutdown: Shutdown): Promise<void> {
    await drain(
      {
        connections: () => [...this.#connections],
        allClosed: () =>
          this.#connections.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => (this.#lastClosed = resolve)),
      },
      shutdown,
    );
    this.#lastClosed = undefined;
    this.#closed = true;
    const closables = [...this.#closables];
    this.#closables.clear();
    await Promise.all(closables.map((closable) => closable.close()));
    this.#remote?.close();
    if (this.#backplane !== undefined) {
      try {
        await this.#backplane.close();
      } catch (error) {
        this.logger.error({ err: error }, 'backplane close failed');
      }
    }
  }

  *#allRealms(): Generator<Realm> {
    yield this.defaultRealm;
    yield* this.#realms.values();
  }

  #connectRealm(realm: Realm): void {
    const relay = this.#backplane === undefined ? undefined : (name: string, publication: Publication) => this.#relay(name, publication);
    const interest = this.#backplane?.interest === undefined ? undefined : this.#interest;
    realm.events.connect({
      logger: this.logger,
      ...(this.#retainedStore === undefined ? {} : { retained: this.#retainedStore }),
      ...(relay === undefined ? {} : { relay }),
      ...(interest === undefined ? {} : { interest }),
      ...(this.#recorder === undefined ? {} : { metrics: this.#recorder }),
    });
  }

  /** Joins the realm's session meta API to the other nodes, when the backplane reaches them. */
  #connectCluster(realm: Realm): void {
    if (this.#remote === undefined || this.#backplane === undefined) return;
    realm.connectCluster(clusterMeta(realm.events.realm, this.nodeId, this.#backplane, this.#remote, this.logger));
  }

  /** Another node's meta question (`[realm, ...question]`), answered for this node's sessions of that realm. */
  #answerMeta(params: readonly unknown[]): unknown {
    const [name, ...question] = params;
    const realm = name === '' ? this.defaultRealm : typeof name === 'string' ? this.#realms.get(name) : undefined;
    // A realm this node does not have: it holds none of its sessions.
    if (realm === undefined) return answerMeta(undefined, question, () => ({}));
    return realm.answerMeta(question);
  }

  /**
   * What is read at each scrape: the octets of open connections, and what a
   * backplane that counts its losses (`stats.dropped`, as the Redis one does) lost.
   */
  #addCollectors(): void {
    const metrics = this.#recorder;
    const backplane = this.#backplane as { readonly stats?: { readonly dropped?: unknown } } | undefined;
    if (metrics === undefined) return;
    metrics.addCollector(() => {
      for (const connection of this.#connections) connection.addLiveBytes(metrics);
      metrics.setRefusals(this.#refusals.counts());
    });
    if (backplane === undefined) return;
    metrics.addCollector(() => {
      const dropped = backplane.stats?.dropped;
      if (typeof dropped === 'number') metrics.setBackplaneDropped(dropped);
    });
  }

  #startBackplane(): void {
    const backplane = this.#backplane;
    if (backplane === undefined) return;
    const onError = (error: unknown): void => this.logger.error({ err: error }, 'backplane failed');
    const node: BackplaneNode = {
      nodeId: this.nodeId,
      logger: this.logger,
      deliver: (p: RelayedPublication) => this.#receive(p),
      onError,
      interests: () => this.#interests(),
      receive: (from: string, message: string) => this.#remote?.receive(from, message),
    };
    try {
      Promise.resolve(backplane.start(node)).catch(onError);
    } catch (error) {
      // Misuse (a driver given to two applications…) fails `new Application`; anything else is logged.
      if (error instanceof ServerwampError) throw error;
      onError(error);
    }
  }

  /** Keeps the backplane's session registry up to date; its failure never fails a session. */
  #registry(change: 'sessionOpened' | 'sessionClosed', id: number): void {
    try {
      this.#backplane?.[change]?.(id);
    } catch (error) {
      this.logger.error({ err: error }, 'backplane session registry failed');
    }
  }

  /** Tells the backplane of a change in what this node's sessions subscribe to; its failure never fails a SUBSCRIBE. */
  readonly #interest = (realm: string, topic: string, match: MatchPolicy, present: boolean): void => {
    try {
      this.#backplane?.interest?.({ realm, topic, match }, present);
    } catch (error) {
      this.logger.error({ err: error, topic }, 'backplane interest failed');
    }
  };

  *#interests(): Generator<TopicInterest> {
    for (const realm of this.#allRealms()) {
      for (const subscription of realm.events.subscriptions.all()) {
        yield { realm: realm.events.realm, topic: subscription.topic, match: subscription.match };
      }
    }
  }

  /** Hands a publication made here to the backplane; `realm` undefined means every realm. */
  #relay(realm: string | undefined, publication: Publication): void {
    const backplane = this.#backplane;
    if (backplane === undefined) return;
    const relayed: RelayedPublication = { ...publication, origin: this.nodeId, ...(realm === undefined ? {} : { realm }) };
    const failed = (error: unknown): void => this.logger.error({ err: error, topic: publication.topic }, 'backplane publish failed');
    try {
      Promise.resolve(backplane.publish(relayed)).catch(failed);
    } catch (error) {
      failed(error);
    }
  }

  /** A publication from another node: delivered to this node's subscribers only. */
  #receive(publication: RelayedPublication): void {
    if (publication.origin === this.nodeId) return;
    if (publication.realm === undefined) {
      for (const realm of this.#allRealms()) realm.events.receive(publication);
      return;
    }
    const realm = publication.realm === '' ? this.defaultRealm : this.#realms.get(publication.realm);
    realm?.events.receive(publication);
  }
}
