/**
 * Picks the one route for a URI, following the WAMP rules for pattern-based
 * registrations: an exact route wins; then the longest matching prefix
 * (counted in components, then characters); then the wildcard pattern with the
 * longest run of matching leading components.
 * @module
 */
import { ServerwampError } from '../errors.js';
import { matchesWildcard, type MatchPolicy } from '../protocol/uri.js';

/** A route found by {@link URIRouter.resolve}. */
export interface ResolvedRoute<T> {
  readonly value: T;
  /** The URI or pattern the route was added with. */
  readonly pattern: string;
  readonly match: MatchPolicy;
}

interface PatternRoute<T> extends ResolvedRoute<T> {
  readonly parts: readonly string[];
}

function componentCount(uri: string): number {
  let n = 1;
  for (let i = 0; i < uri.length; i++) if (uri.charCodeAt(i) === 46) n++;
  return n;
}

/** Compares two wildcard patterns that both match: the one with more literal leading components wins. */
function wildcardRank(parts: readonly string[]): number[] {
  return parts.map((p) => (p === '' ? 0 : 1));
}

/** Whether a wildcard route matches every URI a wildcard pattern (split into parts) can match. */
function coversWildcard(routeParts: readonly string[], parts: readonly string[]): boolean {
  if (routeParts.length !== parts.length) return false;
  return routeParts.every((p, i) => p === '' || p === parts[i]);
}

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return 0;
}

/** URI → value table with exact, prefix and wildcard routes. */
export class URIRouter<T> {
  readonly #exact = new Map<string, ResolvedRoute<T>>();
  readonly #prefixes: PatternRoute<T>[] = [];
  readonly #wildcards: PatternRoute<T>[] = [];

  add(pattern: string, match: MatchPolicy, value: T): void {
    if (this.has(pattern, match)) {
      throw new ServerwampError('ERR_DUPLICATE_ROUTE', `a ${match} route for ${JSON.stringify(pattern)} already exists`);
    }
    const route = { value, pattern, match, parts: match === 'wildcard' ? pattern.split('.') : [] };
    if (match === 'exact') this.#exact.set(pattern, route);
    else if (match === 'prefix') this.#prefixes.push(route);
    else this.#wildcards.push(route);
  }

  has(pattern: string, match: MatchPolicy): boolean {
    if (match === 'exact') return this.#exact.has(pattern);
    const list = match === 'prefix' ? this.#prefixes : this.#wildcards;
    return list.some((r) => r.pattern === pattern);
  }

  /** Removes the route added with this pattern and policy; returns whether there was one. */
  delete(pattern: string, match: MatchPolicy): boolean {
    if (match === 'exact') return this.#exact.delete(pattern);
    const list = match === 'prefix' ? this.#prefixes : this.#wildcards;
    const index = list.findIndex((r) => r.pattern === pattern);
    if (index < 0) return false;
    list.splice(index, 1);
    return true;
  }

  get size(): number {
    return this.#exact.size + this.#prefixes.length + this.#wildcards.length;
  }

  resolve(uri: string): ResolvedRoute<T> | undefined {
    return (
      this.#exact.get(uri) ??
      this.#bestPrefix((prefix) => uri.startsWith(prefix)) ??
      this.#bestWildcard((parts) => matchesWildcard(parts, uri))
    );
  }

  /**
   * The route serving a pattern subscription: the one that matches every URI
   * the pattern can match. A route with the same pattern and policy wins; then
   * the longest covering prefix; then the most specific covering wildcard.
   * For `exact`, the same as {@link resolve}.
   */
  resolveCovering(pattern: string, match: MatchPolicy): ResolvedRoute<T> | undefined {
    if (match === 'exact') return this.resolve(pattern);
    const same = (match === 'prefix' ? this.#prefixes : this.#wildcards).find((r) => r.pattern === pattern);
    if (same !== undefined) return same;
    // Every URI a pattern matches starts with its literal lead: all of a prefix, or a wildcard up to its first empty component.
    const parts = match === 'wildcard' ? pattern.split('.') : [];
    const firstEmpty = parts.indexOf('');
    const lead = match === 'prefix' || firstEmpty < 0 ? pattern : parts.slice(0, firstEmpty).map((p) => `${p}.`).join('');
    return (
      this.#bestPrefix((prefix) => lead.startsWith(prefix)) ??
      (match === 'wildcard' ? this.#bestWildcard((routeParts) => coversWildcard(routeParts, parts)) : undefined)
    );
  }

  #bestPrefix(matches: (prefix: string) => boolean): PatternRoute<T> | undefined {
    let best: PatternRoute<T> | undefined;
    for (const route of this.#prefixes) {
      if (!matches(route.pattern)) continue;
      if (
        best === undefined ||
        componentCount(route.pattern) > componentCount(best.pattern) ||
        (componentCount(route.pattern) === componentCount(best.pattern) && route.pattern.length > best.pattern.length)
      ) {
        best = route;
      }
    }
    return best;
  }

  #bestWildcard(matches: (parts: readonly string[]) => boolean): PatternRoute<T> | undefined {
    let best: PatternRoute<T> | undefined;
    for (const route of this.#wildcards) {
      if (!matches(route.parts)) continue;
      if (best === undefined || compareRanks(wildcardRank(route.parts), wildcardRank(best.parts)) > 0) best = route;
    }
    return best;
  }
}
