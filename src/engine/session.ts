/**
 * {@link ServerSession}: the engine's implementation of the `Session` that
 * handlers see. Its collaborators come in through the constructor: the realm
 * (whose dealer and broker serve it) and the connection (whose outbox
 * carries what it sends). Its calls and subscriptions are made with it; its
 * client's registrations with its first REGISTER.
 * @module
 */
import { ServerwampError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { CallResult, EventPayload, SessionCallOptions } from '../model/payloads.js';
import type { SessionLink, UTF8Frame } from '../model/ports.js';
import type { ClientHello, SessionData, SessionIdentity, ConnectionInfo, Session } from '../model/session.js';
import type { WampMessage } from '../protocol/build.js';
import type { Dict } from '../protocol/messages.js';
import { isValidURI } from '../protocol/uri.js';
import type { Realm } from '../realm.js';
import { CalleeRegistry } from '../rpc/callee-registry.js';
import { Invocations, unreachableCall } from '../rpc/invocations.js';
import { SessionCalls } from '../rpc/session-calls.js';
import { SessionSubscriptions } from '../events/session-subscriptions.js';
import type { TransportInfo } from '../transport-info.js';
import type { SessionTables } from '../model/tables.js';
import type { EngineOptions } from './options.js';

/** A reason the application gives for ending a session goes on the wire: it must be a URI. */
function checkReason(reason: string): void {
  if (typeof reason !== 'string' || !isValidURI(reason, 'loose')) {
    throw new ServerwampError('ERR_INVALID_URI', 'the reason for ending a session must be a valid URI');
  }
}

/** What a session needs from the connection carrying it (`Connection` implements it). */
export interface SessionConnection extends ConnectionInfo {
  /** The connection's logger; a session's binds its id to it. */
  readonly logger: Logger;
  /** Events not sent on the current session because the peer was not reading fast enough. */
  readonly droppedEvents: number;
  /** Encodes and sends one message. Throws if it cannot be serialized. */
  send(message: WampMessage): void;
  /** Queues an encoded EVENT for `session`, within the slow-consumer bounds; returns whether it was queued. */
  queueEvent(session: Session, frame: string | Uint8Array, topic: string, publicationId: number, utf8?: UTF8Frame): boolean;
  /** Ends `session` with GOODBYE. */
  closeSession(session: Session, reason: string, message: string | undefined): void;
  /** Ends `session` with ABORT and closes the transport. */
  abortSession(session: Session, reason: string, message: string | undefined): void;
}

/** What the engine gives a new session. */
export interface ServerSessionInit {
  readonly id: number;
  readonly realmName: string;
  readonly realm: Realm;
  readonly connection: SessionConnection;
  readonly identity: SessionIdentity;
  readonly hello: ClientHello;
  readonly options: EngineOptions;
}

/** One established WAMP session. */
export class ServerSession implements SessionLink {
  readonly id: number;
  readonly realmName: string;
  readonly realm: Realm;
  readonly connection: SessionConnection;
  readonly authid: string;
  readonly authrole: string;
  readonly authmethod: string;
  readonly authprovider: string;
  readonly authextra: Dict | undefined;
  readonly identity: unknown;
  readonly hello: ClientHello;
  readonly data: SessionData = {};
  /** Its CALLs and CANCELs. */
  readonly calls: SessionCalls;
  /** Its SUBSCRIBEs, UNSUBSCRIBEs and PUBLISHes. */
  readonly subscriptions: SessionSubscriptions;
  #closed = false;
  #logger: Logger | undefined;
  /** The client's registrations and the server's calls to them; made with its first REGISTER. */
  #callee: Invocations | undefined;

  constructor(init: ServerSessionInit) {
    this.id = init.id;
    this.realmName = init.realmName;
    this.realm = init.realm;
    this.connection = init.connection;
    this.authid = init.identity.authid;
    this.authrole = init.identity.authrole;
    this.authmethod = init.identity.authmethod;
    this.authprovider = init.identity.authprovider;
    this.authextra = init.identity.authextra;
    this.identity = init.identity.identity;
    this.hello = init.hello;
    this.calls = new SessionCalls(this, init.realm.dealer, init.options);
    this.subscriptions = new SessionSubscriptions(this, init.realm.events, init.options);
  }

  /** The connection's logger with the session id bound, made when first used (most sessions never log). */
  get logger(): Logger {
    return (this.#logger ??= this.connection.logger.child({ session: this.id }));
  }

  get transportInfo(): TransportInfo {
    return this.connection.transportInfo;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get droppedEvents(): number {
    return this.connection.droppedEvents;
  }

  sendEvent(topic: string, payload: EventPayload = {}): boolean {
    return this.subscriptions.sendEvent(topic, payload);
  }

  call(procedure: string, options: SessionCallOptions = {}): Promise<CallResult> {
    return this.#callee?.call(procedure, options) ?? unreachableCall(this, procedure);
  }

  hasRegistration(procedure: string): boolean {
    return !this.#closed && this.#callee?.registrations.resolve(procedure) !== undefined;
  }

  clientSupports(role: string, feature: string): boolean {
    const roleDetails = this.hello.roles[role];
    if (typeof roleDetails !== 'object' || roleDetails === null) return false;
    const features = (roleDetails as Dict)['features'];
    return typeof features === 'object' && features !== null && (features as Dict)[feature] === true;
  }

  close(reason = 'wamp.close.close_realm', message?: string): void {
    checkReason(reason);
    this.connection.closeSession(this, reason, message);
  }

  abort(reason: string, message?: string): void {
    checkReason(reason);
    this.connection.abortSession(this, reason, message);
  }

  send(message: WampMessage): boolean {
    if (this.#closed) return false;
    this.connection.send(message);
    return true;
  }

  queueEvent(frame: string | Uint8Array, topic: string, publicationId: number, utf8?: UTF8Frame): boolean {
    return this.connection.queueEvent(this, frame, topic, publicationId, utf8);
  }

  /** @internal What this session holds, counted (see `inspectApplication`). */
  tables(): SessionTables {
    return {
      callsInFlight: this.calls.activeCalls,
      serverCalls: this.#callee?.pendingCount ?? 0,
      registrations: this.#callee?.registrations.size ?? 0,
      subscriptions: this.subscriptions.size,
    };
  }

  /**
   * The client's registrations; sessions that never register cost nothing
   * here. The options come from the caller so that a session holds no field
   * for them.
   */
  callee(options: EngineOptions): Invocations {
    if (this.#callee === undefined) {
      this.#callee = new Invocations(this, new CalleeRegistry(this, options), options);
    }
    return this.#callee;
  }

  /**
   * The session ended: calls are aborted, registrations and subscriptions
   * leave the realm, and nothing more is sent. Resolves when the close parts
   * of the subscriptions' handlers have run.
   */
  end(reason: string): Promise<void> {
    this.#closed = true;
    this.calls.abortAll(reason);
    // Registrations go with the session; calls to it are rejected.
    this.#callee?.registrations.end();
    this.#callee?.end();
    this.#callee = undefined;
    return this.subscriptions.endAll();
  }
}
