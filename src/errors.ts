/**
 * Errors: {@link WampError} is what a procedure throws to answer with a WAMP
 * ERROR; {@link ServerwampError} is what serverwamp throws at the application
 * for misuse, each with a stable `code` (see docs/errors.md).
 * @module
 */
import type { Dict } from './protocol/messages.js';

/** A short, safe description of a value for an error message. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/**
 * The payload of an ERROR: the second argument of `new WampError(uri, payload)`,
 * sent to the caller as the ERROR's positional and keyword arguments.
 *
 * @example
 * ```ts
 * import { WampError, type WampErrorPayload } from 'serverwamp';
 *
 * const payload: WampErrorPayload = { args: ['No such document'], kwargs: { id: docId } };
 * throw new WampError('app.error.not_found', payload);
 * ```
 */
export interface WampErrorPayload {
  /** Positional arguments of the ERROR. */
  args?: readonly unknown[];
  /** Keyword arguments of the ERROR. */
  kwargs?: Readonly<Dict>;
}

/**
 * Thrown from a procedure (or anywhere serverwamp runs application code) to
 * send the caller a WAMP ERROR with this URI and payload.
 *
 * @example
 * ```ts
 * throw new WampError('app.error.not_found', { args: ['No such user'], kwargs: { id } });
 * ```
 */
export class WampError extends Error {
  /** Always `WampError`. */
  override readonly name = 'WampError';
  /** The error URI the caller receives, e.g. `app.error.not_found`. */
  readonly uri: string;
  /** Positional arguments of the ERROR. */
  readonly args: readonly unknown[] | undefined;
  /** Keyword arguments of the ERROR. */
  readonly kwargs: Readonly<Dict> | undefined;

  /** An error with the URI `uri`; throws `ServerwampError` `ERR_INVALID_URI` without one. */
  constructor(uri: string, payload: WampErrorPayload = {}) {
    // A WampError without a URI is a programming error: fail where it is made. (A string that is
    // not a valid URI is caught when the ERROR is sent: it is logged and replaced by runtime_error.)
    if (typeof uri !== 'string' || uri === '') {
      throw new ServerwampError('ERR_INVALID_URI', `new WampError(uri): the URI must be a WAMP URI like 'app.error.not_found', got ${describe(uri)}`);
    }
    if (typeof payload !== 'object' || payload === null) {
      throw new ServerwampError('ERR_INVALID_ARGUMENT', `new WampError(uri, payload): the payload must be { args?, kwargs? }, got ${describe(payload)}`);
    }
    if (payload.args !== undefined && !Array.isArray(payload.args)) {
      throw new ServerwampError('ERR_INVALID_ARGUMENT', `new WampError(uri, { args }): args must be an array, got ${describe(payload.args)}`);
    }
    if (payload.kwargs !== undefined && (typeof payload.kwargs !== 'object' || payload.kwargs === null || Array.isArray(payload.kwargs))) {
      throw new ServerwampError('ERR_INVALID_ARGUMENT', `new WampError(uri, { kwargs }): kwargs must be an object, got ${describe(payload.kwargs)}`);
    }
    const first = payload.args?.[0];
    super(typeof first === 'string' ? `${uri}: ${first}` : uri);
    this.uri = uri;
    this.args = payload.args;
    this.kwargs = payload.kwargs;
  }
}

/**
 * Stable codes of {@link ServerwampError} (docs/errors.md): what to match
 * instead of the message, which may change.
 *
 * @example
 * ```ts
 * import { ServerwampError, type ServerwampErrorCode } from 'serverwamp';
 *
 * try {
 *   routes.route('files list', () => []); // a space: not a valid URI
 * } catch (error) {
 *   const code: ServerwampErrorCode | undefined = error instanceof ServerwampError ? error.code : undefined;
 *   if (code !== 'ERR_INVALID_URI') throw error;
 * }
 * ```
 */
export type ServerwampErrorCode =
  | 'ERR_INVALID_URI'
  | 'ERR_DUPLICATE_ROUTE'
  | 'ERR_INVALID_OPTION'
  | 'ERR_DUPLICATE_REALM'
  | 'ERR_SESSION_CLOSED'
  | 'ERR_CHALLENGE_PENDING'
  | 'ERR_UNSUPPORTED_PROTOCOL'
  | 'ERR_INVALID_ARGUMENT'
  | 'ERR_ALREADY_ATTACHED';

/**
 * Misuse of the serverwamp API by the application.
 *
 * @example
 * ```ts
 * try {
 *   new Application({ callTimout: 1000 } as never);
 * } catch (error) {
 *   if (error instanceof ServerwampError) error.code; // 'ERR_INVALID_OPTION'
 * }
 * ```
 */
export class ServerwampError extends Error {
  /** Always `ServerwampError`. */
  override readonly name = 'ServerwampError';
  /** A misuse of the API, with its stable `code`. */
  constructor(
    /** The stable code of the misuse, listed in docs/errors.md. */
    readonly code: ServerwampErrorCode,
    message: string,
  ) {
    super(message);
  }
}
