/**
 * {@link CallMeter}: the counters of one procedure label, looked up once per
 * call (not once per counter), so that a call with metrics on costs two
 * clock reads and a few additions.
 * @module
 */
import type { Buckets, Cell, HistogramFamily, SampleFamily } from './families.js';
import type { ErrorClasses } from './labels.js';

/** How a call ended: a RESULT, an ERROR (its URI tells canceled and timeout apart), or no reply (the session ended first). */
export type CallEnd = 'ok' | 'error' | 'aborted';

const CANCELED = 'wamp.error.canceled';
const TIMEOUT = 'wamp.error.timeout';

/** The `outcome` label of a call that ended with `end` and, for an error, `error`. */
export function outcomeOf(end: CallEnd, error: string | undefined): string {
  if (end !== 'error') return end;
  return error === CANCELED ? 'canceled' : error === TIMEOUT ? 'timeout' : 'error';
}

/** One procedure label's call counters and duration series. */
export class CallMeter {
  readonly #procedure: string;
  readonly #calls: SampleFamily;
  readonly #errors: ErrorClasses;
  readonly #durations: HistogramFamily;
  readonly #now: () => number;
  // Made on first use: a series appears once something is counted in it.
  #ok: Cell | undefined;
  #duration: Buckets | undefined;

  constructor(procedure: string, calls: SampleFamily, durations: HistogramFamily, errors: ErrorClasses, now: () => number) {
    this.#procedure = procedure;
    this.#calls = calls;
    this.#durations = durations;
    this.#errors = errors;
    this.#now = now;
  }

  /** A call that ran ended; `started` is the clock's reading when it started. */
  ended(started: number, end: CallEnd, error?: string): void {
    if (end === 'ok') (this.#ok ??= this.#calls.cell(this.#procedure, 'ok', '')).value++;
    else this.refused(end, error);
    (this.#duration ??= this.#durations.series(this.#procedure)).observe((this.#now() - started) / 1000);
  }

  /** A call that ended without running (`end` `error`), or any other end, counted without a duration. */
  refused(end: CallEnd, error?: string): void {
    const errorLabel = end === 'error' && error !== undefined ? this.#errors.of(error) : '';
    this.#calls.cell(this.#procedure, outcomeOf(end, error), errorLabel).value++;
  }
}
