/**
 * {@link MetricsSink}: what the engine reports to, at a handful of call
 * sites (sessions, calls, server→client calls, publications, drops, bytes,
 * authentication, protocol violations). The engine holds `undefined` when
 * metrics are off and tests for it before doing any work, so metrics that
 * are off cost one comparison per site.
 * @module
 */
import type { CallEnd, CallMeter } from './call-meter.js';
import type { Cell } from './families.js';

export type { CallEnd };

/**
 * Kinds of protocol violation: a frame that is not the serializer's format
 * (`undecodable`), a message that is not a well-formed WAMP message
 * (`malformed`), or one the session's state does not allow (`unexpected`).
 */
export type ViolationKind = 'undecodable' | 'malformed' | 'unexpected';

/** Why an event was not sent to a subscriber: it was too slow, or the event is over its maximum message length. */
export type DropReason = 'slow_consumer' | 'too_large';

/** A connection's byte counters, looked up once when it opens. */
export interface ConnectionMeter {
  readonly received: Cell;
  readonly sent: Cell;
}

/** The engine's side of metrics; implemented by {@link ServerMetrics}. */
export interface MetricsSink {
  /** A monotonic clock in milliseconds, for call durations. */
  now(): number;
  /** Per-frame byte counters, for a transport that does not count its own octets. */
  connection(transport: string): ConnectionMeter;
  /** A transport that counts its own octets closed: adds them. */
  wireBytes(transport: string, read: number, written: number): void;
  /** `realm`: the configured realm's name, `undefined` for the default realm (never the name a client asked for). */
  sessionOpened(realm: string | undefined, transport: string): void;
  sessionClosed(realm: string | undefined, transport: string): void;
  /** The counters of calls labelled `procedure` (a route pattern, or a fixed label): kept by each call. */
  callMeter(procedure: string): CallMeter;
  /** A server→client call (`session.call`) ended. */
  serverCallEnded(end: CallEnd, error?: string): void;
  /** A publication was delivered in `realm` (`''` for the default one): made on this node, or relayed from another. */
  published(realm: string, origin: 'local' | 'remote', delivered: number): void;
  eventDropped(reason: DropReason): void;
  /** A session was refused during authentication with ABORT `reason`. */
  authFailed(method: string | undefined, reason: string): void;
  protocolViolation(kind: ViolationKind): void;
}
