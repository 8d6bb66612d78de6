/**
 * Session state handlers: two-part handlers that run when a session opens and
 * when it ends, e.g. to load per-session data and to save it.
 * @module
 */
import type { Session } from '../model/session.js';
import { closeAll, openLifecycle, type LifecycleReturn, type OpenedLifecycle } from './lifecycle.js';

/**
 * Runs for each session of a realm: the part before `yield` before the
 * session is welcomed (throw to refuse it; a `WampError` gives the ABORT
 * reason), the part after it once the session has ended, after the close
 * parts of its subscriptions.
 *
 * @example
 * ```ts
 * app.addSessionStateHandler(async function* (session) {
 *   session.data.user = await users.load(session.authid);   // on open…
 *   yield;
 *   await users.saveLastSeen(session.data.user);             // on close…
 * });
 * ```
 */
export type SessionStateHandler = (session: Session) => LifecycleReturn;

/**
 * Options of a session state handler.
 *
 * @example
 * ```ts
 * app.addSessionStateHandler(
 *   async function* (session) {
 *     metrics.increment('sessions.open', { authrole: session.authrole });
 *     yield;
 *     metrics.increment('sessions.closed', { authrole: session.authrole });
 *   },
 *   { authenticatedOnly: false }, // anonymous sessions too
 * );
 * ```
 */
export interface SessionStateOptions {
  /**
   * Run only for authenticated sessions (default true), that is sessions
   * whose `authmethod` is not `anonymous`. Set false to run for every session.
   */
  authenticatedOnly?: boolean;
}

/** A handler as a realm keeps it. */
export interface SessionStateRegistration {
  readonly handler: SessionStateHandler;
  readonly authenticatedOnly: boolean;
}

/** The handlers that apply to `session`. */
export function stateHandlersFor(session: Session, registrations: readonly SessionStateRegistration[]): SessionStateRegistration[] {
  return registrations.filter((r) => !r.authenticatedOnly || session.authmethod !== 'anonymous');
}

/**
 * Runs the open parts one after another, in the order the handlers were
 * added. If one fails, those already opened are closed and the error is rethrown.
 */
export async function openSessionState(
  session: Session,
  registrations: readonly SessionStateRegistration[],
): Promise<OpenedLifecycle[]> {
  const opened: OpenedLifecycle[] = [];
  const onError = (error: unknown, message: string): void => session.logger.error({ err: error }, message);
  try {
    for (const { handler } of registrations) opened.push(await openLifecycle(handler(session), onError));
  } catch (error) {
    await closeAll(opened);
    throw error;
  }
  return opened;
}
