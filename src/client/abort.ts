/**
 * Giving up a call when its `signal` aborts: CANCEL is sent (by the
 * library's own cancel) and the promise rejects at once with
 * `wamp.error.canceled`, whatever the library, and whatever answer arrives later.
 * @module
 */
import { CallError } from './errors.js';

/** The WAMP URI of a canceled call. */
const CANCELED = 'wamp.error.canceled';

function canceled(signal: AbortSignal, message: string): CallError {
  return new CallError(CANCELED, [message], {}, { cause: signal.reason });
}

/** Runs `start` unless `signal` has aborted; an abort afterwards runs `cancel` and rejects. */
export function abortable<T>(signal: AbortSignal | undefined, start: () => Promise<T>, cancel: () => void): Promise<T> {
  if (signal === undefined) return start();
  if (signal.aborted) return Promise.reject(canceled(signal, 'the call was canceled before it was sent'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      try {
        cancel();
      } catch {
        // The library refused (the session closed, say): the caller still gets the cancellation.
      }
      reject(canceled(signal, 'the call was canceled'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    start().then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
