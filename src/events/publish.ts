/**
 * Server-side publications: what `app.publish` and `realm.publish` take.
 * @module
 */
import { ServerwampError } from '../errors.js';
import { randomGlobalId } from '../protocol/ids.js';
import { isValidURI } from '../protocol/uri.js';
import type { Publication } from './delivery.js';
import { serverAudience, serverRecipients, type RecipientOptions } from './recipients.js';
import type { EventPayload } from './topic-handler.js';

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

function audienceOf(options: PublishOptions): { audience?: string } {
  const audience = options.retain === true ? serverAudience(options) : undefined;
  return audience === undefined ? {} : { audience };
}

/** Validates a server-side publication and gives it a new random publication id. */
export function serverPublication(topic: string, options: PublishOptions): Publication {
  if (!isValidURI(topic, 'loose')) {
    throw new ServerwampError('ERR_INVALID_URI', `${JSON.stringify(topic)} is not a valid topic URI`);
  }
  return {
    topic,
    publicationId: randomGlobalId(),
    payload: options,
    recipients: serverRecipients(options),
    ...audienceOf(options),
  };
}
