/**
 * {@link TokenBucket}: a rate limit of `rate` per second with bursts of up to
 * `burst`, refilled lazily from the clock when a token is asked for, so an
 * idle session costs no timer and no work.
 * @module
 */

/** A rate and the burst allowed above it. */
export interface RateSpec {
  /** Tokens added per second. */
  readonly rate: number;
  /** The most tokens held at once: how many may arrive together after a pause. */
  readonly burst: number;
}

export class TokenBucket {
  readonly #perMs: number;
  readonly #burst: number;
  #tokens: number;
  #last: number;

  constructor(spec: RateSpec, now: number) {
    this.#perMs = spec.rate / 1000;
    this.#burst = spec.burst;
    this.#tokens = spec.burst;
    this.#last = now;
  }

  /** Takes one token if there is one; `now` is in milliseconds. */
  take(now: number): boolean {
    const elapsed = now - this.#last;
    // A clock set back (wall clock) refills nothing, and does not freeze the bucket until it catches up.
    if (elapsed !== 0) this.#last = now;
    if (elapsed > 0) this.#tokens = Math.min(this.#burst, this.#tokens + elapsed * this.#perMs);
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
