/**
 * Server-side publications: what `app.publish` and `realm.publish` take.
 * @module
 */
import { describe, ServerwampError } from '../errors.js';
import { randomGlobalId } from '../protocol/ids.js';
import { isValidURI } from '../protocol/uri.js';
import type { Publication } from './delivery.js';
import type { EventPayload } from '../model/payloads.js';
import type { PublishOptions } from '../model/session.js';
import { serverAudience } from './audience.js';

/**
 * Checks an event payload given by the application: `args` an array and
 * `kwargs` a plain object, when present. A string as `args` would otherwise
 * reach clients as a malformed EVENT.
 */
export function checkPayload(payload: EventPayload, call: string): void {
  if (typeof payload !== 'object' || payload === null) {
    throw new ServerwampError('ERR_INVALID_OPTION', `${call}: the options must be an object like { args, kwargs }, got ${describe(payload)}`);
  }
  if (payload.args !== undefined && !Array.isArray(payload.args)) {
    throw new ServerwampError('ERR_INVALID_OPTION', `${call}: args must be an array, got ${describe(payload.args)}`);
  }
  const kwargs: unknown = payload.kwargs;
  if (kwargs !== undefined && (typeof kwargs !== 'object' || kwargs === null || Array.isArray(kwargs) || ArrayBuffer.isView(kwargs))) {
    throw new ServerwampError('ERR_INVALID_OPTION', `${call}: kwargs must be a plain object, got ${describe(kwargs)}`);
  }
}

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
  checkPayload(options, 'publish');
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
