/**
 * The graceful shutdown of an application (`app.close()`): its options and
 * the drain of its connections. New sessions and new calls are refused at
 * once; calls in flight may finish until the deadline, then are canceled;
 * every session is told GOODBYE and its reply awaited, briefly.
 * @module
 */
import type { Connection } from './engine/connection.js';
import type { ShutdownNotice } from './engine/handshake.js';
import { ServerwampError } from './errors.js';
import { checkOptions, string, timerDelay } from './options.js';
import { isValidURI } from './protocol/uri.js';
import { WampURI } from './protocol/uris.js';
import { CloseCode } from './transport.js';

/**
 * Options of `app.close()`.
 *
 * @example
 * ```ts
 * process.once('SIGTERM', () => void app.close({ timeout: 20_000, reason: 'wamp.close.system_shutdown', message: 'deploying' }));
 * ```
 */
export interface CloseOptions {
  /**
   * Milliseconds the calls in flight may take to finish (default 10 000).
   * Those still running then get `ERROR wamp.error.canceled` and their
   * `request.signal` aborts. `0` cancels them at once.
   */
  timeout?: number;
  /** The GOODBYE reason sent to every session, and the ABORT reason of a HELLO during the shutdown (default `wamp.close.system_shutdown`). */
  reason?: string;
  /** A message for clients, sent as the GOODBYE's and ABORT's `details.message`. */
  message?: string;
  /**
   * Milliseconds to wait for the clients' GOODBYE replies before the
   * remaining transports are closed (default 1000, or the application's
   * `goodbyeTimeout` if shorter).
   */
  goodbyeWait?: number;
}

const closeOptionShape = { timeout: timerDelay, reason: string, message: string, goodbyeWait: timerDelay };

/** What a shutdown runs with, `CloseOptions` checked and defaulted. */
export interface Shutdown extends ShutdownNotice {
  readonly timeout: number;
  readonly goodbyeWait: number;
}

const DEFAULT_TIMEOUT = 10_000;
const DEFAULT_GOODBYE_WAIT = 1000;
/** A message for clients is a short sentence; a longer one is the application's mistake, not a payload. */
const MAX_MESSAGE_LENGTH = 1000;

/** Checks `options` (throws `ServerwampError` `ERR_INVALID_OPTION` / `ERR_INVALID_URI`) and fills in the defaults. */
export function shutdownOf(options: CloseOptions | undefined, goodbyeTimeout: number): Shutdown {
  checkOptions(options, closeOptionShape, 'close');
  const { timeout = DEFAULT_TIMEOUT, reason = WampURI.CLOSE_SYSTEM_SHUTDOWN, message, goodbyeWait } = options ?? {};
  if (!isValidURI(reason, 'loose')) throw new ServerwampError('ERR_INVALID_URI', 'close: reason must be a valid URI');
  if (message !== undefined && message.length > MAX_MESSAGE_LENGTH) {
    throw new ServerwampError('ERR_INVALID_OPTION', `close: message must be at most ${MAX_MESSAGE_LENGTH} characters`);
  }
  const waitBound = goodbyeTimeout > 0 ? Math.min(goodbyeTimeout, DEFAULT_GOODBYE_WAIT) : DEFAULT_GOODBYE_WAIT;
  return { timeout, reason, message, goodbyeWait: goodbyeWait ?? waitBound };
}

/** Resolves after `ms`, or at once when `until` settles first; leaves no timer behind. */
async function waitAtMost(ms: number, until: Promise<unknown>): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([until.then(() => true), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** What a drain needs from the application. */
export interface DrainHost {
  /** The connections open now. */
  connections(): Connection[];
  /** Resolves once every connection has closed. */
  allClosed(): Promise<void>;
}

/**
 * Drains `host`'s connections; the host already refuses HELLO and CALL
 * (its `shutdown` is set). Resolves when every connection has closed.
 */
export async function drain(host: DrainHost, shutdown: Shutdown): Promise<void> {
  for (const connection of host.connections()) connection.drainStarted();
  const idle = Promise.all(host.connections().map((connection) => connection.whenCallsIdle()));
  if (shutdown.timeout > 0) await waitAtMost(shutdown.timeout, idle);
  // RESULTs already sent stay ahead of these in each transport's FIFO, so they reach the client before GOODBYE.
  const canceled = 'the call was canceled: the server is shutting down';
  for (const connection of host.connections()) connection.cancelCalls(canceled);
  for (const connection of host.connections()) connection.shutDown(shutdown.reason, shutdown.message);
  if (shutdown.goodbyeWait > 0) await waitAtMost(shutdown.goodbyeWait, host.allClosed());
  for (const connection of host.connections()) connection.close(CloseCode.GOING_AWAY, 'server shutting down');
}
