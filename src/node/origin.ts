/**
 * The allowed-origins check of WebSocket upgrades. Browsers attach cookies
 * (and TLS client certificates) to WebSocket upgrades from any site, and the
 * same-origin policy does not apply to WebSockets: without this check, any
 * page a logged-in user visits could open a session authenticated by their
 * cookie (cross-site WebSocket hijacking). Browsers always send `Origin`;
 * non-browser clients usually do not, and are not at that risk.
 * @module
 */
import type { IncomingMessage } from 'node:http';
import { ServerwampError } from '../errors.js';

/**
 * Which browser origins may open connections: a list of origins such as
 * `https://app.example.com` (scheme, host and port), or a predicate.
 *
 * @example
 * ```ts
 * import { attach, type AllowedOrigins } from 'serverwamp/node';
 *
 * // Any subdomain of example.com over HTTPS; upgrades without an Origin header (not from a browser) pass.
 * const allowedOrigins: AllowedOrigins = (origin) => /^https:\/\/([a-z0-9-]+\.)*example\.com$/.test(origin);
 * attach(app, server, { path: '/ws', allowedOrigins });
 * ```
 */
export type AllowedOrigins = readonly string[] | ((origin: string, request: IncomingMessage) => boolean);

function normalizeOrigin(origin: string): string {
  // Sandboxed documents and some redirects send the opaque origin "null".
  if (origin === 'null') return origin;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new ServerwampError('ERR_INVALID_OPTION', `allowedOrigins: ${JSON.stringify(origin)} is not an origin such as https://example.com`);
  }
  return url.origin;
}

/**
 * Builds the check for an endpoint: true if the upgrade may proceed. An
 * upgrade without an `Origin` header does not come from a browser and passes.
 */
export function originCheck(allowed: AllowedOrigins | undefined): (request: IncomingMessage) => boolean {
  if (allowed === undefined) return () => true;
  if (typeof allowed === 'function') {
    return (request) => {
      const origin = request.headers.origin;
      return origin === undefined || allowed(origin, request) === true;
    };
  }
  const origins = new Set(allowed.map(normalizeOrigin));
  return (request) => {
    const origin = request.headers.origin;
    return origin === undefined || origins.has(origin.toLowerCase());
  };
}
