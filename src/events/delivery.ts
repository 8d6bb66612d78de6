/**
 * Fan-out of one publication to a realm's subscribers. Each matching
 * subscription's EVENT is encoded at most once per serializer in use and the
 * same frame is queued to every subscriber speaking it, synchronously, so an
 * event published before a procedure returns is queued before its RESULT.
 * @module
 */
import { build } from '../protocol/build.js';
import type { Dict } from '../protocol/messages.js';
import type { Serializer } from '../serializers/serializer.js';
import type { Session } from '../model/session.js';
import type { AudienceSpec, RecipientFilter } from './audience.js';
import type { SubscriptionTable } from './subscription-table.js';
import type { EventPayload } from './topic-handler.js';

/** A session's side of delivery: its broker. */
export interface EventSubscriber {
  readonly session: Session;
  /** Queues an encoded EVENT unless the session is past its outbound bound; returns whether it was queued. */
  sendEventFrame(frame: string | Uint8Array, topic: string, publicationId: number): boolean;
}

/**
 * One publication, as data: everything in it survives JSON or msgpack, so a
 * backplane can carry it to other nodes as it is.
 */
export interface Publication {
  readonly topic: string;
  /** Random in the global scope (spec "IDs"), so unique across nodes too. */
  readonly publicationId: number;
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

const UNENCODABLE = Symbol('unencodable');

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
    const frames = new Map<Serializer, string | Uint8Array | typeof UNENCODABLE>();
    for (const subscriber of subscription.subscribers) {
      const session = subscriber.session;
      if (session.closed || (admits !== undefined && !admits(session))) continue;
      const serializer = session.connection.serializer;
      let frame = frames.get(serializer);
      if (frame === undefined) {
        try {
          frame = serializer.encode(message);
        } catch (error) {
          // The payload does not fit this serializer (a BigInt in JSON, a cycle…): its sessions miss this event.
          session.logger.error({ err: error, topic, protocol: serializer.protocol }, 'event could not be serialized');
          frame = UNENCODABLE;
        }
        frames.set(serializer, frame);
      }
      if (frame !== UNENCODABLE && subscriber.sendEventFrame(frame, topic, publicationId)) queued++;
    }
  }
  return queued;
}
