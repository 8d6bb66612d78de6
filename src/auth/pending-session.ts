/**
 * {@link PendingSession}: a session between HELLO and WELCOME, as
 * authenticators and custom authentication handlers see it. It owns the
 * CHALLENGE ↔ AUTHENTICATE exchange: at most one CHALLENGE is outstanding,
 * each is answered at most once, and the whole exchange has a deadline.
 * @module
 */
import { ServerwampError } from '../errors.js';
import type { Logger } from '../logger.js';
import { build, type WampMessage } from '../protocol/build.js';
import type { AuthenticateMessage, Dict } from '../protocol/messages.js';
import { isDict, ProtocolViolation } from '../protocol/parse.js';
import { WampURI } from '../protocol/uris.js';
import type { RealmRef, ClientHello, ConnectionInfo, SessionIdentity } from '../model/session.js';
import type { TransportInfo } from '../transport-info.js';
import { randomAuthid, toSessionIdentity, type IdentityFields } from './identity.js';

/**
 * The client's answer to a CHALLENGE.
 *
 * @example
 * ```ts
 * import type { AuthenticateReply } from 'serverwamp';
 *
 * realm.setAuthenticationHandler(async (session) => {
 *   const reply: AuthenticateReply = await session.challenge('ticket');
 *   // reply.signature: the client's ticket; reply.extra: AUTHENTICATE.Extra, e.g. { device: 'tablet' }
 *   const user = await users.byToken(reply.signature);
 *   if (user) session.markAuthenticated({ authid: user.name, authrole: user.role, device: reply.extra['device'] });
 *   else session.abort('wamp.error.authentication_failed', 'unknown token');
 * });
 * ```
 */
export interface AuthenticateReply {
  /** `AUTHENTICATE.Signature`: the ticket, signature or other proof. */
  readonly signature: string;
  /** `AUTHENTICATE.Extra`. */
  readonly extra: Readonly<Dict>;
}

/** The one message every failed authentication gets, so that it tells nothing about what was wrong. */
export const AUTHENTICATION_FAILED_MESSAGE = 'authentication failed';

/**
 * @internal The port a pending session decides through, implemented by the
 * engine's handshake: authentication knows nothing of connections or realms.
 */
export interface AuthContext {
  send(message: WampMessage): void;
  welcome(identity: SessionIdentity): void;
  abort(reason: string, message: string): void;
}

/** @internal */
export interface PendingSessionInit {
  id: number;
  realm: RealmRef;
  realmName: string;
  connection: ConnectionInfo;
  hello: ClientHello;
  logger: Logger;
  /** Milliseconds until an unfinished authentication is aborted; 0 for none. */
  timeout: number;
}

interface OutstandingChallenge {
  resolve(reply: AuthenticateReply): void;
  reject(error: Error): void;
}

function helloAuthmethods(details: Readonly<Dict>): readonly string[] {
  const methods = details['authmethods'];
  if (!Array.isArray(methods)) return [];
  return methods.filter((method): method is string => typeof method === 'string');
}

/**
 * A session that has said HELLO and is being authenticated. Transport,
 * ticket, CRA and cryptosign authenticators receive it, and so does a custom
 * authentication handler, which decides with {@link challenge},
 * {@link markAuthenticated} and {@link abort}.
 *
 * @example
 * ```ts
 * realm.setAuthenticationHandler(async (session) => {
 *   const { signature } = await session.challenge('ticket');
 *   const user = await users.byToken(signature);
 *   if (user) session.markAuthenticated({ authid: user.name, authrole: user.role, user });
 *   else session.abort('wamp.error.authentication_failed', 'unknown token');
 * });
 * ```
 */
export class PendingSession {
  /** The session id WELCOME will carry (WAMP-CRA challenges include it). */
  readonly id: number;
  /** The realm authenticating this session. */
  readonly realm: RealmRef;
  /** The realm URI the client asked for. */
  readonly realmName: string;
  /** The connection carrying this session. */
  readonly connection: ConnectionInfo;
  /** The authid the client claimed in HELLO (not proven by itself). */
  readonly authid: string | undefined;
  /** The authentication methods the client offered in HELLO, in its order of preference. */
  readonly authmethods: readonly string[];
  /** `HELLO.Details.authextra` (e.g. the cryptosign `pubkey`); empty when not sent. */
  readonly authextra: Readonly<Dict>;
  /** What the client announced in HELLO. */
  readonly hello: ClientHello;
  /** A logger bound to this session's id. */
  readonly logger: Logger;
  readonly #host: AuthContext;
  readonly #controller = new AbortController();
  #outstanding: OutstandingChallenge | undefined;
  #lastMethod: string | undefined;
  #settled = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** @internal Created by the connection when HELLO names a realm that requires authentication. */
  constructor(init: PendingSessionInit, host: AuthContext) {
    this.id = init.id;
    this.realm = init.realm;
    this.realmName = init.realmName;
    this.connection = init.connection;
    this.hello = init.hello;
    this.logger = init.logger;
    this.#host = host;
    const { details } = init.hello;
    this.authid = typeof details['authid'] === 'string' ? details['authid'] : undefined;
    this.authmethods = helloAuthmethods(details);
    this.authextra = isDict(details['authextra']) ? details['authextra'] : {};
    if (init.timeout > 0) {
      this.#timer = setTimeout(() => {
        this.logger.debug('authentication timed out');
        this.abort(WampURI.AUTHENTICATION_FAILED, 'authentication did not complete in time');
      }, init.timeout);
      this.#timer.unref?.();
    }
  }

  /** Transport details: peer address, HTTP headers and cookies, TLS certificate… */
  get transportInfo(): TransportInfo {
    return this.connection.transportInfo;
  }

  /** Aborted when the session is decided (WELCOME or ABORT), times out, or the transport closes. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** @internal The method of the last CHALLENGE sent, if any (a metrics label). */
  get challengeMethod(): string | undefined {
    return this.#lastMethod;
  }

  /** Whether the outcome is decided: WELCOME or ABORT sent, or the transport gone. */
  get settled(): boolean {
    return this.#settled;
  }

  /**
   * Sends `CHALLENGE` and resolves with the client's `AUTHENTICATE`. Rejects
   * if the session ends first. Only one challenge may be outstanding.
   */
  challenge(authmethod: string, extra: Dict = {}): Promise<AuthenticateReply> {
    if (this.#settled) {
      return Promise.reject(new ServerwampError('ERR_SESSION_CLOSED', 'the session is no longer being authenticated'));
    }
    if (this.#outstanding !== undefined) {
      return Promise.reject(new ServerwampError('ERR_CHALLENGE_PENDING', 'a CHALLENGE is already waiting for its AUTHENTICATE'));
    }
    const reply = new Promise<AuthenticateReply>((resolve, reject) => {
      this.#outstanding = { resolve, reject };
    });
    // A handler that gave up on the reply (say, aborted instead) must not
    // crash the process with an unhandled rejection when the session ends.
    reply.catch(() => undefined);
    this.#lastMethod = authmethod;
    this.#host.send(build.challenge(authmethod, extra));
    return reply;
  }

  /**
   * Establishes the session: sends WELCOME with the identity's
   * {@link IdentityFields} (over `defaults`), and makes `identity` the
   * session's `identity`. Does nothing once the session is settled.
   */
  markAuthenticated(identity?: unknown, defaults: IdentityFields = {}): void {
    if (this.#settled) return;
    this.welcome(
      toSessionIdentity(identity, {
        authid: this.authid ?? randomAuthid('user'),
        authrole: 'user',
        authmethod: this.#lastMethod ?? 'custom',
        authprovider: 'dynamic',
        ...defaults,
      }),
    );
  }

  /** Refuses the session with ABORT and closes the connection. Does nothing once the session is settled. */
  abort(reason: string = WampURI.AUTHENTICATION_FAILED, message: string = AUTHENTICATION_FAILED_MESSAGE): void {
    if (!this.#settle()) return;
    this.#host.abort(reason, message);
  }

  /** @internal Establishes the session with exactly this identity. */
  welcome(identity: SessionIdentity): void {
    if (!this.#settle()) return;
    this.#host.welcome(identity);
  }

  /**
   * @internal Hands over the client's AUTHENTICATE. One that answers no
   * outstanding CHALLENGE (unasked, or a second answer to the same one) is a
   * protocol violation.
   */
  receiveAuthenticate(msg: AuthenticateMessage): void {
    const outstanding = this.#outstanding;
    if (outstanding === undefined) throw new ProtocolViolation('AUTHENTICATE received without a pending CHALLENGE');
    this.#outstanding = undefined;
    outstanding.resolve({ signature: msg.signature, extra: msg.extra });
  }

  /** @internal The transport closed (or the connection failed) before a decision. */
  end(): void {
    this.#settle();
  }

  /** Marks the outcome decided; returns false if it already was. */
  #settle(): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    const outstanding = this.#outstanding;
    this.#outstanding = undefined;
    outstanding?.reject(new ServerwampError('ERR_SESSION_CLOSED', 'the session is no longer being authenticated'));
    this.#controller.abort();
    return true;
  }
}
