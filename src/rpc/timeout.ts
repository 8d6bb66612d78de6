/**
 * Call timeouts and Node timers: a delay above 2^31 - 1 ms makes `setTimeout`
 * fire after 1 ms and write a TimeoutOverflowWarning. A longer timeout is
 * clamped rather than refused: it is a valid spec `integer`, and "not before
 * this" still holds for any call that lasts ~24.8 days.
 * @module
 */

/** The longest call timeout in effect, in ms (2^31 - 1, about 24.8 days). */
const MAX_CALL_TIMEOUT = 2 ** 31 - 1;

/** `ms`, or {@link MAX_CALL_TIMEOUT} if it is longer. */
export function clampTimeout(ms: number): number {
  return ms > MAX_CALL_TIMEOUT ? MAX_CALL_TIMEOUT : ms;
}
