/**
 * Error URIs the application supplies (a thrown `WampError`, a returned
 * `RPCErrorResult`, a refusing handler or authenticator) are checked before
 * they reach the wire: a client library may choke on, or mis-dispatch, a
 * reason that is not a URI. An invalid one is logged and replaced.
 * @module
 */
import type { Logger } from '../logger.js';
import { isValidURI } from './uri.js';
import { WampURI } from './uris.js';

/** The longest bad URI quoted in the log (it came from the application, but may carry anything). */
const LOGGED_LENGTH = 200;

/** `uri` if it is a valid (loose) URI; otherwise `wamp.error.runtime_error`, after logging the bad one. */
export function outboundErrorURI(uri: unknown, logger: Logger, where: string): string {
  if (typeof uri === 'string' && isValidURI(uri, 'loose')) return uri;
  const shown = typeof uri === 'string' ? uri.slice(0, LOGGED_LENGTH) : typeof uri;
  logger.error({ uri: shown, where }, 'the application supplied an invalid error URI; sending wamp.error.runtime_error');
  return WampURI.RUNTIME_ERROR;
}
