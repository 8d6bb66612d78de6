/**
 * {@link RealmAuthentication}: how one realm authenticates its sessions.
 * `Realm` exposes it through its setters; the session engine reads it.
 * @module
 */
import { ServerwampError } from '../errors.js';
import type { AuthenticationHandler } from './types.js';
import type { CryptosignKeyProvider } from './cryptosign.js';
import type { TicketAuthenticator } from './ticket.js';
import type { TransportAuthenticator } from './transport.js';
import { createCRADecoy, type CRADecoy, type CRAOptions } from './cra-decoy.js';
import type { CRAIdentityProvider, CRARequirementProvider } from './wampcra.js';

/** The WAMP-CRA handlers of a realm. */
export interface CRAHandlers {
  readonly requirementProvider: CRARequirementProvider;
  readonly identityProvider: CRAIdentityProvider;
  /** What unknown authids are challenged with. */
  readonly decoy: CRADecoy;
}

/** The challenge methods serverwamp implements, by their WAMP names. */
export type ChallengeMethod = 'ticket' | 'wampcra' | 'cryptosign';

function checkFunction(value: unknown, what: string): void {
  if (typeof value !== 'function') throw new ServerwampError('ERR_INVALID_OPTION', `${what} must be a function`);
}

/** The authentication configuration of one realm. */
export class RealmAuthentication {
  readonly #transportAuthenticators: TransportAuthenticator[] = [];
  #ticket: TicketAuthenticator | undefined;
  #cra: CRAHandlers | undefined;
  #cryptosign: CryptosignKeyProvider | undefined;
  #handler: AuthenticationHandler | undefined;

  addTransportAuthenticator(authenticator: TransportAuthenticator): void {
    checkFunction(authenticator, 'a transport authenticator');
    this.#transportAuthenticators.push(authenticator);
  }

  setTicketAuthenticator(authenticator: TicketAuthenticator | undefined): void {
    if (authenticator !== undefined) checkFunction(authenticator, 'the ticket authenticator');
    this.#ticket = authenticator;
  }

  setCRAHandlers(requirementProvider: CRARequirementProvider, identityProvider: CRAIdentityProvider, options?: CRAOptions): void {
    checkFunction(requirementProvider, 'the CRA requirement provider');
    checkFunction(identityProvider, 'the CRA identity provider');
    this.#cra = { requirementProvider, identityProvider, decoy: createCRADecoy(options) };
  }

  setCryptosignAuthenticator(keyProvider: CryptosignKeyProvider | undefined): void {
    if (keyProvider !== undefined) checkFunction(keyProvider, 'the cryptosign key provider');
    this.#cryptosign = keyProvider;
  }

  setAuthenticationHandler(handler: AuthenticationHandler | undefined): void {
    if (handler !== undefined) checkFunction(handler, 'the authentication handler');
    this.#handler = handler;
  }

  get transportAuthenticators(): readonly TransportAuthenticator[] {
    return this.#transportAuthenticators;
  }

  get ticket(): TicketAuthenticator | undefined {
    return this.#ticket;
  }

  get cra(): CRAHandlers | undefined {
    return this.#cra;
  }

  get cryptosign(): CryptosignKeyProvider | undefined {
    return this.#cryptosign;
  }

  get handler(): AuthenticationHandler | undefined {
    return this.#handler;
  }

  /** Whether sessions must authenticate; otherwise they are welcomed as anonymous. */
  get required(): boolean {
    return this.#handler !== undefined || this.#transportAuthenticators.length > 0 || this.challengeMethods.length > 0;
  }

  /** The challenge methods configured, in no particular order (the client's preference decides). */
  get challengeMethods(): readonly ChallengeMethod[] {
    const methods: ChallengeMethod[] = [];
    if (this.#ticket !== undefined) methods.push('ticket');
    if (this.#cra !== undefined) methods.push('wampcra');
    if (this.#cryptosign !== undefined) methods.push('cryptosign');
    return methods;
  }
}
