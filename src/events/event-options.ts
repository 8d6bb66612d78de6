/**
 * Event settings: per-session bounds on subscriptions and publications, and
 * the slow-consumer policy that keeps one stalled client from growing server
 * memory.
 * @module
 */
import { ServerwampError } from '../errors.js';
import { func, nested, nonNegativeInteger, oneOf, type OptionSpec } from '../options.js';
import type { Session } from '../model/session.js';

/**
 * What happens to an event for a session whose outbound buffer is past its bound.
 *
 * @example
 * ```ts
 * import { Application, type SlowConsumerPolicy } from 'serverwamp';
 *
 * // A price feed whose clients must not miss a tick: drop the connection (the client reconnects
 * // and resubscribes) rather than skip events.
 * const policy: SlowConsumerPolicy = 'close';
 * const app = new Application({ events: { slowConsumer: { policy } } });
 * ```
 */
export type SlowConsumerPolicy = 'drop' | 'close';

/**
 * An event that was not sent because its session was not reading fast enough.
 *
 * @example
 * ```ts
 * import { Application, type DroppedEvent } from 'serverwamp';
 *
 * const app = new Application({
 *   events: {
 *     slowConsumer: {
 *       onDrop: ({ session, topic, publicationId }: DroppedEvent) =>
 *         session.logger.warn({ topic, publicationId }, 'event dropped: the client reads too slowly'),
 *     },
 *   },
 * });
 * ```
 */
export interface DroppedEvent {
  /** The session the event was not sent to. */
  readonly session: Session;
  /** The event's topic. */
  readonly topic: string;
  /** The publication the event belonged to. */
  readonly publicationId: number;
}

/**
 * How serverwamp treats a client that reads more slowly than events arrive.
 *
 * @example
 * ```ts
 * new Application({
 *   events: {
 *     slowConsumer: {
 *       eventBufferLimit: 256 * 1024,
 *       policy: 'drop',
 *       onDrop: ({ session, topic }) => metrics.increment('events.dropped', { topic }),
 *     },
 *   },
 * });
 * ```
 */
export interface SlowConsumerOptions {
  /**
   * Estimated bytes waiting to be written to a session (payload plus ~384
   * bytes per unsent message, as for `bufferLimit`) past which events to it
   * are not queued (default 1 MiB). Replies are not affected.
   */
  eventBufferLimit?: number;
  /** `drop` (default): such events are dropped and counted. `close`: the connection is dropped at once. */
  policy?: SlowConsumerPolicy;
  /**
   * Bytes waiting past which nothing more is queued at all, replies included:
   * the connection is dropped instead, so no reply is ever lost
   * silently (default 16 MiB).
   */
  bufferLimit?: number;
  /**
   * Estimated bytes queued for one connection (payload plus ~384 per unsent
   * message) past which the server stops reading from it, until it has
   * drained to half: a client that sends requests but does not read the
   * replies is slowed to its own pace (default 1 MiB, or half of
   * `bufferLimit` if that is smaller).
   */
  readPauseLimit?: number;
  /**
   * The same estimate over all connections of the application: past it,
   * every connection holding 64 KiB or more is no longer read until the total
   * has drained to half (default 64 MiB).
   */
  totalReadPauseLimit?: number;
  /** Called for each dropped event (policy `drop`). */
  onDrop?: (event: DroppedEvent) => void;
}

/**
 * Event options of an application.
 *
 * @example
 * ```ts
 * import { Application } from 'serverwamp';
 *
 * const app = new Application({
 *   events: {
 *     maxSubscriptions: 200,          // more: ERROR serverwamp.error.too_many_subscriptions
 *     maxPendingPublications: 50,     // publish handlers running at once, per session
 *     slowConsumer: { eventBufferLimit: 512 * 1024, policy: 'drop' },
 *   },
 * });
 * ```
 */
export interface EventOptions {
  /** Subscriptions a session may hold; more get `serverwamp.error.too_many_subscriptions` (default 1000). */
  maxSubscriptions?: number;
  /** Client publications whose handlers may run at once per session; more get `serverwamp.error.too_many_publications` (default 1000). */
  maxPendingPublications?: number;
  /** What happens to sessions that do not read their events (docs/events.md, "Slow consumers"). */
  slowConsumer?: SlowConsumerOptions;
}

/** The event settings a session's subscriptions and the outbox run with. */
export interface EventSettings {
  readonly maxSubscriptions: number;
  readonly maxPendingPublications: number;
  readonly eventBufferLimit: number;
  readonly bufferLimit: number;
  readonly readPauseLimit: number;
  readonly totalReadPauseLimit: number;
  readonly slowConsumerPolicy: SlowConsumerPolicy;
  /** Counts and reports one dropped event. */
  readonly eventDropped: (event: DroppedEvent) => void;
}

/** What each {@link SlowConsumerOptions} key accepts. */
const slowConsumerOptionShape: Record<keyof SlowConsumerOptions, OptionSpec> = {
  eventBufferLimit: nonNegativeInteger,
  policy: oneOf('drop', 'close'),
  bufferLimit: nonNegativeInteger,
  readPauseLimit: nonNegativeInteger,
  totalReadPauseLimit: nonNegativeInteger,
  onDrop: func,
};

/** What each {@link EventOptions} key accepts (checked with the application's options). */
export const eventOptionShape: Record<keyof EventOptions, OptionSpec> = {
  maxSubscriptions: nonNegativeInteger,
  maxPendingPublications: nonNegativeInteger,
  slowConsumer: nested(slowConsumerOptionShape),
};

/** Fills in the defaults of event options already checked against {@link eventOptionShape}; `countDrop` runs for every dropped event. */
export function eventSettings(options: EventOptions, countDrop: () => void): EventSettings {
  const slow = options.slowConsumer ?? {};
  const eventBufferLimit = slow.eventBufferLimit ?? 1024 * 1024;
  const bufferLimit = slow.bufferLimit ?? 16 * 1024 * 1024;
  if (bufferLimit < eventBufferLimit) {
    throw new ServerwampError('ERR_INVALID_OPTION', 'events.slowConsumer.bufferLimit must not be below eventBufferLimit');
  }
  return {
    maxSubscriptions: options.maxSubscriptions ?? 1000,
    maxPendingPublications: options.maxPendingPublications ?? 1000,
    eventBufferLimit,
    bufferLimit,
    readPauseLimit: slow.readPauseLimit ?? Math.min(1024 * 1024, Math.floor(bufferLimit / 2)),
    totalReadPauseLimit: slow.totalReadPauseLimit ?? 64 * 1024 * 1024,
    slowConsumerPolicy: slow.policy ?? 'drop',
    eventDropped(event) {
      countDrop();
      try {
        slow.onDrop?.(event);
      } catch (error) {
        event.session.logger.error({ err: error }, 'the onDrop hook failed');
      }
    },
  };
}
