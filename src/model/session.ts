/**
 * {@link Session}: one established WAMP session, as procedures and handlers
 * see it, with its realm ({@link RealmRef}) and what a server-side
 * publication to that realm takes. Interfaces, so that every handler type
 * can name them without depending on the engine that implements them
 * (`engine/session.ts`, `realm.ts`). One file: a session names its realm,
 * whose `publish` names sessions.
 * @module
 */
import type { Logger } from '../logger.js';
import type { Dict } from '../protocol/messages.js';
import type { Serializer } from '../serializers/serializer.js';
import type { TransportInfo } from '../transport-info.js';
import type { CallResult, EventPayload, SessionCallOptions } from './payloads.js';

/**
 * The authenticated identity of a session, as reported in WELCOME. A
 * {@link Session} carries the same fields.
 *
 * @example
 * ```ts
 * import type { SessionIdentity } from 'serverwamp';
 *
 * function describeIdentity({ authid, authrole, authmethod, authprovider }: SessionIdentity): string {
 *   return `${authid} (${authrole}, ${authmethod} via ${authprovider})`;
 * }
 * session.logger.info(describeIdentity(session)); // e.g. "ada (editor, ticket via dynamic)"
 * ```
 */
export interface SessionIdentity {
  /** Who the session authenticated as (random for anonymous sessions). */
  readonly authid: string;
  /** The session's role (`anonymous` without authentication). */
  readonly authrole: string;
  /** How it authenticated: `anonymous`, `ticket`, `wampcra`, `cryptosign`, or what a transport authenticator named. */
  readonly authmethod: string;
  /** Who authenticated it (default `dynamic`). */
  readonly authprovider: string;
  /** Extra details sent to the client in WELCOME. */
  readonly authextra?: Dict | undefined;
  /** Whatever the authenticator returned; `undefined` for anonymous sessions. */
  readonly identity?: unknown;
}

/**
 * What a session's client announced in HELLO: `session.hello`.
 *
 * @example
 * ```ts
 * import type { ClientHello } from 'serverwamp';
 *
 * routes.route('debug.client', (request) => {
 *   const { agent, roles }: ClientHello = request.session.hello;
 *   return { agent: agent ?? 'unknown', registers: 'callee' in roles };
 * });
 * ```
 */
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
 *     account?: { name: string; teams: string[] };
 *   }
 * }
 * // then, anywhere a session is at hand:
 * request.session.data.account = { name: 'Ada', teams: ['ops'] };
 * ```
 */
export interface SessionData {
  [key: string]: unknown;
}

/**
 * The connection carrying a session, as the application may read it
 * (`session.connection`, deprecated: read `session.transportInfo` instead).
 *
 * @example
 * ```ts
 * import type { ConnectionInfo } from 'serverwamp';
 *
 * function isBacklogged(connection: ConnectionInfo): boolean {
 *   return !connection.closed && connection.bufferedAmount > 1_000_000; // bytes the client has not taken yet
 * }
 * if (isBacklogged(session.connection)) session.logger.warn('client is not keeping up');
 * ```
 */
export interface ConnectionInfo {
  /** Transport details: peer address, HTTP headers and cookies, TLS certificate… */
  readonly transportInfo: TransportInfo;
  /** The serializer negotiated for this connection. */
  readonly serializer: Serializer;
  /** Bytes sent to this connection that the peer has not yet taken. */
  readonly bufferedAmount: number;
  /** Whether the transport has closed. */
  readonly closed: boolean;
  /** Closes the transport, ending any session without a GOODBYE (clients will try to reconnect). */
  close(code?: number, reason?: string): void;
}

/**
 * One WAMP session. Available to procedures as `request.session`, to topic
 * handlers, session state handlers and authorizers as `session`. Sessions
 * are made by the engine: this is what applications see of them.
 *
 * @example
 * ```ts
 * routes.route('whoami', (request) => ({
 *   session: request.session.id,
 *   authid: request.session.authid,
 *   peer: request.session.transportInfo.peerAddress,
 * }));
 * ```
 */
export interface Session {
  /** The random session id sent in WELCOME. */
  readonly id: number;
  /** The realm URI the client joined. */
  readonly realmName: string;
  /** The realm serving this session: its name, context, and server-side publishing. */
  readonly realm: RealmRef;
  /**
   * The connection (transport) carrying this session.
   * @deprecated Read `transportInfo` on the session itself; the connection is the engine's.
   */
  readonly connection: ConnectionInfo;
  /** Transport details: peer address, HTTP headers and cookies, TLS certificate… */
  readonly transportInfo: TransportInfo;
  /** Who the session authenticated as (random for anonymous sessions). */
  readonly authid: string;
  /** The session's role (`anonymous` without authentication). */
  readonly authrole: string;
  /** How it authenticated: `anonymous`, `ticket`, `wampcra`, `cryptosign`, or what a transport authenticator named. */
  readonly authmethod: string;
  /** Who authenticated it (default `dynamic`). */
  readonly authprovider: string;
  /** Extra details sent to the client in WELCOME, if any. */
  readonly authextra: Dict | undefined;
  /** What the authenticator returned; `undefined` for anonymous sessions. */
  readonly identity: unknown;
  /** What the client announced in HELLO. */
  readonly hello: ClientHello;
  /** A logger bound to this session's id. */
  readonly logger: Logger;
  /** Application data for this session (see {@link SessionData}); starts empty. */
  readonly data: SessionData;
  /** Whether the session has ended (GOODBYE, ABORT, or the transport closed). */
  readonly closed: boolean;
  /** Events not sent to this session because it was not reading fast enough (see the slow-consumer options). */
  readonly droppedEvents: number;
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
  sendEvent(topic: string, payload?: EventPayload): boolean;
  /**
   * Calls a procedure this session's client registered (the server is the
   * caller; see docs/procedures.md, "Calling clients") and resolves with its
   * result. Rejects with a `WampError`: the client's ERROR (its URI,
   * `args` and `kwargs`); `wamp.error.no_such_procedure` if the client
   * registered nothing matching `procedure`; `wamp.error.timeout` or
   * `wamp.error.canceled` when `timeout` expires or `signal` aborts;
   * `wamp.error.canceled` when the session ends first;
   * `serverwamp.error.too_many_invocations` past `maxPendingInvocations`.
   * An invalid URI or option rejects with a `ServerwampError`.
   *
   * @example
   * ```ts
   * // The browser registered 'ui.confirm'; ask its user, and give up after 30 s.
   * const { args } = await session.call('ui.confirm', { args: ['Delete 3 files?'], timeout: 30_000 });
   * if (args[0] === true) await files.delete(ids);
   * ```
   */
  call(procedure: string, options?: SessionCallOptions): Promise<CallResult>;
  /** Whether a {@link call} for `procedure` would reach a procedure the client registered (its URI or a pattern matching it). */
  hasRegistration(procedure: string): boolean;
  /** Whether the client announced `feature` for `role` in HELLO. */
  clientSupports(role: string, feature: string): boolean;
  /**
   * Ends the session politely with GOODBYE. In-flight calls are aborted and
   * nothing more is sent for this session.
   * @throws {ServerwampError} `ERR_INVALID_URI` if `reason` is not a valid URI.
   */
  close(reason?: string, message?: string): void;
  /**
   * Ends the session with ABORT and closes the transport.
   * @throws {ServerwampError} `ERR_INVALID_URI` if `reason` is not a valid URI.
   */
  abort(reason: string, message?: string): void;
}

/**
 * The realm a session joined (`session.realm`). `Realm` implements it.
 *
 * @example
 * ```ts
 * import type { RealmRef } from 'serverwamp';
 *
 * routes.route('room.announce', { params: ['text'] }, ({ text }, request) => {
 *   const realm: RealmRef = request.session.realm;
 *   return realm.publish('room.announcements', { args: [text] }); // to the caller's realm only
 * });
 * ```
 */
export interface RealmRef {
  /** The realm URI clients name in HELLO; `undefined` for the default realm. */
  readonly name: string | undefined;
  /** The values procedures of this realm receive as `request.context`. */
  readonly context: unknown;
  /** Publishes an event to every session of this realm subscribed to a matching topic. Returns the publication id. */
  publish(topic: string, options?: PublishOptions): number;
  /** Forgets the retained event of `topic`, if there is one; returns whether there was. */
  clearRetained(topic: string): boolean | Promise<boolean>;
}

/**
 * Server-side recipient options of `app.publish` and `realm.publish`, part
 * of {@link PublishOptions}.
 *
 * @example
 * ```ts
 * import type { RecipientOptions } from 'serverwamp';
 *
 * const othersOnly: RecipientOptions = { exclude: [request.session] };
 * app.publish('docs.changes', { ...othersOnly, args: [docId] });
 * app.publish('ops.alerts', { filter: (s) => s.authrole === 'admin', kwargs: { level: 'high' } });
 * ```
 */
export interface RecipientOptions {
  /** Only these sessions (or session ids) receive the event. */
  readonly eligible?: Iterable<Session | number>;
  /** These sessions (or session ids) do not receive the event. */
  readonly exclude?: Iterable<Session | number>;
  /**
   * Receives each subscribed session; return false to skip it. A function
   * cannot reach other nodes: with a backplane (or a cluster-wide retained
   * store, for a retained event) it throws `ERR_INVALID_OPTION`.
   */
  readonly filter?: (session: Session) => boolean;
}

/**
 * The payload and audience of a server-side publication.
 *
 * @example
 * ```ts
 * app.publish('docs.changes', { args: [docId], kwargs: { change: 'deleted' }, exclude: [request.session] });
 * ```
 */
export interface PublishOptions extends EventPayload, RecipientOptions {
  /**
   * Keep this event as the topic's retained event: later subscribers that ask
   * for it (`get_retained`) receive it at once, with `details.retained`.
   */
  retain?: boolean;
}
