/**
 * The opening of a session: HELLO → (CHALLENGE ↔ AUTHENTICATE)* → the open
 * parts of the realm's session state handlers → WELCOME, or ABORT at any
 * step. Authentication itself lives in `auth/`; this file drives it through
 * the {@link AuthContext} port and builds the session once it is decided.
 * @module
 */
import { runAuthentication } from '../auth/authenticator.js';
import { anonymousIdentity } from '../auth/identity.js';
import { PendingSession, type AuthContext } from '../auth/pending-session.js';
import { WampError } from '../errors.js';
import { closeAll, type OpenedLifecycle } from '../events/lifecycle.js';
import { openSessionState, stateHandlersFor } from '../events/session-state.js';
import { routerRoles } from '../features.js';
import type { Logger } from '../logger.js';
import type { ClientHello, Session, SessionIdentity } from '../model/session.js';
import { build, type WampMessage } from '../protocol/build.js';
import type { HelloMessage } from '../protocol/messages.js';
import { isValidURI, quoteURI } from '../protocol/uri.js';
import { WampURI } from '../protocol/uris.js';
import type { Realm } from '../realm.js';
import type { EngineOptions } from './options.js';
import { ServerSession, type SessionConnection } from './session.js';
import { TOO_MANY_SESSIONS, type SessionAdmission } from './session-slots.js';

/** What the handshake needs from the application. */
export interface HandshakeHost {
  readonly engineOptions: EngineOptions;
  /** The application's logger (not bound to a connection). */
  readonly logger: Logger;
  resolveRealm(name: string): Realm | undefined;
  /** Reserves a unique random session id. */
  newSessionId(): number;
  sessionOpened(session: ServerSession): void;
  /** Set once the application is shutting down: HELLO is then answered with ABORT. */
  readonly shutdown?: ShutdownNotice | undefined;
  /** Optional: whether a session may open in `realm` now (the application's session limits). */
  admitSession?(realm: Realm): SessionAdmission;
}

/** Why sessions end when the application shuts down (`app.close()`). */
export interface ShutdownNotice {
  /** The GOODBYE and ABORT reason URI (default `wamp.close.system_shutdown`). */
  readonly reason: string;
  readonly message: string | undefined;
}

/** What the handshake needs from its connection (`Connection` implements it). */
export interface HandshakeConnection extends SessionConnection {
  readonly host: HandshakeHost;
  readonly logger: Logger;
  /** The current session, if one has been made. */
  readonly session: Session | undefined;
  send(message: WampMessage): void;
  /** HELLO was accepted; `pending` is the authentication in progress, if any. */
  establishing(pending: PendingSession | undefined): void;
  /** Whether `pending` is still the authentication in progress (the transport may have closed). */
  isPending(pending: PendingSession): boolean;
  /** The session is made; WELCOME waits for its session state handlers. */
  begin(session: ServerSession): void;
  /** WELCOME was sent. `opened` are the session state handlers to close when the session ends. */
  established(session: ServerSession, opened: OpenedLifecycle[]): void;
  /** Sends ABORT, ends the session and closes the transport. */
  fail(reason: string, message?: string): void;
  /** The session holds a slot under the session limits, to give back with `release` when it ends. */
  admitted(release: () => void): void;
}

function clientHello(msg: HelloMessage): ClientHello {
  const agent = msg.details['agent'];
  return {
    agent: typeof agent === 'string' ? agent : undefined,
    roles: msg.details['roles'] as Record<string, unknown>,
    details: msg.details,
  };
}

/** Handles HELLO on a connection waiting for one. */
export function hello(connection: HandshakeConnection, msg: HelloMessage): void {
  const { realm: realmName } = msg;
  const shutdown = connection.host.shutdown;
  if (shutdown !== undefined) {
    return connection.fail(shutdown.reason, shutdown.message ?? 'the server is shutting down');
  }
  if (!isValidURI(realmName, 'loose')) {
    return connection.fail(WampURI.INVALID_URI, `the realm ${quoteURI(realmName)} is not a valid URI`);
  }
  const host = connection.host;
  const realm = host.resolveRealm(realmName);
  if (realm === undefined) {
    return connection.fail(WampURI.NO_SUCH_REALM, `the realm ${quoteURI(realmName)} does not exist`);
  }
  const admission = host.admitSession?.(realm);
  if (admission?.refused !== undefined) return connection.fail(TOO_MANY_SESSIONS, admission.refused);
  if (admission !== undefined) connection.admitted(admission.release);
  const id = host.newSessionId();
  const helloInfo = clientHello(msg);
  if (!realm.authentication.required) {
    connection.establishing(undefined);
    return welcome(connection, realm, realmName, id, helloInfo, anonymousIdentity());
  }
  const logger = connection.logger;
  // The port authentication decides through; it acts only while this authentication is the one in progress.
  const context: AuthContext = {
    send: (message) => connection.send(message),
    welcome: (identity) => {
      if (!connection.isPending(pending)) return;
      connection.establishing(undefined);
      welcome(connection, realm, realmName, id, helloInfo, identity);
    },
    abort: (reason, message) => {
      if (!connection.isPending(pending)) return;
      connection.establishing(undefined);
      host.engineOptions.metrics?.authFailed(pending.challengeMethod, reason);
      logger.debug({ reason, session: id }, 'session refused');
      connection.fail(reason, message);
    },
  };
  const pending = new PendingSession(
    {
      id,
      realm,
      realmName,
      connection,
      hello: helloInfo,
      logger: logger.child({ session: id }),
      timeout: host.engineOptions.authenticationTimeout,
    },
    context,
  );
  connection.establishing(pending);
  runAuthentication(pending, realm.authentication);
}

function welcome(
  connection: HandshakeConnection,
  realm: Realm,
  realmName: string,
  id: number,
  hello: ClientHello,
  identity: SessionIdentity,
): void {
  const options = connection.host.engineOptions;
  const session = new ServerSession({
    id,
    realmName,
    realm,
    connection,
    identity,
    hello,
    options,
  });
  connection.begin(session);
  const stateHandlers = stateHandlersFor(session, realm.sessionStateHandlers);
  if (stateHandlers.length === 0) return sendWelcome(connection, session, identity, []);
  // The open parts run before WELCOME: until then a client may send nothing but ABORT, so no message waits on them.
  openSessionState(session, stateHandlers).then(
    (opened) => {
      if (connection.session !== session) return void closeAll(opened);
      sendWelcome(connection, session, identity, opened);
    },
    (error: unknown) => {
      if (connection.session !== session) return;
      if (error instanceof WampError) {
        const first = error.args?.[0];
        return connection.fail(error.uri, typeof first === 'string' ? first : undefined);
      }
      session.logger.error({ err: error }, 'session state handler failed');
      connection.fail(WampURI.RUNTIME_ERROR, 'the session could not be opened');
    },
  );
}

function sendWelcome(connection: HandshakeConnection, session: ServerSession, identity: SessionIdentity, opened: OpenedLifecycle[]): void {
  const options = connection.host.engineOptions;
  connection.established(session, opened);
  const details: Record<string, unknown> = {
    realm: session.realmName,
    authid: identity.authid,
    authrole: identity.authrole,
    authmethod: identity.authmethod,
    authprovider: identity.authprovider,
    agent: options.agent,
    roles: routerRoles({
      sessionMetaAPI: session.realm.sessionMetaAPI,
      patternBasedRegistration: options.clientRegistrations,
    }),
  };
  if (identity.authextra !== undefined) details['authextra'] = identity.authextra;
  connection.send(build.welcome(session.id, details));
  connection.host.sessionOpened(session);
  // Through the application's logger, with the fields spelt out: asking the session for its own
  // logger would make a child logger that every idle session then keeps.
  connection.host.logger.debug(
    { peer: connection.transportInfo.peerAddress, session: session.id, realm: session.realmName, authid: identity.authid },
    'session established',
  );
}
