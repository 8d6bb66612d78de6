/**
 * URI validation (WAMP spec "URIs") and the three match policies used by
 * subscriptions and registrations: exact, prefix and wildcard.
 * @module
 */

/**
 * How strictly URIs from clients are checked: the application's `uriValidation`
 * option. `loose` (default) refuses only empty components, `#` and whitespace;
 * `strict` allows lower-case letters, digits and `_`.
 *
 * @example
 * ```ts
 * import { Application, type URIValidation } from 'serverwamp';
 *
 * const uriValidation: URIValidation = 'strict'; // 'Chat.Room' is then wamp.error.invalid_uri
 * const app = new Application({ uriValidation });
 * ```
 */
export type URIValidation = 'loose' | 'strict';

/**
 * The WAMP `match` policies: how a registration, subscription or route URI
 * matches (`request.route.match`, an authorizer's `match`, `RPCRoute.match`).
 *
 * @example
 * ```ts
 * import type { MatchPolicy } from 'serverwamp';
 *
 * routes.prefixRoute('reports.', (request) => {
 *   const match: MatchPolicy | undefined = request.route?.match; // 'prefix'
 *   return { called: request.procedure, pattern: request.route?.pattern, match };
 * });
 * ```
 */
export type MatchPolicy = 'exact' | 'prefix' | 'wildcard';

const LOOSE = /^([^\s.#]+\.)*([^\s.#]+)$/;
const LOOSE_EMPTY = /^(([^\s.#]+\.)|\.)*([^\s.#]+)?$/;
const LOOSE_LAST_EMPTY = /^([^\s.#]+\.)*([^\s.#]*)$/;
const STRICT = /^([0-9a-z_]+\.)*([0-9a-z_]+)$/;
const STRICT_EMPTY = /^(([0-9a-z_]+\.)|\.)*([0-9a-z_]+)?$/;
const STRICT_LAST_EMPTY = /^([0-9a-z_]+\.)*([0-9a-z_]*)$/;

/**
 * Whether `uri` is valid for the given match policy. Exact URIs need non-empty
 * components; wildcard patterns may have empty ones; prefixes may end with `.`.
 */
export function isValidURI(uri: string, validation: URIValidation = 'loose', match: MatchPolicy = 'exact'): boolean {
  if (uri.length === 0) return match === 'prefix';
  const strict = validation === 'strict';
  switch (match) {
    case 'exact':
      return (strict ? STRICT : LOOSE).test(uri);
    case 'wildcard':
      return (strict ? STRICT_EMPTY : LOOSE_EMPTY).test(uri);
    case 'prefix':
      return (strict ? STRICT_LAST_EMPTY : LOOSE_LAST_EMPTY).test(uri);
  }
}

/** Parses a `match` option value; `undefined` means the default, exact. */
export function toMatchPolicy(value: unknown): MatchPolicy | undefined {
  if (value === undefined || value === 'exact') return 'exact';
  if (value === 'prefix' || value === 'wildcard') return value;
  return undefined;
}

/** Whether a concrete URI matches a wildcard pattern (empty components match any one component). */
export function matchesWildcard(patternParts: readonly string[], uri: string): boolean {
  const parts = uri.split('.');
  if (parts.length !== patternParts.length) return false;
  for (let i = 0; i < parts.length; i++) {
    const p = patternParts[i];
    if (p !== '' && p !== parts[i]) return false;
  }
  return true;
}

/** How much of a client's URI an error message quotes. */
const QUOTED_LENGTH = 100;

/** A URI for an error message: JSON-quoted, and cut short so a huge one is not echoed back. */
export function quoteURI(uri: string): string {
  return uri.length <= QUOTED_LENGTH ? JSON.stringify(uri) : `${JSON.stringify(uri.slice(0, QUOTED_LENGTH))}…`;
}
