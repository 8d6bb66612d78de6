/**
 * The facade's errors: {@link CallError} for a WAMP ERROR (the same whatever
 * the client library), {@link TypedClientError} for misuse of the facade.
 * @module
 */

/**
 * A WAMP ERROR answered to a call, publication, subscription or registration, or a call given up.
 *
 * @example
 * ```ts
 * try {
 *   await api.call('math.add', { number1: 2, number2: 3 });
 * } catch (error) {
 *   if (error instanceof CallError && error.uri === 'wamp.error.invalid_argument') console.log(error.kwargs);
 *   else throw error;
 * }
 * ```
 */
export class CallError extends Error {
  /** The error URI, such as `wamp.error.invalid_argument`, `wamp.error.canceled` or an application's own. */
  readonly uri: string;
  /** The ERROR's positional arguments (`[]` when it has none). */
  readonly args: readonly unknown[];
  /** The ERROR's keyword arguments (`{}` when it has none); serverwamp puts a `message` here. */
  readonly kwargs: Readonly<Record<string, unknown>>;

  /**
   * An error for `uri` with the ERROR's arguments; its message is `uri`, followed by
   * `kwargs.message` (or else `args[0]`) when that is a string. A client procedure may throw one
   * to answer the server with that ERROR (wampy keeps `uri`, `args` and `kwargs`).
   */
  constructor(uri: string, args: readonly unknown[] = [], kwargs: Readonly<Record<string, unknown>> = {}, options?: { cause?: unknown }) {
    super(describe(uri, args, kwargs), options);
    this.name = 'CallError';
    this.uri = uri;
    this.args = args;
    this.kwargs = kwargs;
  }
}

function describe(uri: string, args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>): string {
  const message = typeof kwargs['message'] === 'string' ? kwargs['message'] : typeof args[0] === 'string' ? args[0] : undefined;
  return message === undefined ? uri : `${uri}: ${message}`;
}

/**
 * Codes of {@link TypedClientError} (docs/errors.md): a client object `typedSession` does not
 * know, or a RESULT `call` cannot give as one value (a list: use `callResult`).
 *
 * @example
 * ```ts
 * import { TypedClientError, type TypedClientErrorCode } from 'serverwamp/client';
 *
 * const hints: Record<TypedClientErrorCode, string> = {
 *   ERR_UNSUPPORTED_CLIENT: 'typedSession takes an autobahn-js Session or a Wampy instance',
 *   ERR_RESULT_SHAPE: 'this procedure answers a list: call it with callResult',
 * };
 * window.addEventListener('unhandledrejection', ({ reason }) => {
 *   if (reason instanceof TypedClientError) console.error(hints[reason.code]);
 * });
 * ```
 */
export type TypedClientErrorCode = 'ERR_UNSUPPORTED_CLIENT' | 'ERR_RESULT_SHAPE';

/**
 * The facade was misused: a client object it does not know, or `call` on a procedure that answers a list.
 *
 * @example
 * ```ts
 * try {
 *   typedSession<AppAPI>({});
 * } catch (error) {
 *   if (error instanceof TypedClientError) console.log(error.code); // 'ERR_UNSUPPORTED_CLIENT'
 * }
 * ```
 */
export class TypedClientError extends Error {
  /** What was wrong (docs/errors.md). */
  readonly code: TypedClientErrorCode;
  /** An error with its `code` and a message naming the misuse. */
  constructor(code: TypedClientErrorCode, message: string) {
    super(message);
    this.name = 'TypedClientError';
    this.code = code;
  }
}
