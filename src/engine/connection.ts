/**
 * {@link Connection}: the session engine for one transport connection. It
 * has no I/O of its own: an adapter hands it frames (`receive`) and tells it
 * when the transport closed (`transportClosed`); it answers through the
 * {@link Transport} it was given. It runs the WAMP session state machine and
 * dispatches an established session's messages; the opening of a session is
 * in `handshake.ts`, authentication in `auth/`, and all outbound flow
 * control in the {@link Outbox} it extends.
 * @module
 */
import type { PendingSession } from '../auth/pending-session.js';
import { closeAll, type OpenedLifecycle } from '../events/lifecycle.js';
import type { Logger } from '../logger.js';
import { frameBytes } from '../metrics/frame-bytes.js';
import type { ViolationKind } from '../metrics/sink.js';
import type { Session } from '../model/session.js';
import { build } from '../protocol/build.js';
import { MessageType, messageTypeName } from '../protocol/message-type.js';
import type { ClientMessage } from '../protocol/messages.js';
import { parseClientMessage, ProtocolViolation } from '../protocol/parse.js';
import { outboundErrorURI } from '../protocol/uri-outbound.js';
import { WampURI } from '../protocol/uris.js';
import { DecodeError } from '../serializers/decode-limits.js';
import type { Serializer } from '../serializers/serializer.js';
import { SHUTTING_DOWN } from '../rpc/session-calls.js';
import { CloseCode, type EngineConnection, type Transport } from '../transport.js';
import type { TransportInfo } from '../transport-info.js';
import { hello, type HandshakeHost } from './handshake.js';
import { Outbox } from './outbox.js';
import { RateLimiter, type RateRefusal } from './rate-limit.js';
import type { Refusals } from './refusals.js';
import type { SessionTables } from '../model/tables.js';
import type { ServerSession } from './session.js';

/**
 * The ERROR (and, for a persistent offender, ABORT) reason of a request over a rate limit
 * (`limits.callRate`, `limits.messageRate`).
 *
 * @example
 * ```ts
 * import { RATE_LIMITED } from 'serverwamp';
 * import { CallError } from 'serverwamp/client';
 *
 * // The server runs with limits: { callRate: { rate: 100, burst: 200 } }.
 * try {
 *   await api.call('math.add', { number1: 2, number2: 3 });
 * } catch (error) {
 *   if (error instanceof CallError && error.uri === RATE_LIMITED) console.log('too many calls: slow down and retry');
 *   else throw error;
 * }
 * ```
 */
export const RATE_LIMITED = 'serverwamp.error.rate_limited';

/** What a connection needs from the application. */
export interface ConnectionHost extends HandshakeHost {
  readonly logger: Logger;
  /** Optional: where refusals by the application's limits are counted. */
  readonly refusals?: Refusals;
  sessionClosed(session: ServerSession): void;
  connectionClosed(connection: Connection): void;
}

/** What a scrape collects open connections' octets into. */
interface ServerMetricsLike {
  addLiveBytes(transport: string, read: number, written: number): void;
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

/** Requests the rate limits meter: those that make the server do work. Answers (YIELD, ERROR), CANCEL and GOODBYE pass. */
const METERED: ReadonlySet<number> = SEQUENCED;

/**
 * One client connection, as the engine holds it: what `app.accept` returns to an adapter,
 * which feeds it frames (`receive`) and tells it when the transport closed. Applications see
 * it as `session.connection` (deprecated: read `session.transportInfo`).
 *
 * @example
 * ```ts
 * import type { Connection } from 'serverwamp/adapter';
 *
 * // An adapter keeps what app.accept(…) returned, to feed it frames and end it with the socket.
 * function wire(ws: WebSocket, connection: Connection): void {
 *   ws.onmessage = ({ data }) => connection.receive(data as string); // a JSON-only endpoint: text frames
 *   ws.onclose = () => {
 *     log.debug({ authid: connection.session?.authid, peer: connection.transportInfo.peerAddress }, 'socket closed');
 *     connection.transportClosed();
 *   };
 * }
 * ```
 */
export class Connection extends Outbox implements EngineConnection {
  /** Transport details: peer address, HTTP headers and cookies, TLS certificate… */
  readonly transportInfo: TransportInfo;
  /** @internal */
  readonly host: ConnectionHost;
  #state: State = 'hello';
  #session: ServerSession | undefined;
  /** The session being authenticated, between HELLO and WELCOME/ABORT. */
  #pending: PendingSession | undefined;
  #sessionState: OpenedLifecycle[] = [];
  #lastRequestId = 0;
  /** Closes the transport if the peer does not send HELLO, or the GOODBYE reply, in time. */
  #waitTimer: ReturnType<typeof setTimeout> | undefined;
  #logger: Logger | undefined;
  /** The slot the session (established or being established) holds under the session limits. */
  #releaseSlot: (() => void) | undefined;
  /** Made at the first metered request, and kept across sessions: a GOODBYE and a new HELLO do not refill it. */
  #rateLimiter: RateLimiter | undefined;

  /** @internal Created by the application for each accepted transport. */
  constructor(host: ConnectionHost, transport: Transport, serializer: Serializer, transportInfo: TransportInfo) {
    super(transport, serializer, host.engineOptions);
    this.host = host;
    this.transportInfo = transportInfo;
    // A transport that counts its own octets is read when it closes and at each scrape; others are measured per frame.
    const metrics = host.engineOptions.metrics;
    if (metrics !== undefined && transport.bytesRead === undefined) this.meter = metrics.connection(transportInfo.transport);
    this.#waitFor(host.engineOptions.helloTimeout, 'no HELLO');
  }

  /**
   * @internal The connection's logger, with the peer and protocol bound. Made
   * when first used: most connections never log, and a child logger costs
   * memory for the connection's whole life.
   */
  get logger(): Logger {
    return (this.#logger ??= this.host.logger.child({ peer: this.transportInfo.peerAddress, protocol: this.serializer.protocol }));
  }

  /** The established session on this connection, if any. */
  get session(): Session | undefined {
    return this.#session;
  }

  /** @internal What the established session holds, counted; undefined before WELCOME and after the end. */
  tables(): SessionTables | undefined {
    return this.#session?.tables();
  }

  /** Whether the transport has closed. */
  get closed(): boolean {
    return this.#state === 'closed';
  }

  /** Feeds one received frame to the engine. Never throws. */
  receive(frame: string | Uint8Array): void {
    if (this.#state === 'closed') return;
    const meter = this.meter;
    if (meter !== undefined) meter.received.value += frameBytes(frame);
    let messages: unknown[];
    try {
      messages = this.serializer.decode(frame);
    } catch (error) {
      // A DecodeError's message is a fixed sentence that never renders client data; anything else is not shown.
      const why = error instanceof DecodeError ? `: ${error.message}` : '';
      this.#protocolViolation(`the frame could not be decoded as ${this.serializer.protocol}${why}`, 'undecodable');
      return;
    }
    for (const raw of messages) {
      if (this.closed) return; // an earlier message in the batch ended the connection
      let parsed: ClientMessage | undefined;
      try {
        parsed = parseClientMessage(raw);
        this.#dispatch(parsed);
      } catch (error) {
        if (error instanceof ProtocolViolation) {
          // A violation before the message parsed is its shape; after, its place in the session.
          this.#protocolViolation(error.message, parsed === undefined ? 'malformed' : 'unexpected');
        } else {
          this.logger.error({ err: error }, 'unexpected failure while handling a message');
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
    const metrics = this.host.engineOptions.metrics;
    if (metrics !== undefined && this.meter === undefined) {
      metrics.wireBytes(this.transportInfo.transport, this.transport.bytesRead ?? 0, this.transport.bytesWritten ?? 0);
    }
    this.#pending?.end();
    this.#pending = undefined;
    this.#endSession('the transport closed');
    this.#release();
    this.#stopWaiting();
    this.host.connectionClosed(this);
  }

  /** Closes the transport, ending any session without a GOODBYE (clients will try to reconnect). */
  close(code: number = CloseCode.GOING_AWAY, reason = ''): void {
    if (this.#state === 'closed') return;
    this.transport.close(code, reason);
    this.transportClosed();
  }

  /** @internal For a scrape: the octets so far of an open transport that counts its own. */
  addLiveBytes(metrics: ServerMetricsLike): void {
    if (this.#state === 'closed' || this.meter !== undefined) return;
    metrics.addLiveBytes(this.transportInfo.transport, this.transport.bytesRead ?? 0, this.transport.bytesWritten ?? 0);
  }

  /** @internal See {@link Session.close}. */
  closeSession(session: Session, reason: string, message: string | undefined): void {
    if (session !== this.#session || this.#state !== 'established') return;
    this.send(build.goodbye(reason, message === undefined ? {} : { message }));
    this.#state = 'closing';
    this.#endSession('the session was closed by the server');
    this.#waitFor(this.host.engineOptions.goodbyeTimeout, 'no GOODBYE reply');
  }

  /** @internal See {@link Session.abort}. */
  abortSession(session: Session, reason: string, message: string | undefined): void {
    if (session !== this.#session) return;
    this.#fail(reason, message);
  }

  /**
   * @internal The application started shutting down: a session still
   * authenticating is refused now (it would open after the others were told
   * GOODBYE); an established one keeps running its calls.
   */
  drainStarted(): void {
    if (this.#state !== 'establishing') return;
    const shutdown = this.host.shutdown;
    this.#fail(shutdown?.reason ?? WampURI.CLOSE_SYSTEM_SHUTDOWN, shutdown?.message ?? 'the server is shutting down');
  }

  /** @internal Resolves once the session, if any, has no call of its client in flight. */
  whenCallsIdle(): Promise<void> {
    return this.#session?.calls.whenIdle() ?? Promise.resolve();
  }

  /** @internal The shutdown deadline passed: calls still running end with `wamp.error.canceled`. */
  cancelCalls(message: string): void {
    this.#session?.calls.cancelAll(message);
  }

  /**
   * @internal The last step of a shutdown: an established session is told
   * GOODBYE (the reply closes the transport), a connection without one is closed.
   */
  shutDown(reason: string, message: string | undefined): void {
    switch (this.#state) {
      case 'established':
        return this.closeSession(this.#session!, reason, message);
      case 'establishing':
        return this.#fail(reason, message);
      case 'hello':
        return this.close(CloseCode.GOING_AWAY, 'server shutting down');
      case 'closing':
      case 'closed':
        return;
    }
  }

  #dispatch(msg: ClientMessage): void {
    switch (this.#state) {
      case 'hello':
        if (msg.type === MessageType.HELLO) {
          this.#stopWaiting();
          return hello(this, msg);
        }
        if (msg.type === MessageType.ABORT) return this.close(CloseCode.NORMAL, '');
        throw new ProtocolViolation(`${messageTypeName(msg.type)} received before the session was established`);
      case 'establishing':
        if (msg.type === MessageType.ABORT) return this.close(CloseCode.NORMAL, '');
        if (msg.type === MessageType.AUTHENTICATE && this.#pending !== undefined) return this.#pending.receiveAuthenticate(msg);
        throw new ProtocolViolation(`${messageTypeName(msg.type)} received while the session was being established`);
      case 'closing':
        // After our GOODBYE only the reply matters; anything else raced it.
        if (msg.type === MessageType.GOODBYE) {
          // A server shutting down takes no new session on this transport.
          if (this.host.shutdown !== undefined) return this.close(CloseCode.NORMAL, '');
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
    if (this.host.engineOptions.strictRequestIds && SEQUENCED.has(msg.type)) {
      this.#checkSequence(msg as ClientMessage & { requestId: number });
    }
    const session = this.#session!;
    const limits = this.host.engineOptions.rateLimits;
    if (limits !== undefined && METERED.has(msg.type)) {
      const refusal = (this.#rateLimiter ??= new RateLimiter(limits)).take(msg.type === MessageType.CALL);
      if (refusal !== undefined) return this.#rateLimited(msg as ClientMessage & { requestId: number }, refusal);
    }
    switch (msg.type) {
      case MessageType.CALL:
        if (this.host.shutdown !== undefined) {
          return session.calls.refuse(msg.requestId, SHUTTING_DOWN, 'the server is shutting down: no new calls are accepted');
        }
        return session.calls.call(msg);
      case MessageType.CANCEL:
        return session.calls.cancel(msg);
      case MessageType.GOODBYE:
        this.send(build.goodbye(WampURI.GOODBYE_AND_OUT));
        this.#endSession('the client said GOODBYE');
        this.#awaitHello();
        return;
      case MessageType.ABORT:
        this.logger.debug({ reason: msg.reason }, 'client aborted the session');
        this.close(CloseCode.NORMAL, '');
        return;
      case MessageType.SUBSCRIBE:
        return session.subscriptions.subscribe(msg);
      case MessageType.UNSUBSCRIBE:
        return session.subscriptions.unsubscribe(msg);
      case MessageType.PUBLISH:
        return session.subscriptions.publish(msg);
      case MessageType.REGISTER:
        return session.callee(this.host.engineOptions).registrations.register(msg);
      case MessageType.UNREGISTER:
        return session.callee(this.host.engineOptions).registrations.unregister(msg);
      case MessageType.YIELD:
        return session.callee(this.host.engineOptions).yield(msg);
      case MessageType.ERROR:
        if (msg.requestType !== MessageType.INVOCATION) {
          throw new ProtocolViolation(`ERROR for a ${messageTypeName(msg.requestType)} is not something a client may send`);
        }
        return session.callee(this.host.engineOptions).error(msg);
      case MessageType.HELLO:
        throw new ProtocolViolation('HELLO received on an established session');
      case MessageType.AUTHENTICATE:
        throw new ProtocolViolation('AUTHENTICATE received without a pending CHALLENGE');
    }
  }

  /**
   * A request over a rate limit: refused with ERROR (a PUBLISH that asked for
   * no acknowledgement gets none, as for any refused PUBLISH). A client
   * refused too often within the window then gets ABORT: the request that
   * tipped it over is answered first, so its caller does not wait for ever.
   */
  #rateLimited(msg: ClientMessage & { requestId: number }, refusal: RateRefusal): void {
    const limits = this.host.engineOptions.rateLimits!;
    this.host.refusals?.refused(refusal === 'calls' ? 'callRate' : 'messageRate');
    const spec = refusal === 'calls' ? limits.calls! : limits.messages!;
    const name = refusal === 'calls' ? 'callRate' : 'messageRate';
    const text = `rate limit exceeded: ${name} allows ${spec.rate} ${refusal === 'calls' ? 'calls' : 'requests'} per second (burst ${spec.burst})`;
    if (msg.type === MessageType.CALL) this.#session!.calls.refuse(msg.requestId, RATE_LIMITED, text);
    else if (msg.type !== MessageType.PUBLISH || msg.options['acknowledge'] === true) this.send(build.error(msg.type, msg.requestId, RATE_LIMITED, [text]));
    if (!this.#rateLimiter!.refused()) return;
    this.host.refusals?.refused('rateLimitAbort');
    this.logger.debug({ limit: name }, 'rate limit: persistent offender aborted');
    this.#fail(RATE_LIMITED, `too many requests refused by the rate limits (${limits.abortAfterRefusals} within ${limits.refusalWindow} ms)`);
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
    this.#waitFor(this.host.engineOptions.helloTimeout, 'no HELLO');
  }

  #waitFor(ms: number, reason: string): void {
    this.#stopWaiting();
    if (ms > 0) this.#waitTimer = setTimeout(() => this.close(CloseCode.NORMAL, reason), ms);
  }

  #stopWaiting(): void {
    if (this.#waitTimer !== undefined) clearTimeout(this.#waitTimer);
    this.#waitTimer = undefined;
  }

  /** @internal HELLO was accepted; `pending` is the authentication in progress, if any. */
  establishing(pending: PendingSession | undefined): void {
    this.#state = 'establishing';
    this.#pending = pending;
  }

  /** @internal */
  isPending(pending: PendingSession): boolean {
    return this.#pending === pending;
  }

  /** @internal A session was made for this connection; it is welcomed once its state handlers have opened. */
  begin(session: ServerSession): void {
    this.#session = session;
    this.#lastRequestId = 0;
    this.resetDropped();
  }

  /** @internal WELCOME is being sent. */
  established(session: ServerSession, opened: OpenedLifecycle[]): void {
    if (session !== this.#session) return;
    this.#state = 'established';
    this.#sessionState = opened;
  }

  /** @internal Sends ABORT, ends the session and closes the transport. */
  fail(reason: string, message?: string): void {
    this.#fail(reason, message);
  }

  /** @internal The session holds a slot under the session limits until it ends. */
  admitted(release: () => void): void {
    this.#releaseSlot = release;
  }

  #release(): void {
    const release = this.#releaseSlot;
    this.#releaseSlot = undefined;
    release?.();
  }

  #endSession(reason: string): void {
    this.#release();
    const session = this.#session;
    if (session === undefined) return;
    this.#session = undefined;
    // Subscriptions leave the realm now; their close parts run, then those of the session state handlers.
    const subscriptionsClosed = session.end(reason);
    const sessionState = this.#sessionState;
    this.#sessionState = [];
    void subscriptionsClosed.then(() => closeAll(sessionState));
    this.host.sessionClosed(session);
    session.logger.debug({ reason }, 'session ended');
  }

  #protocolViolation(message: string, kind: ViolationKind): void {
    this.host.engineOptions.metrics?.protocolViolation(kind);
    this.logger.debug({ message }, 'protocol violation');
    this.#fail(WampURI.PROTOCOL_VIOLATION, message, CloseCode.PROTOCOL_ERROR);
  }

  /** Sends ABORT, ends the session and closes the transport. */
  #fail(reason: string, message: string | undefined, code: number = CloseCode.NORMAL): void {
    if (this.#state === 'closed') return;
    // Reasons from authenticators and session state handlers are the application's.
    reason = outboundErrorURI(reason, this.logger, 'ABORT');
    try {
      this.send(build.abort(reason, message === undefined ? {} : { message }));
    } catch (error) {
      this.logger.error({ err: error }, 'could not send ABORT');
    }
    this.close(code, reason.length <= 120 ? reason : '');
  }
}
