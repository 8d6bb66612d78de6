/**
 * Errors: {@link WampError} is what a procedure throws to answer with a WAMP
 * ERROR; {@link ServerwampError} is what serverwamp throws at the application
 * for misuse, each with a stable `code` (see docs/errors.md).
 * @module
 */
import type { Dict } from './protocol/messages.js';

/** The payload of an ERROR. */
export interface WampErrorPayload {
  args?: readonly unknown[];
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
  override readonly name = 'WampError';
  readonly uri: string;
  readonly args: readonly unknown[] | undefined;
  readonly kwargs: Readonly<Dict> | undefined;

  constructor(uri: string, payload: WampErrorPayload = {}) {
    const first = payload.args?.[0];
    super(typeof first === 'string' ? `${uri}: ${first}` : uri);
    this.uri = uri;
    this.args = payload.args;
    this.kwargs = payload.kwargs;
  }
}

/** Stable codes of {@link ServerwampError}. */
export type ServerwampErrorCode =
  | 'ERR_INVALID_URI'
  | 'ERR_DUPLICATE_ROUTE'
  | 'ERR_INVALID_OPTION'
  | 'ERR_DUPLICATE_REALM'
  | 'ERR_SESSION_CLOSED'
  | 'ERR_CHALLENGE_PENDING'
  | 'ERR_UNSUPPORTED_PROTOCOL';

/** Misuse of the serverwamp API by the application. */
export class ServerwampError extends Error {
  override readonly name = 'ServerwampError';
  constructor(
    readonly code: ServerwampErrorCode,
    message: string,
  ) {
    super(message);
  }
}
