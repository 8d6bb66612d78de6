/**
 * {@link Outbox}: all outbound flow control of one connection. Everything
 * for a session is written to its transport synchronously, in the order it
 * was produced, so the transport's buffer is the session's one outbound
 * FIFO; the outbox bounds what a peer that does not read can make the server
 * hold. Replies are never dropped: past `bufferLimit`, or over the peer's
 * maximum message length, the connection ends. Events are dropped (and
 * counted) past `eventBufferLimit`, or close the connection under the
 * `close` slow-consumer policy.
 *
 * `Connection` extends it rather than owning one, so that an idle session
 * costs no extra object.
 * @module
 */
import type { DroppedEvent, SlowConsumerPolicy } from '../events/event-options.js';
import { exceedsLength } from '../frame-length.js';
import type { Logger } from '../logger.js';
import { frameBytes } from '../metrics/frame-bytes.js';
import type { ConnectionMeter, DropReason, MetricsSink } from '../metrics/sink.js';
import { build, type WampMessage } from '../protocol/build.js';
import { WampURI } from '../protocol/uris.js';
import type { UTF8Frame } from '../model/ports.js';
import type { Session } from '../model/session.js';
import type { Serializer } from '../serializers/serializer.js';
import { CloseCode, type Transport } from '../transport.js';

/** The outbound limits, from the application options (`events.slowConsumer`). */
export interface OutboxOptions {
  /** Outbound cost past which any send closes the connection. */
  readonly bufferLimit: number;
  /** Outbound cost past which events are dropped or close the connection. */
  readonly eventBufferLimit: number;
  readonly slowConsumerPolicy: SlowConsumerPolicy;
  /** Counts and reports one dropped event. */
  readonly eventDropped: (event: DroppedEvent) => void;
  /** Where drops are counted; undefined when metrics are off. */
  readonly metrics: MetricsSink | undefined;
}

/** One connection's outbound side: encoding, limits, and the slow-consumer policy. */
export abstract class Outbox {
  /** The serializer negotiated for this connection. */
  readonly serializer: Serializer;
  /** The adapter's transport every frame of this connection is written to. */
  protected readonly transport: Transport;
  readonly #options: OutboxOptions;
  /** The connection's byte counters; undefined when metrics are off. */
  protected meter: ConnectionMeter | undefined;
  #dropped = 0;
  #dropping = false;

  protected constructor(transport: Transport, serializer: Serializer, options: OutboxOptions) {
    this.transport = transport;
    this.serializer = serializer.forConnection?.() ?? serializer;
    this.#options = options;
  }

  /** @internal The connection's logger (peer address and protocol bound). */
  abstract get logger(): Logger;

  /** Whether the transport has closed; nothing is sent then. */
  abstract get closed(): boolean;
  /** Closes the transport and ends the connection. */
  abstract close(code?: number, reason?: string): void;
  /** Ends the connection after the transport was dropped without a closing handshake. */
  abstract transportClosed(): void;

  /** Bytes sent to this connection that the peer has not yet taken. */
  get bufferedAmount(): number {
    return this.transport.bufferedAmount;
  }

  /**
   * Estimated memory held for the peer: the transport's `outboundCost` (bytes
   * plus a fixed cost per queued send) where it has one, else `bufferedAmount`.
   * Both slow-consumer limits compare against this.
   */
  get outboundCost(): number {
    return this.transport.outboundCost ?? this.transport.bufferedAmount;
  }

  /** The largest message the peer accepts; `Infinity` when its transport sets no limit. */
  get maxMessageLength(): number {
    return this.transport.maxMessageLength ?? Infinity;
  }

  /** Events not sent on this connection's current session because the peer was not reading fast enough. */
  get droppedEvents(): number {
    return this.#dropped;
  }

  /** @internal Encodes and sends one message. Throws if it cannot be serialized. */
  send(message: WampMessage): void {
    if (this.closed) return;
    const frame = this.serializer.encode(message);
    const maxLength = this.transport.maxMessageLength;
    if (maxLength !== undefined && exceedsLength(frame, maxLength)) return this.#oversize(maxLength);
    if (this.outboundCost >= this.#options.bufferLimit) {
      // Never drop a reply silently: a peer this far behind loses the session instead.
      this.closeSlowConsumer('outbound buffer full');
      return;
    }
    this.transport.send(frame);
    const meter = this.meter;
    if (meter !== undefined) meter.sent.value += frameBytes(frame);
  }

  /**
   * @internal Queues an encoded EVENT for `session` (events are encoded once
   * for many sessions) unless it is over the peer's maximum length or the
   * peer is past `eventBufferLimit`. Returns whether it was queued.
   */
  queueEvent(session: Session, frame: string | Uint8Array, topic: string, publicationId: number, utf8?: UTF8Frame): boolean {
    if (this.closed) return false;
    const maxLength = this.transport.maxMessageLength;
    if (maxLength !== undefined && exceedsLength(frame, maxLength)) {
      // Sending it would break the client's announced limit; other events may still fit.
      session.logger.warn({ topic, maxMessageLength: maxLength }, 'event larger than the client accepts: dropped');
      return this.#dropEvent(session, topic, publicationId, 'too_large');
    }
    const cost = this.outboundCost;
    if (cost >= this.#options.eventBufferLimit) {
      if (this.#options.slowConsumerPolicy === 'close') {
        this.closeSlowConsumer('slow consumer');
        return false;
      }
      if (!this.#dropping) {
        this.#dropping = true;
        session.logger.warn({ outboundCost: cost, topic }, 'slow consumer: dropping events');
      }
      return this.#dropEvent(session, topic, publicationId, 'slow_consumer');
    }
    if (this.#dropping) {
      this.#dropping = false;
      session.logger.info({ droppedEvents: this.#dropped }, 'slow consumer caught up');
    }
    const transport = this.transport;
    if (utf8 !== undefined && transport.sendUTF8 !== undefined) transport.sendUTF8(utf8.bytes);
    else transport.send(frame);
    const meter = this.meter;
    if (meter !== undefined) meter.sent.value += frameBytes(frame);
    return true;
  }

  /** @internal Closes the connection of a peer that is not reading what it is sent. */
  closeSlowConsumer(reason: string): void {
    if (this.closed) return;
    const transport = this.transport;
    this.logger.warn(
      { bufferedAmount: transport.bufferedAmount, outboundCost: transport.outboundCost, reason },
      'closing the connection of a slow consumer',
    );
    if (transport.terminate === undefined) return this.close(CloseCode.POLICY_VIOLATION, reason);
    transport.terminate();
    this.transportClosed();
  }

  /** A new session starts on this connection: its dropped-event count starts at zero. */
  protected resetDropped(): void {
    this.#dropped = 0;
    this.#dropping = false;
  }

  #dropEvent(session: Session, topic: string, publicationId: number, reason: DropReason): false {
    this.#dropped++;
    this.#options.metrics?.eventDropped(reason);
    this.#options.eventDropped({ session, topic, publicationId });
    return false;
  }

  /**
   * A reply is over the maximum the peer accepts, which WAMP forbids sending.
   * Unlike an event it cannot be dropped silently, so the session ends.
   */
  #oversize(maxLength: number): void {
    this.logger.warn({ maxMessageLength: maxLength }, 'a reply is larger than the peer accepts; aborting the session');
    const abort = build.abort(WampURI.PAYLOAD_SIZE_EXCEEDED, {
      message: `a reply is over the ${maxLength}-octet maximum this client accepts`,
    });
    try {
      const frame = this.serializer.encode(abort);
      if (!exceedsLength(frame, maxLength)) this.transport.send(frame);
    } catch (error) {
      this.logger.error({ err: error }, 'could not send ABORT');
    }
    this.close(CloseCode.NORMAL, WampURI.PAYLOAD_SIZE_EXCEEDED);
  }
}
