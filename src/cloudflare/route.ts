/**
 * The Worker in front of the Durable Objects: it sends each WAMP upgrade to
 * the object that hosts the application (by name), and answers what is not
 * an upgrade itself, without waking an object.
 * @module
 */
import { ServerwampError } from '../errors.js';
import { notFound, preflight } from './preflight.js';
import type { DurableObjectNamespaceLike } from './workerd.js';

/**
 * Options of {@link routeToDurableObject}.
 *
 * @example
 * ```ts
 * import { routeToDurableObject, type DurableObjectRoute } from 'serverwamp/cloudflare';
 *
 * // One object per team, named by the subdomain: acme.chat.example.com → the object "acme".
 * const route: DurableObjectRoute = {
 *   binding: 'ROOMS',
 *   path: '/ws',
 *   objectName: (_request, url) => /^([a-z0-9-]{1,32})\.chat\.example\.com$/.exec(url.hostname)?.[1],
 * };
 * export default routeToDurableObject(route);
 * ```
 */
export interface DurableObjectRoute {
  /** The name of the Durable Object namespace binding in `env` (e.g. `ROOMS`). */
  binding: string;
  /** The only path WAMP is served on, e.g. `/ws`; other paths get 404. Default: every path. */
  path?: string;
  /**
   * The name of the object that serves this upgrade (one object, one
   * application), or `undefined` to answer 404. Default: one object,
   * `default`. Every distinct name is an object: bound what a client may pick.
   */
  objectName?: (request: Request, url: URL) => string | undefined;
}

/**
 * A Worker's default export: `fetch` with its `env`.
 *
 * @example
 * ```ts
 * import { routeToDurableObject, type WorkerHandler } from 'serverwamp/cloudflare';
 *
 * const wamp: WorkerHandler = routeToDurableObject({ binding: 'ROOMS', path: '/ws' });
 * // The Worker's own routes first; WAMP upgrades go on to the object.
 * export default {
 *   fetch(request: Request, env: Env) {
 *     return new URL(request.url).pathname === '/ws' ? wamp.fetch(request, env) : new Response('chat');
 *   },
 * } satisfies WorkerHandler;
 * ```
 */
export interface WorkerHandler {
  /**
   * Called by the runtime for each request to the Worker, with the Worker's bindings as `env`:
   * forwards a WAMP upgrade to its Durable Object, answers anything else itself.
   */
  fetch(request: Request, env: unknown): Response | Promise<Response>;
}

/**
 * A Worker that forwards WAMP upgrades to a Durable Object; the object
 * negotiates the subprotocol and its 101 goes back to the client unchanged.
 * Throws `ERR_INVALID_OPTION` for malformed options, and from `fetch` if
 * `env` has no such namespace binding (the runtime answers 500).
 *
 * @example
 * ```ts
 * export default routeToDurableObject({
 *   binding: 'ROOMS',
 *   path: '/ws',
 *   objectName: (_request, url) => /^[a-z0-9-]{1,32}$/.exec(url.searchParams.get('room') ?? 'lobby')?.[0],
 * });
 * ```
 */
export function routeToDurableObject(route: DurableObjectRoute): WorkerHandler {
  if (typeof route !== 'object' || route === null || typeof route.binding !== 'string' || route.binding === '') {
    throw new ServerwampError('ERR_INVALID_OPTION', 'routeToDurableObject: binding must name a Durable Object namespace binding');
  }
  const { binding, path, objectName = () => 'default' } = route;
  if (path !== undefined && (typeof path !== 'string' || !path.startsWith('/'))) throw new ServerwampError('ERR_INVALID_OPTION', 'routeToDurableObject: path must start with /');
  if (typeof objectName !== 'function') throw new ServerwampError('ERR_INVALID_OPTION', 'routeToDurableObject: objectName must be a function');
  return {
    fetch(request, env) {
      const url = preflight(request, path);
      if (url instanceof Response) return url;
      const name = objectName(request, url);
      if (name === undefined) return notFound('No such WAMP endpoint.');
      const namespace = (env as Record<string, DurableObjectNamespaceLike | undefined> | undefined)?.[binding];
      if (typeof namespace?.idFromName !== 'function') {
        throw new ServerwampError('ERR_INVALID_OPTION', `routeToDurableObject: env.${binding} is not a Durable Object namespace binding`);
      }
      return namespace.get(namespace.idFromName(name)).fetch(request);
    },
  };
}
