/**
 * Server-side publications: what `app.publish` and `realm.publish` take.
 * @module
 */
import { ServerwampError } from '../errors.js';
import { randomGlobalId } from '../protocol/ids.js';
import { isValidURI } from '../protocol/uri.js';
import type { Publication } from './delivery.js';
import type { EventPayload } from '../model/payloads.js';
import type { PublishOptions } from '../model/session.js';
import { serverAudience } from './audience.js';

/** Only the `args` and `kwargs` of `source`: a publication must carry no other property to other nodes. */
export function copyPayload(source: EventPayload): EventPayload {
  if (source.kwargs === undefined) return source.args === undefined ? {} : { args: source.args };
  return source.args === undefined ? { kwargs: source.kwargs } : { args: source.args, kwargs: source.kwargs };
}

/**
 * Validates a server-side publication and gives it a new random publication
 * id. The result is data only (`filter` stays with the caller): the payload
 * is copied out of `options`, which may hold sessions and functions.
 */
export function serverPublication(topic: string, options: PublishOptions): Publication {
  if (!isValidURI(topic, 'loose')) {
    throw new ServerwampError('ERR_INVALID_URI', `${JSON.stringify(topic)} is not a valid topic URI`);
  }
  if (options.filter !== undefined && typeof options.filter !== 'function') {
    throw new ServerwampError('ERR_INVALID_OPTION', 'filter must be a function');
  }
  const payload = copyPayload(options);
  const audience = serverAudience(options);
  return {
    topic,
    publicationId: randomGlobalId(),
    payload,
    ...(audience === undefined ? {} : { audience }),
    ...(options.retain === true ? { retain: true } : {}),
  };
}
