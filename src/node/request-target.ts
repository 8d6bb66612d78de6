/**
 * The target of an HTTP upgrade request, parsed without trusting it. A client
 * chooses every byte of the request line: `new URL()` rejects targets such as
 * `//a:99999` or `http://[::1`, and such a throw in an `upgrade` listener
 * would end the process. Here it only makes the target unusable.
 * @module
 */

/** The parsed target of a request: its path (without the query) and its query parameters. */
export interface RequestTarget {
  readonly path: string;
  readonly query: URLSearchParams;
}

const BASE = 'http://localhost';

/** Parses `url` (a request target), or returns `undefined` if it is not one. */
export function parseRequestTarget(url: string | undefined): RequestTarget | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url ?? '/', BASE);
  } catch {
    return undefined;
  }
  return { path: parsed.pathname, query: parsed.searchParams };
}
