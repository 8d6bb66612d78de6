/**
 * {@link Realm}: a namespace with its own procedures (and, later, topics),
 * authenticators and handlers. Application-level setters configure the
 * default realm.
 * @module
 */
import type { AuthenticationHandler } from './auth/authenticator.js';
import type { CryptosignKeyProvider } from './auth/cryptosign.js';
import { RealmAuthentication } from './auth/realm-authentication.js';
import type { TicketAuthenticator } from './auth/ticket.js';
import type { TransportAuthenticator } from './auth/transport.js';
import type { CRAIdentityProvider, CRARequirementProvider } from './auth/wampcra.js';
import { ServerwampError } from './errors.js';
import { isValidURI } from './protocol/uri.js';
import type { RawProcedureHandler } from './rpc/procedure.js';
import type { Procedure } from './rpc/procedure.js';
import type { RPCRoute } from './rpc/route-set.js';
import { URIRouter, type ResolvedRoute } from './routing/uri-router.js';

/**
 * A WAMP realm served by the application.
 *
 * @example
 * ```ts
 * const admins = new Realm('admins');
 * admins.addRPCRoutes(adminApi);
 * admins.setTicketAuthenticator((session, ticket) => tokens.get(ticket));
 * app.addRealm(admins);
 * ```
 */
export class Realm {
  /** The realm URI clients name in HELLO; `undefined` for the default realm. */
  readonly name: string | undefined;
  /**
   * The values procedures of this realm receive as `request.context`. Realms
   * added to an application without one get the application's `context`.
   */
  context: unknown;
  /** How sessions of this realm authenticate; configure it with the setters below. */
  readonly authentication = new RealmAuthentication();
  readonly #procedures = new URIRouter<Procedure>();
  #rpcHandler: RawProcedureHandler | undefined;

  /** @param name The realm URI; leave it out only for the application's default realm. */
  constructor(name?: string) {
    if (name !== undefined && !isValidURI(name, 'loose')) {
      throw new ServerwampError('ERR_INVALID_URI', `${JSON.stringify(name)} is not a valid realm URI`);
    }
    this.name = name;
  }

  /** Adds every procedure of a route set. Throws `ERR_DUPLICATE_ROUTE` if one is already routed. */
  addRPCRoutes(...routeSets: Iterable<RPCRoute>[]): this {
    for (const routes of routeSets) {
      for (const route of routes) this.#procedures.add(route.uri, route.match, route.procedure);
    }
    return this;
  }

  /**
   * Replaces procedure routing with one function that answers every CALL of
   * this realm, like a raw route handler. Routes added with `addRPCRoutes` are
   * then not used.
   */
  setRPCHandler<Context = unknown>(handler: RawProcedureHandler<Context> | undefined): this {
    this.#rpcHandler = handler as RawProcedureHandler | undefined;
    return this;
  }

  /** The custom RPC handler, if one is set. */
  get rpcHandler(): RawProcedureHandler | undefined {
    return this.#rpcHandler;
  }

  /** The procedure a CALL for `uri` goes to, if any. */
  resolveProcedure(uri: string): ResolvedRoute<Procedure> | undefined {
    return this.#procedures.resolve(uri);
  }

  /**
   * Adds a transport authenticator. They run in the order added, before any
   * challenge; the first to return an identity authenticates the session.
   */
  addTransportAuthenticator(authenticator: TransportAuthenticator): this {
    this.authentication.addTransportAuthenticator(authenticator);
    return this;
  }

  /** Sets the realm's ticket authenticator (one per realm; `undefined` removes it). */
  setTicketAuthenticator(authenticator: TicketAuthenticator | undefined): this {
    this.authentication.setTicketAuthenticator(authenticator);
    return this;
  }

  /**
   * Sets the realm's WAMP-CRA handlers: `requirementProvider` returns the
   * secret and role for the claimed authid; `identityProvider` is called only
   * once the client proved the secret, and returns the session's identity.
   */
  setCRAHandlers(requirementProvider: CRARequirementProvider, identityProvider: CRAIdentityProvider): this {
    this.authentication.setCRAHandlers(requirementProvider, identityProvider);
    return this;
  }

  /** Enables WAMP-Cryptosign: `keyProvider` returns the identity for a proven public key (`undefined` disables). */
  setCryptosignAuthenticator(keyProvider: CryptosignKeyProvider | undefined): this {
    this.authentication.setCryptosignAuthenticator(keyProvider);
    return this;
  }

  /** Replaces the whole authentication flow of the realm with `handler` (`undefined` restores the built-in one). */
  setAuthenticationHandler(handler: AuthenticationHandler | undefined): this {
    this.authentication.setAuthenticationHandler(handler);
    return this;
  }
}
