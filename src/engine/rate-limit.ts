/**
 * {@link RateLimiter}: one connection's rate limits on the requests its
 * sessions send (all of them, and calls alone), and the count of refusals
 * that marks a client as a persistent offender, to be aborted.
 * @module
 */
import { TokenBucket, type RateSpec } from './token-bucket.js';

/** The rate limits a connection runs with (from the application's `limits`). */
export interface RateLimitSettings {
  /** Requests of every kind (CALL, PUBLISH, SUBSCRIBE, UNSUBSCRIBE, REGISTER, UNREGISTER). */
  readonly messages: RateSpec | undefined;
  readonly calls: RateSpec | undefined;
  /** Refusals within `refusalWindow` ms that end the session with ABORT; 0 never does. */
  readonly abortAfterRefusals: number;
  readonly refusalWindow: number;
  /** Milliseconds, from any origin. */
  readonly clock: () => number;
}

/** Which limit refused a request. */
export type RateRefusal = 'messages' | 'calls';

export class RateLimiter {
  readonly #settings: RateLimitSettings;
  readonly #messages: TokenBucket | undefined;
  readonly #calls: TokenBucket | undefined;
  #windowStart = 0;
  #refusals = 0;

  constructor(settings: RateLimitSettings) {
    this.#settings = settings;
    const now = settings.clock();
    this.#messages = settings.messages === undefined ? undefined : new TokenBucket(settings.messages, now);
    this.#calls = settings.calls === undefined ? undefined : new TokenBucket(settings.calls, now);
  }

  /** Takes what one request costs; answers the limit that refuses it, if any. */
  take(isCall: boolean): RateRefusal | undefined {
    const now = this.#settings.clock();
    if (this.#messages !== undefined && !this.#messages.take(now)) return 'messages';
    if (isCall && this.#calls !== undefined && !this.#calls.take(now)) return 'calls';
    return undefined;
  }

  /** Records a refusal; true once the client has been refused `abortAfterRefusals` times within the window. */
  refused(): boolean {
    const { abortAfterRefusals, refusalWindow, clock } = this.#settings;
    const now = clock();
    if (now - this.#windowStart >= refusalWindow || now < this.#windowStart) {
      this.#windowStart = now;
      this.#refusals = 0;
    }
    this.#refusals++;
    return abortAfterRefusals > 0 && this.#refusals >= abortAfterRefusals;
  }
}
