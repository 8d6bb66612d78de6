/**
 * {@link Session}: one established WAMP session, as procedures and handlers
 * see it.
 * @module
 */
import type { Connection } from './connection.js';
import type { Broker } from './events/broker.js';
import type { EventPayload } from './events/topic-handler.js';
import type { Logger } from './logger.js';
import type { WampMessage } from './protocol/build.js';
import { ServerwampError } from './errors.js';
import type { Dict } from './protocol/messages.js';
import { isValidURI } from './protocol/uri.js';
import type { Realm } from './realm.js';
import { unreachableCall, type CallResult, type Invocations, type SessionCallOptions } from './rpc/invocations.js';

/** The authenticated identity of a session, as reported in WELCOME. */
export interface SessionIdentity {
  readonly authid: string;
  readonly authrole: string;
  readonly authmethod: string;
  readonly authprovider: string;
  readonly authextra?: Dict;
  /** Whatever the authenticator returned; `undefined` for anonymous sessions. */
  readonly identity?: unknown;
}

/** What a session's client announced in HELLO. */
export interface ClientHello {
  /** `HELLO.Details.agent`, when sent (autobahn-js sends none). */
  readonly agent: string | undefined;
  /** `HELLO.Details.roles`: role name → `{ features }`. */
  readonly roles: Readonly<Dict>;
  /** The whole HELLO.Details dict. */
  readonly details: Readonly<Dict>;
}

/**
 * Per-session application data, shared by procedures, topic handlers and
 * session state handlers. Type your own fields by augmenting this interface.
 *
 * @example
 * ```ts
 * declare module 'serverwamp' {
 *   interface SessionData {
 *     user?: { name: string; teams: string[] };
 *   }
 * }
 * // then, anywhere a session is at hand:
 * request.session.data.user = await users.load(request.session.authid);
 * ```
 */
export interface SessionData {
  [key: string]: unknown;
}

/**
 * One WAMP session. Available to procedures as `request.session`.
 *
 * @example
 * ```ts
 * routes.route('whoami', (request) => ({
 *   session: request.session.id,
 *   authid: request.session.authid,
 *   peer: request.session.connection.transportInfo.peerAddress,
 * }));
 * ```
 */
/** A reason the application gives for ending a session goes on the wire: it must be a URI. */
function checkReason(reason: string): void {
  if (typeof reason !== 'string' || !isValidURI(reason, 'loose')) {
    throw new ServerwampError('ERR_INVALID_URI', 'the reason for ending a session must be a valid URI');
  }
}

export class Session {
  /** The random session id sent in WELCOME. */
  readonly id: number;
  /** The realm URI the client joined. */
  readonly realmName: string;
  /** The realm object serving this session. */
  readonly realm: Realm;
  /** The connection (transport) carrying this session. */
  readonly connection: Connection;
  readonly authid: string;
  readonly authrole: string;
  readonly authmethod: string;
  readonly authprovider: string;
  readonly authextra: Dict | undefined;
  /** What the authenticator returned; `undefined` for anonymous sessions. */
  readonly identity: unknown;
  /** What the client announced in HELLO. */
  readonly hello: ClientHello;
  /** A logger bound to this session's id. */
  readonly logger: Logger;
  /** Application data for this session (see {@link SessionData}); starts empty. */
  readonly data: SessionData = {};
  #closed = false;
  #broker: Broker | undefined;
  /** Set with the session's first REGISTER (see Connection). */
  #callee: Invocations | undefined;

  /** @internal */
  constructor(init: {
    id: number;
    realmName: string;
    realm: Realm;
    connection: Connection;
    identity: SessionIdentity;
    hello: ClientHello;
    logger: Logger;
  }) {
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
    this.logger = init.logger;
  }

  /** Whether the session has ended (GOODBYE, ABORT, or the transport closed). */
  get closed(): boolean {
    return this.#closed;
  }

  /** Events not sent to this session because it was not reading fast enough (see the slow-consumer options). */
  get droppedEvents(): number {
    return this.#broker?.droppedEvents ?? 0;
  }

  /**
   * Sends an event to this session if it subscribed to a topic or pattern
   * matching `topic` (once per matching subscription). Returns whether an
   * EVENT was queued: false if the session has no such subscription, has
   * ended, or is past its slow-consumer bound. Throws `ERR_INVALID_URI` for
   * an invalid topic, and the serializer's error if the payload cannot be encoded.
   *
   * @example
   * ```ts
   * session.sendEvent('job.events', { kwargs: { jobStatus: 'STARTED' } });
   * ```
   */
  sendEvent(topic: string, payload: EventPayload = {}): boolean {
    return this.#broker?.sendEvent(topic, payload) ?? false;
  }

  /**
   * Calls a procedure this session's client registered (the server is the
   * caller; see "Calling clients" in the README) and resolves with its
   * result. Rejects with a {@link WampError}: the client's ERROR (its URI,
   * `args` and `kwargs`); `wamp.error.no_such_procedure` if the client
   * registered nothing matching `procedure`; `wamp.error.timeout` or
   * `wamp.error.canceled` when `timeout` expires or `signal` aborts;
   * `wamp.error.canceled` when the session ends first;
   * `serverwamp.error.too_many_invocations` past `maxPendingInvocations`.
   * An invalid URI or option rejects with a {@link ServerwampError}.
   *
   * @example
   * ```ts
   * // The browser registered 'ui.confirm'; ask its user, and give up after 30 s.
   * const { args } = await session.call('ui.confirm', { args: ['Delete 3 files?'], timeout: 30_000 });
   * if (args[0] === true) await files.delete(ids);
   * ```
   */
  call(procedure: string, options: SessionCallOptions = {}): Promise<CallResult> {
    return this.#callee?.call(procedure, options) ?? unreachableCall(this, procedure);
  }

  /** Whether a {@link call} for `procedure` would reach a procedure the client registered (its URI or a pattern matching it). */
  hasRegistration(procedure: string): boolean {
    return !this.#closed && this.#callee?.registrations.resolve(procedure) !== undefined;
  }

  /** Whether the client announced `feature` for `role` in HELLO. */
  clientSupports(role: string, feature: string): boolean {
    const roleDetails = this.hello.roles[role];
    if (typeof roleDetails !== 'object' || roleDetails === null) return false;
    const features = (roleDetails as Dict)['features'];
    return typeof features === 'object' && features !== null && (features as Dict)[feature] === true;
  }

  /**
   * Ends the session politely with GOODBYE. In-flight calls are aborted and
   * nothing more is sent for this session.
   * @throws {ServerwampError} `ERR_INVALID_URI` if `reason` is not a valid URI.
   */
  close(reason = 'wamp.close.close_realm', message?: string): void {
    checkReason(reason);
    this.connection.closeSession(this, reason, message);
  }

  /**
   * Ends the session with ABORT and closes the transport.
   * @throws {ServerwampError} `ERR_INVALID_URI` if `reason` is not a valid URI.
   */
  abort(reason: string, message?: string): void {
    checkReason(reason);
    this.connection.abortSession(this, reason, message);
  }

  /** @internal Sends a message on this session unless it has ended. Returns whether it was sent. */
  send(message: WampMessage): boolean {
    if (this.#closed) return false;
    this.connection.send(message);
    return true;
  }

  /** @internal Set once, by the connection, when the session is created. */
  attachBroker(broker: Broker): void {
    this.#broker = broker;
  }

  /** @internal Set once, by the connection, with the session's first REGISTER. */
  attachCallee(invocations: Invocations): void {
    this.#callee = invocations;
  }

  /** @internal */
  markClosed(): void {
    this.#closed = true;
  }
}
