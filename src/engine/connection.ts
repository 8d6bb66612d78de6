/**
 * {@link Connection}: the session engine for one transport connection. It
 * has no I/O of its own: an adapter hands it frames (`receive`) and tells it
 * when the transport closed (`transportClosed`); it answers through the
 * {@link Transport} it was given. It runs the WAMP session state machine:
 * HELLO → (CHALLENGE ↔ AUTHENTICATE)* → WELCOME/ABORT, the established
 * session, GOODBYE both ways, and protocol violations. Authentication itself
 * lives in `auth/`. Everything for one session is written to its transport
 * synchronously, in the order it was produced: the transport's buffer is the
 * session's one outbound FIFO, bounded by `bufferLimit`.
 * @module
 */
import { runAuthentication } from './auth/authenticator.js';
import { anonymousIdentity } from './auth/identity.js';
import { PendingSession } from './auth/pending-session.js';
import { WampError } from './errors.js';
import { Broker } from './events/broker.js';
import type { BrokerOptions } from './events/event-options.js';
import { closeAll, type OpenedLifecycle } from './events/lifecycle.js';
import { openSessionState, stateHandlersFor } from './events/session-state.js';
import { routerRoles } from './features.js';
import type { Logger } from './logger.js';
import { build, type WampMessage } from './protocol/build.js';
import { MessageType, messageTypeName } from './protocol/message-type.js';
import type { ClientMessage, HelloMessage } from './protocol/messages.js';
import { parseClientMessage, ProtocolViolation } from './protocol/parse.js';
import { isValidURI, quoteURI, type URIValidation } from './protocol/uri.js';
import { outboundErrorURI } from './protocol/uri-outbound.js';
import { WampURI } from './protocol/uris.js';
import type { Realm } from './realm.js';
import { CalleeRegistry, type CalleeRegistryOptions } from './rpc/callee-registry.js';
import { Dealer, type DealerOptions } from './rpc/dealer.js';
import { Invocations, type InvocationOptions } from './rpc/invocations.js';
import { DecodeError } from './serializers/decode-limits.js';
import type { Serializer } from './serializers/serializer.js';
import { Session, type ClientHello, type SessionIdentity } from './session.js';
import { exceedsLength } from './frame-length.js';
import { CloseCode, type EngineConnection, type Transport } from './transport.js';
import type { TransportInfo } from './transport-info.js';

export { CloseCode, type Transport } from './transport.js';

/** Engine settings, from the application options. */
export interface EngineOptions extends DealerOptions, BrokerOptions, CalleeRegistryOptions, InvocationOptions {
  readonly uriValidation: URIValidation;
  readonly strictRequestIds: boolean;
  readonly agent: string;
  readonly goodbyeTimeout: number;
  /** Milliseconds a connection may stay open without a session before it is closed; 0 for no limit. */
  readonly helloTimeout: number;
  /** Milliseconds a session may take from HELLO to WELCOME when it must authenticate; 0 for no limit. */
  readonly authenticationTimeout: number;
}

/** What a connection needs from the application. */
export interface ConnectionHost {
  readonly logger: Logger;
  readonly engineOptions: EngineOptions;
  resolveRealm(name: string): Realm | undefined;
  /** Reserves a unique random session id. */
  newSessionId(): number;
  sessionOpened(session: Session): void;
  sessionClosed(session: Session): void;
  connectionClosed(connection: Connection): void;
}

type State = 'hello' | 'establishing' | 'established' | 'closing' | 'closed';

/** Request types whose ids are checked when `strictRequestIds` is on. */
const SEQUENCED: ReadonlySet<number> = new Set([
  MessageType.PUBLISH,
  MessageType.SUBSCRIBE,
  MessageType.UNSUBSCRIBE,
  MessageType.CALL,
  MessageType.REGISTER,
  MessageType.UNREGISTER,
]);

/**
 * One client connection. Exposed to applications as `session.connection`.
 */
export class Connection implements EngineConnection {
  /** Transport details: peer address, HTTP headers and cookies, TLS certificate… */
  readonly transportInfo: TransportInfo;
  /** The serializer negotiated for this connection. */
  readonly serializer: Serializer;
  readonly #transport: Transport;
  readonly #host: ConnectionHost;
  readonly #logger: Logger;
  #state: State = 'hello';
  #session: Session | undefined;
  /** The session being authenticated, between HELLO and WELCOME/ABORT. */
  #pending: PendingSession | undefined;
  #dealer: Dealer | undefined;
  #broker: Broker | undefined;
  /** The session's registrations and the server's calls to them; made with its first REGISTER. */
  #callee: Invocations | undefined;
  #sessionState: OpenedLifecycle[] = [];
  #lastRequestId = 0;
  /** Closes the transport if the peer does not send HELLO, or the GOODBYE reply, in time. */
  #waitTimer: ReturnType<typeof setTimeout> | undefined;

  /** @internal Created by the application for each accepted transport. */
  constructor(host: ConnectionHost, transport: Transport, serializer: Serializer, transportInfo: TransportInfo) {
    this.#host = host;
    this.#transport = transport;
    this.serializer = serializer.forConnection?.() ?? serializer;
    this.transportInfo = transportInfo;
    this.#logger = host.logger.child({ peer: transportInfo.peerAddress, protocol: serializer.protocol });
    this.#waitFor(host.engineOptions.helloTimeout, 'no HELLO');
  }

  /** The established session on this connection, if any. */
  get session(): Session | undefined {
    return this.#session;
  }

  /** Whether the transport has closed. */
  get closed(): boolean {
    return this.#state === 'closed';
  }

  /** Bytes sent to this connection that the peer has not yet taken. */
  get bufferedAmount(): number {
    return this.#transport.bufferedAmount;
  }

  /**
   * Estimated memory held for the peer: the transport's `outboundCost` (bytes
   * plus a fixed cost per queued send) where it has one, else `bufferedAmount`.
   * Both slow-consumer limits compare against this.
   */
  get outboundCost(): number {
    return this.#transport.outboundCost ?? this.#transport.bufferedAmount;
  }

  /** The largest message the peer accepts; `Infinity` when its transport sets no limit. */
  get maxMessageLength(): number {
    return this.#transport.maxMessageLength ?? Infinity;
  }

  /** Feeds one received frame to the engine. Never throws. */
  receive(frame: string | Uint8Array): void {
    if (this.#state === 'closed') return;
    let messages: unknown[];
    try {
      messages = this.serializer.decode(frame);
    } catch (error) {
      // A DecodeError's message is a fixed sentence that never renders client data; anything else is not shown.
      const why = error instanceof DecodeError ? `: ${error.message}` : '';
      this.#protocolViolation(`the frame could not be decoded as ${this.serializer.protocol}${why}`);
      return;
    }
    for (const raw of messages) {
      if (this.closed) return; // an earlier message in the batch ended the connection
      try {
        this.#dispatch(parseClientMessage(raw));
      } catch (error) {
        if (error instanceof ProtocolViolation) {
          this.#protocolViolation(error.message);
        } else {
          this.#logger.error({ err: error }, 'unexpected failure while handling a message');
          this.#fail(WampURI.PROTOCOL_VIOLATION, 'the server could not process the message');
        }
        return;
      }
    }
  }

  /** Tells the engine the transport has closed. Ends the session, if any, without sending anything. */
  transportClosed(): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#pending?.end();
    this.#pending = undefined;
    this.#endSession('the transport closed');
    this.#stopWaiting();
    this.#host.connectionClosed(this);
  }

  /** @internal Encodes and sends one message. Throws if it cannot be serialized. */
  send(message: WampMessage): void {
    if (this.#state === 'closed') return;
    const frame = this.serializer.encode(message);
    const transport = this.#transport;
    const maxLength = transport.maxMessageLength;
    if (maxLength !== undefined && exceedsLength(frame, maxLength)) return this.#oversize(maxLength);
    if (this.outboundCost >= this.#host.engineOptions.bufferLimit) {
      // Never drop a reply silently: a peer this far behind loses the session instead.
      this.closeSlowConsumer('outbound buffer full');
      return;
    }
    transport.send(frame);
  }

  /** @internal Sends an already encoded frame (events encoded once for many sessions). */
  sendFrame(frame: string | Uint8Array): void {
    if (this.#state === 'closed') return;
    this.#transport.send(frame);
  }

  /** @internal Closes the connection of a peer that is not reading what it is sent. */
  closeSlowConsumer(reason: string): void {
    if (this.#state === 'closed') return;
    const transport = this.#transport;
    this.#logger.warn(
      { bufferedAmount: transport.bufferedAmount, outboundCost: transport.outboundCost, reason },
      'closing the connection of a slow consumer',
    );
    if (this.#transport.terminate === undefined) return this.close(CloseCode.POLICY_VIOLATION, reason);
    this.#transport.terminate();
    this.transportClosed();
  }

  /** Closes the transport, ending any session without a GOODBYE (clients will try to reconnect). */
  close(code: number = CloseCode.GOING_AWAY, reason = ''): void {
    if (this.#state === 'closed') return;
    this.#transport.close(code, reason);
    this.transportClosed();
  }

  /** @internal See {@link Session.close}. */
  closeSession(session: Session, reason: string, message: string | undefined): void {
    if (session !== this.#session || this.#state !== 'established') return;
    this.send(build.goodbye(reason, message === undefined ? {} : { message }));
    this.#state = 'closing';
    this.#endSession('the session was closed by the server');
    this.#waitFor(this.#host.engineOptions.goodbyeTimeout, 'no GOODBYE reply');
  }

  /** @internal See {@link Session.abort}. */
  abortSession(session: Session, reason: string, message: string | undefined): void {
    if (session !== this.#session) return;
    this.#fail(reason, message);
  }

  #dispatch(msg: ClientMessage): void {
    switch (this.#state) {
      case 'hello':
        if (msg.type === MessageType.HELLO) return this.#hello(msg);
        if (msg.type === MessageType.ABORT) return this.close(CloseCode.NORMAL, '');
        throw new ProtocolViolation(`${messageTypeName(msg.type)} received before the session was established`);
      case 'establishing':
        if (msg.type === MessageType.ABORT) return this.close(CloseCode.NORMAL, '');
        if (msg.type === MessageType.AUTHENTICATE && this.#pending !== undefined) return this.#pending.receiveAuthenticate(msg);
        throw new ProtocolViolation(`${messageTypeName(msg.type)} received while the session was being established`);
      case 'closing':
        // After our GOODBYE only the reply matters; anything else raced it.
        if (msg.type === MessageType.GOODBYE) {
          this.#awaitHello();
        } else if (msg.type === MessageType.ABORT) {
          this.close(CloseCode.NORMAL, '');
        }
        return;
      case 'established':
        return this.#established(msg);
      case 'closed':
        return;
    }
  }

  #established(msg: ClientMessage): void {
    if (this.#host.engineOptions.strictRequestIds && SEQUENCED.has(msg.type)) {
      this.#checkSequence(msg as ClientMessage & { requestId: number });
    }
    const session = this.#session!;
    switch (msg.type) {
      case MessageType.CALL:
        return this.#dealer!.call(msg);
      case MessageType.CANCEL:
        return this.#dealer!.cancel(msg);
      case MessageType.GOODBYE:
        this.send(build.goodbye(WampURI.GOODBYE_AND_OUT));
        this.#endSession('the client said GOODBYE');
        this.#awaitHello();
        return;
      case MessageType.ABORT:
        this.#logger.debug({ reason: msg.reason }, 'client aborted the session');
        this.close(CloseCode.NORMAL, '');
        return;
      case MessageType.SUBSCRIBE:
        return this.#broker!.subscribe(msg);
      case MessageType.UNSUBSCRIBE:
        return this.#broker!.unsubscribe(msg);
      case MessageType.PUBLISH:
        return this.#broker!.publish(msg);
      case MessageType.REGISTER:
        return this.#calleeOf(session).registrations.register(msg);
      case MessageType.UNREGISTER:
        return this.#calleeOf(session).registrations.unregister(msg);
      case MessageType.YIELD:
        return this.#calleeOf(session).yield(msg);
      case MessageType.ERROR:
        if (msg.requestType !== MessageType.INVOCATION) {
          throw new ProtocolViolation(`ERROR for a ${messageTypeName(msg.requestType)} is not something a client may send`);
        }
        return this.#calleeOf(session).error(msg);
      case MessageType.HELLO:
        throw new ProtocolViolation('HELLO received on an established session');
      case MessageType.AUTHENTICATE:
        throw new ProtocolViolation('AUTHENTICATE received without a pending CHALLENGE');
    }
  }

  /** Sessions that never register cost nothing here. */
  #calleeOf(session: Session): Invocations {
    if (this.#callee === undefined) {
      const options = this.#host.engineOptions;
      this.#callee = new Invocations(session, new CalleeRegistry(session, options), options);
      session.attachCallee(this.#callee);
    }
    return this.#callee;
  }

  #checkSequence(msg: { type: number; requestId: number; options?: Record<string, unknown> }): void {
    const id = msg.requestId;
    const last = this.#lastRequestId;
    // Spec, "IDs": session-scope ids start at 1 and go up by 1, wrapping from 2^53 to 1; one sequence
    // for all the request types that open a request (CANCEL, YIELD and ERROR mirror another id).
    const expected = last === 0 || last === 2 ** 53 ? 1 : last + 1;
    if (id !== expected) {
      throw new ProtocolViolation(`request id ${id} is out of sequence (expected ${expected})`);
    }
    this.#lastRequestId = id;
  }

  /** After a GOODBYE exchange the transport may carry a new session (WAMP allows it). */
  #awaitHello(): void {
    this.#state = 'hello';
    this.#waitFor(this.#host.engineOptions.helloTimeout, 'no HELLO');
  }

  #waitFor(ms: number, reason: string): void {
    this.#stopWaiting();
    if (ms > 0) this.#waitTimer = setTimeout(() => this.close(CloseCode.NORMAL, reason), ms);
  }

  #stopWaiting(): void {
    if (this.#waitTimer !== undefined) clearTimeout(this.#waitTimer);
    this.#waitTimer = undefined;
  }

  #hello(msg: HelloMessage): void {
    this.#stopWaiting();
    const { realm: realmName } = msg;
    if (!isValidURI(realmName, 'loose')) {
      return this.#fail(WampURI.INVALID_URI, `the realm ${quoteURI(realmName)} is not a valid URI`);
    }
    const realm = this.#host.resolveRealm(realmName);
    if (realm === undefined) {
      return this.#fail(WampURI.NO_SUCH_REALM, `the realm ${quoteURI(realmName)} does not exist`);
    }
    this.#state = 'establishing';
    const id = this.#host.newSessionId();
    const agent = msg.details['agent'];
    const hello: ClientHello = {
      agent: typeof agent === 'string' ? agent : undefined,
      roles: msg.details['roles'] as Record<string, unknown>,
      details: msg.details,
    };
    if (!realm.authentication.required) return this.#welcome(msg, realm, id, hello, anonymousIdentity());
    const pending = new PendingSession(
      {
        id,
        realm,
        realmName: realmName,
        connection: this,
        hello,
        logger: this.#logger.child({ session: id }),
        timeout: this.#host.engineOptions.authenticationTimeout,
      },
      {
        send: (message) => this.send(message),
        welcome: (identity) => {
          if (this.#pending !== pending) return;
          this.#pending = undefined;
          this.#welcome(msg, realm, id, hello, identity);
        },
        abort: (reason, message) => {
          if (this.#pending !== pending) return;
          this.#pending = undefined;
          this.#logger.debug({ reason, session: id }, 'session refused');
          this.#fail(reason, message);
        },
      },
    );
    this.#pending = pending;
    runAuthentication(pending, realm.authentication);
  }

  #welcome(msg: HelloMessage, realm: Realm, id: number, hello: ClientHello, identity: SessionIdentity): void {
    const session = new Session({
      id,
      realmName: msg.realm,
      realm,
      connection: this,
      identity,
      hello,
      logger: this.#logger.child({ session: id }),
    });
    this.#session = session;
    this.#dealer = new Dealer(session, this.#host.engineOptions);
    this.#broker = new Broker(session, realm.events, this.#host.engineOptions);
    session.attachBroker(this.#broker);
    this.#lastRequestId = 0;
    const stateHandlers = stateHandlersFor(session, realm.sessionStateHandlers);
    if (stateHandlers.length === 0) return this.#sendWelcome(session, identity);
    // The open parts run before WELCOME: until then a client may send nothing but ABORT, so no message waits on them.
    openSessionState(session, stateHandlers).then(
      (opened) => {
        if (this.#session !== session) return void closeAll(opened);
        this.#sessionState = opened;
        this.#sendWelcome(session, identity);
      },
      (error: unknown) => {
        if (this.#session !== session) return;
        if (error instanceof WampError) {
          const first = error.args?.[0];
          return this.#fail(error.uri, typeof first === 'string' ? first : undefined);
        }
        session.logger.error({ err: error }, 'session state handler failed');
        this.#fail(WampURI.RUNTIME_ERROR, 'the session could not be opened');
      },
    );
  }

  #sendWelcome(session: Session, identity: SessionIdentity): void {
    this.#state = 'established';
    const welcome: Record<string, unknown> = {
      realm: session.realmName,
      authid: identity.authid,
      authrole: identity.authrole,
      authmethod: identity.authmethod,
      authprovider: identity.authprovider,
      agent: this.#host.engineOptions.agent,
      roles: routerRoles({
        sessionMetaAPI: session.realm.sessionMetaAPI,
        patternBasedRegistration: this.#host.engineOptions.clientRegistrations,
      }),
    };
    if (identity.authextra !== undefined) welcome['authextra'] = identity.authextra;
    this.send(build.welcome(session.id, welcome));
    this.#host.sessionOpened(session);
    session.logger.debug({ realm: session.realmName, authid: identity.authid }, 'session established');
  }

  #endSession(reason: string): void {
    const session = this.#session;
    if (session === undefined) return;
    this.#session = undefined;
    session.markClosed();
    this.#dealer?.abortAll(reason);
    this.#dealer = undefined;
    // Registrations go with the session; calls to it are rejected, and nothing more is sent.
    this.#callee?.registrations.end();
    this.#callee?.end();
    this.#callee = undefined;
    // Subscriptions leave the realm now; their close parts run, then those of the session state handlers.
    const subscriptionsClosed = this.#broker?.endAll() ?? Promise.resolve();
    const sessionState = this.#sessionState;
    this.#broker = undefined;
    this.#sessionState = [];
    void subscriptionsClosed.then(() => closeAll(sessionState));
    this.#host.sessionClosed(session);
    session.logger.debug({ reason }, 'session ended');
  }

  /**
   * A reply is over the maximum the peer accepts, which WAMP forbids sending.
   * Unlike an event it cannot be dropped silently, so the session ends.
   */
  #oversize(maxLength: number): void {
    this.#logger.warn({ maxMessageLength: maxLength }, 'a reply is larger than the peer accepts; aborting the session');
    if (this.#state === 'closed') return;
    const abort = build.abort(WampURI.PAYLOAD_SIZE_EXCEEDED, {
      message: `a reply is over the ${maxLength}-octet maximum this client accepts`,
    });
    try {
      const frame = this.serializer.encode(abort);
      if (!exceedsLength(frame, maxLength)) this.#transport.send(frame);
    } catch (error) {
      this.#logger.error({ err: error }, 'could not send ABORT');
    }
    this.close(CloseCode.NORMAL, WampURI.PAYLOAD_SIZE_EXCEEDED);
  }

  #protocolViolation(message: string): void {
    this.#logger.debug({ message }, 'protocol violation');
    this.#fail(WampURI.PROTOCOL_VIOLATION, message, CloseCode.PROTOCOL_ERROR);
  }

  /** Sends ABORT, ends the session and closes the transport. */
  #fail(reason: string, message: string | undefined, code: number = CloseCode.NORMAL): void {
    if (this.#state === 'closed') return;
    // Reasons from authenticators and session state handlers are the application's.
    reason = outboundErrorURI(reason, this.#logger, 'ABORT');
    try {
      this.send(build.abort(reason, message === undefined ? {} : { message }));
    } catch (error) {
      this.#logger.error({ err: error }, 'could not send ABORT');
    }
    this.close(code, reason.length <= 120 ? reason : '');
  }
}
