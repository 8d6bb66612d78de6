/**
 * Authorization: one function per realm decides whether a session may call a
 * procedure, register one of its own, subscribe to a topic, or publish to it,
 * the way WAMP routers
 * authorize by authrole (Crossbar's dynamic authorizers). Denied →
 * `wamp.error.not_authorized`; an authorizer that fails →
 * `wamp.error.authorization_failed`, with nothing about the failure disclosed.
 * @module
 */
import { WampError } from '../errors.js';
import type { AuthorizationRequest, AuthorizedAction, Authorizer } from '../model/authorization.js';
import { WampURI } from '../protocol/uris.js';

const VERBS: Readonly<Record<AuthorizedAction, string>> = {
  call: 'call',
  register: 'register',
  subscribe: 'subscribe to',
  publish: 'publish to',
};

function denied(request: AuthorizationRequest): WampError {
  return new WampError(WampURI.NOT_AUTHORIZED, { args: [`not authorized to ${VERBS[request.action]} ${request.uri}`] });
}

function failed(request: AuthorizationRequest, error: unknown): WampError {
  request.session.logger.error({ err: error, action: request.action, uri: request.uri }, 'authorizer failed');
  return new WampError(WampURI.AUTHORIZATION_FAILED, { args: ['the authorization check failed'] });
}

/**
 * Asks `authorizer`. Returns `true` when it allowed synchronously; throws a
 * {@link WampError} when it refused or failed synchronously; otherwise
 * returns a promise that resolves when allowed and rejects with a WampError.
 */
export function authorize(authorizer: Authorizer, request: AuthorizationRequest): true | Promise<void> {
  let verdict: boolean | Promise<boolean>;
  try {
    verdict = authorizer(request);
  } catch (error) {
    throw failed(request, error);
  }
  if (verdict === true) return true;
  if (verdict === false) throw denied(request);
  return Promise.resolve(verdict).then(
    (allowed) => {
      if (allowed !== true) throw denied(request);
    },
    (error: unknown) => {
      throw failed(request, error);
    },
  );
}

/** Runs `next` once `authorizer` (if any) allowed the request; refusals throw or reject with a WampError. */
export function authorized<T>(authorizer: Authorizer | undefined, request: () => AuthorizationRequest, next: () => T): T | Promise<T> {
  if (authorizer === undefined) return next();
  const verdict = authorize(authorizer, request());
  return verdict === true ? next() : verdict.then(next);
}
