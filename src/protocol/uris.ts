/**
 * Predefined WAMP error and close reason URIs used by the server.
 * @module
 */

/**
 * The WAMP error and close reason URIs serverwamp sends, by name.
 *
 * @enum
 * @example
 * ```ts
 * import { WampError, WampURI } from 'serverwamp';
 *
 * throw new WampError(WampURI.NOT_AUTHORIZED); // 'wamp.error.not_authorized'
 * ```
 */
export const WampURI = {
  // errors
  INVALID_URI: 'wamp.error.invalid_uri',
  NO_SUCH_PROCEDURE: 'wamp.error.no_such_procedure',
  PROCEDURE_ALREADY_EXISTS: 'wamp.error.procedure_already_exists',
  NO_SUCH_REGISTRATION: 'wamp.error.no_such_registration',
  NO_SUCH_SUBSCRIPTION: 'wamp.error.no_such_subscription',
  INVALID_ARGUMENT: 'wamp.error.invalid_argument',
  CANCELED: 'wamp.error.canceled',
  TIMEOUT: 'wamp.error.timeout',
  RUNTIME_ERROR: 'wamp.error.runtime_error',
  PAYLOAD_SIZE_EXCEEDED: 'wamp.error.payload_size_exceeded',
  PROTOCOL_VIOLATION: 'wamp.error.protocol_violation',
  NOT_AUTHORIZED: 'wamp.error.not_authorized',
  AUTHORIZATION_FAILED: 'wamp.error.authorization_failed',
  NO_SUCH_REALM: 'wamp.error.no_such_realm',
  NO_SUCH_ROLE: 'wamp.error.no_such_role',
  NO_SUCH_SESSION: 'wamp.error.no_such_session',
  AUTHENTICATION_FAILED: 'wamp.error.authentication_failed',
  NO_MATCHING_AUTH_METHOD: 'wamp.error.no_matching_auth_method',
  FEATURE_NOT_SUPPORTED: 'wamp.error.feature_not_supported',
  OPTION_NOT_ALLOWED: 'wamp.error.option_not_allowed',
  // close reasons
  CLOSE_SYSTEM_SHUTDOWN: 'wamp.close.system_shutdown',
  CLOSE_REALM: 'wamp.close.close_realm',
  GOODBYE_AND_OUT: 'wamp.close.goodbye_and_out',
  CLOSE_KILLED: 'wamp.close.killed',
} as const;
