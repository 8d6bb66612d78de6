/**
 * The allowed-origins check of web-standard upgrades: browsers send cookies
 * with a WebSocket upgrade from any site, so a cookie-authenticated endpoint
 * must refuse foreign origins (cross-site WebSocket hijacking). Requests
 * without `Origin` do not come from a browser and pass.
 * @module
 */
import { ServerwampError } from '../errors.js';

/**
 * Which browser origins may connect: origins such as `https://app.example.com`, or a predicate.
 *
 * @example
 * ```ts
 * import { serveBun, type WebAllowedOrigins } from 'serverwamp/web';
 *
 * // The site and the local dev server; or a predicate of the origin and the Request.
 * const allowedOrigins: WebAllowedOrigins = ['https://app.example.com', 'http://localhost:5173'];
 * const wamp = serveBun(app, { path: '/ws', allowedOrigins }); // other browser origins get 403
 * ```
 */
export type WebAllowedOrigins = readonly string[] | ((origin: string, request: Request) => boolean);

function normalizeOrigin(origin: string): string {
  if (origin === 'null') return origin;
  try {
    return new URL(origin).origin;
  } catch {
    throw new ServerwampError('ERR_INVALID_OPTION', `allowedOrigins: ${JSON.stringify(origin)} is not an origin such as https://example.com`);
  }
}

/** Builds the check once per endpoint (a bad list fails when the endpoint is made, not at the first client). */
export function webOriginCheck(allowed: WebAllowedOrigins | undefined): (request: Request) => boolean {
  if (allowed === undefined) return () => true;
  if (typeof allowed === 'function') {
    return (request) => {
      const origin = request.headers.get('origin');
      return origin === null || allowed(origin, request) === true;
    };
  }
  const origins = new Set(allowed.map(normalizeOrigin));
  return (request) => {
    const origin = request.headers.get('origin');
    return origin === null || origins.has(origin.toLowerCase());
  };
}
