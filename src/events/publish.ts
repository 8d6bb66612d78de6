/**
 * Server-side publications: what `app.publish` and `realm.publish` take.
 * @module
 */
import { ServerwampError } from '../errors.js';
import { randomGlobalId } from '../protocol/ids.js';
import { isValidURI } from '../protocol/uri.js';
import type { Publication } from './delivery.js';
import type { PublishOptions } from '../model/session.js';
import { serverAudience, serverRecipients } from './recipients.js';

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
