/**
 * {@link SessionSlots}: the application's `maxSessions` and
 * `maxSessionsPerRealm`. A slot is taken when HELLO is accepted, so sessions
 * still authenticating count too (a burst of slow handshakes cannot overshoot
 * the limit), and given back when the session ends or its transport closes.
 * @module
 */
import type { Refusals } from './refusals.js';

/** A session may open (give its slot back with `release`, once), or is refused (`refused`: the ABORT message). */
export type SessionAdmission = { readonly release: () => void; readonly refused?: undefined } | { readonly refused: string };

/**
 * The ABORT reason of a HELLO over a session limit.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { Application, TOO_MANY_SESSIONS } from 'serverwamp';
 * import { connectTestPeer } from 'serverwamp/testing';
 *
 * const app = new Application({ limits: { maxSessions: 1 } });
 * const first = connectTestPeer(app);
 * first.send([1, 'realm1', { roles: { caller: {} } }]); // HELLO
 * await first.next();                                   // WELCOME
 * const second = connectTestPeer(app);
 * second.send([1, 'realm1', { roles: { caller: {} } }]);
 * const [type, details, reason] = await second.next();  // ABORT: [3, { message }, reason]
 * assert.equal(reason, TOO_MANY_SESSIONS);
 * ```
 */
export const TOO_MANY_SESSIONS = 'serverwamp.error.too_many_sessions';

export class SessionSlots {
  readonly #max: number;
  readonly #maxPerRealm: number;
  readonly #refusals: Refusals;
  readonly #perRealm = new Map<object, number>();
  #total = 0;

  constructor(max: number, maxPerRealm: number, refusals: Refusals) {
    this.#max = max;
    this.#maxPerRealm = maxPerRealm;
    this.#refusals = refusals;
  }

  /** Sessions holding a slot (established or being established). */
  get size(): number {
    return this.#total;
  }

  /** Takes a slot in `realm` (the realm object, whatever name the client used), or says which limit refuses it. */
  admit(realm: object): SessionAdmission {
    if (this.#total >= this.#max) {
      this.#refusals.refused('maxSessions');
      return { refused: `the server has reached its session limit (maxSessions ${this.#max}); try again later` };
    }
    const inRealm = this.#perRealm.get(realm) ?? 0;
    if (inRealm >= this.#maxPerRealm) {
      this.#refusals.refused('maxSessionsPerRealm');
      return { refused: `this realm has reached its session limit (maxSessionsPerRealm ${this.#maxPerRealm}); try again later` };
    }
    this.#total++;
    this.#perRealm.set(realm, inRealm + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.#total--;
        const left = this.#perRealm.get(realm)! - 1;
        if (left === 0) this.#perRealm.delete(realm);
        else this.#perRealm.set(realm, left);
      },
    };
  }
}
