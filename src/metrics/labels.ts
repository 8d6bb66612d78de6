/**
 * Bounded label values. A label value must never be something a client
 * chose (a procedure URI it called, an auth method it offered) or anything
 * that grows without bound (session ids): each metric would otherwise get
 * one series per distinct value, and a client could exhaust memory or the
 * monitoring system. Unknown values collapse into one fixed value.
 * @module
 */
import { WampURI } from '../protocol/uris.js';

/** The `procedure` label of a call that matched no registered route (including invalid URIs). */
export const UNKNOWN_PROCEDURE = '(unknown)';
/** The `procedure` label of a call served by a custom RPC handler (it has no route pattern). */
export const CUSTOM_PROCEDURE = '(custom)';
/** The `error` label of an error URI that is neither WAMP's, serverwamp's nor one the application declared. */
const OTHER_ERROR = '(other)';
/** The `realm` label of the default realm. */
export const DEFAULT_REALM = '(default)';
/** The `method` label of an authentication method serverwamp does not know. */
const OTHER_METHOD = '(other)';

/** The error URIs serverwamp itself sends, besides WAMP's predefined ones. */
const SERVERWAMP_ERRORS = [
  'serverwamp.error.too_many_calls',
  'serverwamp.error.shutting_down',
  'serverwamp.error.too_many_registrations',
  'serverwamp.error.too_many_invocations',
  'serverwamp.error.too_many_subscriptions',
  'serverwamp.error.too_many_publications',
  'serverwamp.error.node_unreachable',
  'serverwamp.error.rate_limited',
  'serverwamp.error.too_many_sessions',
];

/** The authentication methods serverwamp implements or names (`custom` for a handler's own challenges). */
const AUTH_METHODS = new Set(['anonymous', 'ticket', 'wampcra', 'cryptosign', 'cookie', 'tls', 'custom', 'none']);

/** Classifies error URIs into a fixed set: the known ones, and {@link OTHER_ERROR}. */
export class ErrorClasses {
  readonly #known: ReadonlySet<string>;

  constructor(declared: readonly string[]) {
    this.#known = new Set([...Object.values(WampURI), ...SERVERWAMP_ERRORS, ...declared]);
  }

  /** The `error` label for `uri`. */
  of(uri: string): string {
    return this.#known.has(uri) ? uri : OTHER_ERROR;
  }
}

/** The `method` label for an authentication method name. */
export function authMethodLabel(method: string | undefined): string {
  if (method === undefined) return 'none';
  return AUTH_METHODS.has(method) ? method : OTHER_METHOD;
}
