/**
 * The authorization question a realm's authorizer answers. The decision
 * itself is made in `auth/authorize.ts`.
 * @module
 */
import type { Dict } from '../protocol/messages.js';
import type { MatchPolicy } from '../protocol/uri.js';
import type { Session } from './session.js';

/**
 * What a session is asking to do: the `action` of an {@link AuthorizationRequest}.
 *
 * @example
 * ```ts
 * import type { AuthorizedAction } from 'serverwamp';
 *
 * const writes: ReadonlySet<AuthorizedAction> = new Set(['register', 'publish']);
 * app.setAuthorizer(({ session, action }) => !writes.has(action) || session.authrole !== 'viewer');
 * ```
 */
export type AuthorizedAction = 'call' | 'register' | 'subscribe' | 'publish';

/**
 * One authorization question: what an {@link Authorizer} receives, once per
 * call, registration, subscription and publication.
 *
 * @example
 * ```ts
 * import type { AuthorizationRequest } from 'serverwamp';
 *
 * app.setAuthorizer(async ({ session, action, uri, match }: AuthorizationRequest) => {
 *   if (match !== 'exact' && session.authrole !== 'admin') return false; // patterns are for admins
 *   return permissions.allows(session.authid, action, uri);
 * });
 * ```
 */
export interface AuthorizationRequest {
  /** The session asking. */
  readonly session: Session;
  /** What it asks to do: `call`, `register`, `subscribe` or `publish`. */
  readonly action: AuthorizedAction;
  /** The procedure or topic URI (a pattern, for prefix and wildcard registrations and subscriptions). */
  readonly uri: string;
  /** The match policy of a registration or subscription; `exact` for calls and publications. */
  readonly match: MatchPolicy;
  /** The CALL, REGISTER, SUBSCRIBE or PUBLISH options. */
  readonly options: Readonly<Dict>;
}

/**
 * Decides whether a session may perform an action: `true` to allow, `false`
 * to refuse, or a promise of either. Runs before the procedure or topic
 * handler, for every call, registration, subscription and publication of
 * the realm.
 *
 * @example
 * ```ts
 * app.setAuthorizer(({ session, action, uri }) =>
 *   !uri.startsWith('admin.') || session.authrole === 'admin');
 * ```
 */
export type Authorizer = (request: AuthorizationRequest) => boolean | Promise<boolean>;
