/**
 * {@link CalleeRegistry}: the procedures one session's client REGISTERed, so
 * that the application can call that client (`session.call`). Registrations
 * belong to their session alone: CALLs from clients still go only to the
 * application's routes, so a client's procedure is only ever invoked by the
 * server. They end with UNREGISTER or with the session.
 * @module
 */
import { authorize } from '../auth/authorize.js';
import { WampError } from '../errors.js';
import { build } from '../protocol/build.js';
import type { IdCounter } from '../protocol/ids.js';
import { MessageType } from '../protocol/message-type.js';
import type { Dict, RegisterMessage, UnregisterMessage } from '../protocol/messages.js';
import { isValidURI, quoteURI, toMatchPolicy, type MatchPolicy, type URIValidation } from '../protocol/uri.js';
import { outboundErrorURI } from '../protocol/uri-outbound.js';
import { WampURI } from '../protocol/uris.js';
import { URIRouter, type ResolvedRoute } from '../routing/uri-router.js';
import type { SessionLink as Session } from '../model/ports.js';

/**
 * The URI sent when a session already holds `maxRegistrations` registrations
 * (default 1000): the client's REGISTER fails with it.
 *
 * @example
 * ```ts
 * import { TOO_MANY_REGISTRATIONS } from 'serverwamp';
 * import { CallError } from 'serverwamp/client';
 *
 * try {
 *   await api.register('ui.confirm', (question) => window.confirm(question));
 * } catch (error) {
 *   if (error instanceof CallError && error.uri === TOO_MANY_REGISTRATIONS) console.warn('the server refused more procedures');
 *   else throw error;
 * }
 * ```
 */
export const TOO_MANY_REGISTRATIONS = 'serverwamp.error.too_many_registrations';

/** Registration settings, from the application options. */
export interface CalleeRegistryOptions {
  readonly uriValidation: URIValidation;
  /** Whether clients may REGISTER at all; otherwise REGISTER gets `wamp.error.not_authorized`. */
  readonly clientRegistrations: boolean;
  readonly maxRegistrations: number;
  /**
   * Registration ids are router-scope: small and sequential, so every
   * serializer keeps them integers. One counter per application, so that two
   * applications in a process number them as two processes would.
   */
  readonly registrationIds: IdCounter;
}

/** One procedure a client registered. */
export interface ClientRegistration {
  /** The registration id sent in REGISTERED and in each INVOCATION. */
  readonly id: number;
  /** The URI, or the pattern for prefix and wildcard registrations. */
  readonly procedure: string;
  readonly match: MatchPolicy;
}

/** The `wamp` namespace belongs to the protocol (spec "URIs"); Crossbar refuses it the same way. */
function isReserved(uri: string): boolean {
  return uri === 'wamp' || uri.startsWith('wamp.');
}

/** One session's registrations. */
export class CalleeRegistry {
  readonly #session: Session;
  readonly #options: CalleeRegistryOptions;
  readonly #byId = new Map<number, ClientRegistration>();
  readonly #router = new URIRouter<ClientRegistration>();
  /** `match procedure` keys of REGISTERs the authorizer is still deciding; they count as held. */
  readonly #authorizing = new Set<string>();

  constructor(session: Session, options: CalleeRegistryOptions) {
    this.#session = session;
    this.#options = options;
  }

  register(msg: RegisterMessage): void {
    const { requestId, procedure, options } = msg;
    if (!this.#options.clientRegistrations) {
      return this.#error(requestId, WampURI.NOT_AUTHORIZED, ['this server answers calls itself; clients cannot register procedures']);
    }
    const match = toMatchPolicy(options['match']);
    if (match === undefined) {
      return this.#error(requestId, WampURI.INVALID_ARGUMENT, ['REGISTER.Options.match must be exact, prefix or wildcard']);
    }
    if (!isValidURI(procedure, this.#options.uriValidation, match)) {
      return this.#error(requestId, WampURI.INVALID_URI, [`invalid ${match} procedure: ${quoteURI(procedure)}`]);
    }
    if (isReserved(procedure)) {
      return this.#error(requestId, WampURI.INVALID_URI, [`${procedure} is in the wamp namespace, which is reserved for the protocol`]);
    }
    const key = `${match} ${procedure}`; // a space cannot occur in a URI
    if (this.#router.has(procedure, match) || this.#authorizing.has(key)) {
      return this.#error(requestId, WampURI.PROCEDURE_ALREADY_EXISTS, [`${procedure} (${match}) is already registered by this session`]);
    }
    if (this.#byId.size + this.#authorizing.size >= this.#options.maxRegistrations) {
      return this.#error(requestId, TOO_MANY_REGISTRATIONS, [`too many registrations (limit ${this.#options.maxRegistrations})`]);
    }
    const authorizer = this.#session.realm.authorizer;
    let verdict: true | Promise<void> = true;
    try {
      if (authorizer !== undefined) {
        verdict = authorize(authorizer, { session: this.#session, action: 'register', uri: procedure, match, options });
      }
    } catch (error) {
      return this.#refused(requestId, error);
    }
    if (verdict === true) return this.#add(requestId, procedure, match);
    this.#authorizing.add(key);
    verdict.then(
      () => {
        // Gone from the set: the session ended meanwhile.
        if (this.#authorizing.delete(key)) this.#add(requestId, procedure, match);
      },
      (error: unknown) => {
        if (this.#authorizing.delete(key)) this.#refused(requestId, error);
      },
    );
  }

  unregister(msg: UnregisterMessage): void {
    const registration = this.#byId.get(msg.registrationId);
    if (registration === undefined) {
      return this.#error(msg.requestId, WampURI.NO_SUCH_REGISTRATION, [`no registration ${msg.registrationId}`], MessageType.UNREGISTER);
    }
    // Invocations in flight stay pending: the client may still answer them.
    this.#byId.delete(registration.id);
    this.#router.delete(registration.procedure, registration.match);
    this.#session.send(build.unregistered(msg.requestId));
  }

  /** The registrations, with those still being authorized. */
  get size(): number {
    return this.#byId.size + this.#authorizing.size;
  }

  /** The registration a call for `procedure` goes to: exact first, then the best prefix, then the best wildcard. */
  resolve(procedure: string): ResolvedRoute<ClientRegistration> | undefined {
    return this.#router.resolve(procedure);
  }

  /** The session ended: its registrations are gone, and pending authorizations are dropped. */
  end(): void {
    for (const registration of this.#byId.values()) this.#router.delete(registration.procedure, registration.match);
    this.#byId.clear();
    this.#authorizing.clear();
  }

  #add(requestId: number, procedure: string, match: MatchPolicy): void {
    let id = this.#options.registrationIds.next();
    while (this.#byId.has(id)) id = this.#options.registrationIds.next(); // only after the counter wrapped
    const registration: ClientRegistration = { id, procedure, match };
    this.#byId.set(id, registration);
    this.#router.add(procedure, match, registration);
    this.#session.send(build.registered(requestId, id));
  }

  #refused(requestId: number, error: unknown): void {
    if (error instanceof WampError) {
      const uri = outboundErrorURI(error.uri, this.#session.logger, 'registration refusal');
      return this.#error(requestId, uri, error.args, MessageType.REGISTER, error.kwargs);
    }
    this.#session.logger.error({ err: error }, 'registration check failed');
    this.#error(requestId, WampURI.RUNTIME_ERROR, ['the registration could not be checked']);
  }

  #error(
    requestId: number,
    uri: string,
    args: readonly unknown[] | undefined,
    requestType: number = MessageType.REGISTER,
    kwargs?: Readonly<Dict>,
  ): void {
    this.#session.send(build.error(requestType, requestId, uri, args, kwargs));
  }
}
