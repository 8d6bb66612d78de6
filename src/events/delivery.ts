/**
 * Fan-out of one publication to a realm's subscribers. Each matching
 * subscription's EVENT is encoded at most once per serializer in use and the
 * same frame is queued to every subscriber speaking it, synchronously, so an
 * event published before a procedure returns is queued before its RESULT.
 * @module
 */
import { build, type WampMessage } from '../protocol/build.js';
import type { Dict } from '../protocol/messages.js';
import type { Serializer } from '../serializers/serializer.js';
import type { Session } from '../model/session.js';
import type { AudienceSpec, RecipientFilter } from './audience.js';
import type { UTF8Frame } from '../model/ports.js';
import type { SubscriptionTable } from './subscription-table.js';
import type { EventPayload } from './topic-handler.js';

/** A session's side of delivery: its broker. */
export interface EventSubscriber {
  readonly session: Session;
  /**
   * Queues an encoded EVENT unless the session is past its outbound bound;
   * returns whether it was queued. `utf8`, for a text frame sent to many,
   * is the frame's UTF-8 encoding shared by every subscriber.
   */
  sendEventFrame(frame: string | Uint8Array, topic: string, publicationId: number, utf8?: SharedUTF8): boolean;
}

const encoder = new TextEncoder();

/**
 * A text frame's UTF-8 bytes, encoded on first use and then shared by every
 * transport that takes text as bytes (`Transport.sendUTF8`): one encoding per
 * publication instead of one per subscriber.
 */
export class SharedUTF8 implements UTF8Frame {
  readonly #text: string;
  #bytes: Uint8Array | undefined;

  constructor(text: string) {
    this.#text = text;
  }

  get bytes(): Uint8Array {
    return (this.#bytes ??= encoder.encode(this.#text));
  }
}

/**
 * One publication, as data: everything in it survives JSON or msgpack, so a
 * backplane can carry it to other nodes as it is.
 *
 * @example
 * ```ts
 * import type { Publication } from 'serverwamp';
 *
 * // What `app.publish('game.score', { args: [3, 1], retain: true })` hands the retained store
 * // (and, with `origin`, the backplane):
 * const publication: Publication = { topic: 'game.score', publicationId: 4_051_211_853_711_003, payload: { args: [3, 1] }, retain: true };
 * ```
 */
export interface Publication {
  /** The concrete topic URI published to. */
  readonly topic: string;
  /** Random in the global scope (spec "IDs"), so unique across nodes too. */
  readonly publicationId: number;
  /** The event's positional and keyword arguments. */
  readonly payload: EventPayload;
  /** Who may receive it; absent for every subscriber. */
  readonly audience?: AudienceSpec;
  /** Details every EVENT of this publication carries (e.g. `publisher` with `disclose_me`). */
  readonly details?: Readonly<Dict>;
  /** Whether it becomes its topic's retained event. */
  readonly retain?: boolean;
}

/** The EVENT.Details for one subscription: pattern subscriptions carry the concrete topic. */
export function eventDetails(publication: Pick<Publication, 'topic' | 'details'>, exact: boolean): Dict {
  const details: Dict = { ...publication.details };
  if (!exact) details['topic'] = publication.topic;
  return details;
}

/** An EVENT as one serializer encodes it; `frame` undefined when the payload does not fit that serializer. */
interface EncodedEvent {
  readonly frame: string | Uint8Array | undefined;
  readonly utf8: SharedUTF8 | undefined;
}

function encodeEvent(serializer: Serializer, message: WampMessage, session: Session, topic: string): EncodedEvent {
  try {
    const frame = serializer.encode(message);
    return { frame, utf8: typeof frame === 'string' ? new SharedUTF8(frame) : undefined };
  } catch (error) {
    // The payload does not fit this serializer (a BigInt in JSON, a cycle…): its sessions miss this event.
    session.logger.error({ err: error, topic, protocol: serializer.protocol }, 'event could not be serialized');
    return { frame: undefined, utf8: undefined };
  }
}

/**
 * Delivers `publication` to every matching subscriber that `admits` accepts
 * (all, when `undefined`); returns how many EVENTs were queued.
 */
export function deliver(table: SubscriptionTable<EventSubscriber>, publication: Publication, admits: RecipientFilter | undefined): number {
  const { topic, publicationId, payload } = publication;
  let queued = 0;
  for (const subscription of table.matching(topic)) {
    const message = build.event(
      subscription.id,
      publicationId,
      eventDetails(publication, subscription.match === 'exact'),
      payload.args,
      payload.kwargs,
    );
    // One encoding per serializer in use, plus (for text) one shared UTF-8 encoding; subscribers
    // mostly share one serializer, so the last one is kept at hand.
    const frames = new Map<Serializer, EncodedEvent>();
    let lastSerializer: Serializer | undefined;
    let last: EncodedEvent | undefined;
    for (const subscriber of subscription.subscribers) {
      const session = subscriber.session;
      if (session.closed || (admits !== undefined && !admits(session))) continue;
      const serializer = session.connection.serializer;
      if (serializer !== lastSerializer) {
        last = frames.get(serializer);
        if (last === undefined) {
          last = encodeEvent(serializer, message, session, topic);
          frames.set(serializer, last);
        }
        lastSerializer = serializer;
      }
      const { frame, utf8 } = last!;
      if (frame !== undefined && subscriber.sendEventFrame(frame, topic, publicationId, utf8)) queued++;
    }
  }
  return queued;
}
