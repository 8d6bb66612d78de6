/**
 * Two-part handlers: topic handlers and session state handlers are async
 * generators whose code before `yield` is the "open" part and whose code after
 * it is the "close" part (the Python original's pattern). A handler may also be a plain
 * (async) function, which has an open part only.
 * @module
 */

/**
 * What a two-part handler returns: an (async) generator, whose code before
 * its first `yield` is the open part and after it the close part; or anything
 * else (a promise is awaited), for a handler with an open part only.
 *
 * @example
 * ```ts
 * import type { LifecycleReturn, Session } from 'serverwamp';
 *
 * // A two-part handler: the part after `yield` runs when the session ends.
 * async function* trackOnline(session: Session): LifecycleReturn {
 *   subscribers.add(session);
 *   yield;
 *   subscribers.delete(session);
 * }
 * app.addSessionStateHandler(trackOnline);
 * ```
 */
export type LifecycleReturn = unknown;

/** A handler whose open part has completed. */
export interface OpenedLifecycle {
  /** Runs the close part (the code after `yield`). Never rejects: failures go to `onError`. */
  close(): Promise<void>;
}

const NOTHING_TO_CLOSE: OpenedLifecycle = { close: () => Promise.resolve() };

function isIterator(value: unknown): value is AsyncIterator<unknown> | Iterator<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as Iterator<unknown>).next === 'function';
}

/**
 * Runs the open part of a handler's return value. Rejects with whatever the
 * open part threw. `onError` receives failures of the close part, and a note
 * when the handler yields more than once (the extra parts are skipped).
 */
export async function openLifecycle(
  value: LifecycleReturn,
  onError: (error: unknown, message: string) => void,
): Promise<OpenedLifecycle> {
  if (!isIterator(value)) {
    await value;
    return NOTHING_TO_CLOSE;
  }
  const iterator = value;
  const first = await iterator.next();
  if (first.done === true) return NOTHING_TO_CLOSE;
  let closed = false;
  return {
    async close() {
      if (closed) return;
      closed = true;
      try {
        const second = await iterator.next();
        if (second.done !== true) {
          onError(undefined, 'a two-part handler yielded more than once; the rest of it was skipped');
          await iterator.return?.();
        }
      } catch (error) {
        onError(error, 'the close part of a handler failed');
      }
    },
  };
}

/** Runs the close parts of several opened handlers, last opened first. */
export async function closeAll(opened: readonly OpenedLifecycle[]): Promise<void> {
  for (let i = opened.length - 1; i >= 0; i--) await opened[i]!.close();
}
