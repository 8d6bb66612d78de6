/**
 * {@link Dealer}: the dealer role of one realm, in WAMP's sense: the
 * procedures it serves, or the one custom handler that answers every CALL
 * in their place. Each session's calls run through its `SessionCalls`.
 * @module
 */
import { URIRouter, type ResolvedRoute } from '../routing/uri-router.js';
import type { Procedure, RawProcedureHandler } from './procedure.js';
import type { RPCRoute } from './route-set.js';

/** The procedures of one realm. */
export class Dealer {
  readonly #procedures = new URIRouter<Procedure>();
  /** The custom RPC handler; when set, routes are not used. */
  rpcHandler: RawProcedureHandler | undefined;

  /** Adds every procedure of the route sets. Throws `ERR_DUPLICATE_ROUTE` if one is already routed. */
  addRoutes(routeSets: readonly Iterable<RPCRoute>[]): void {
    for (const routes of routeSets) {
      for (const route of routes) this.#procedures.add(route.uri, route.match, route.procedure);
    }
  }

  /** The procedure a CALL for `uri` goes to, if any. */
  resolve(uri: string): ResolvedRoute<Procedure> | undefined {
    return this.#procedures.resolve(uri);
  }
}
