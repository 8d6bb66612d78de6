/**
 * WAMP IDs: integers in [1, 2^53]. Clients using msgpack or CBOR may send them
 * as BigInt or as integral floats, so every incoming ID goes through {@link toId}.
 * @module
 */

/** The largest ID the spec allows (2^53). */
export const MAX_ID = 2 ** 53;

/** Normalises an incoming ID (number, BigInt or integral float) or returns `undefined` if it is not one. */
export function toId(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= 1 && value <= MAX_ID ? value : undefined;
  }
  if (typeof value === 'bigint') {
    return value >= 1n && value <= BigInt(MAX_ID) ? Number(value) : undefined;
  }
  return undefined;
}

// Random IDs are drawn from a pool of crypto-random words refilled in bulk
// (one Web Crypto call per 256 IDs: this is on the session-id path).
const pool = new Uint32Array(512);
let poolIndex = pool.length;

function randomWord(): number {
  if (poolIndex >= pool.length) {
    globalThis.crypto.getRandomValues(pool);
    poolIndex = 0;
  }
  return pool[poolIndex++]!;
}

/**
 * A uniformly random global-scope ID in [1, 2^53 - 1]. 2^53 itself is left out
 * because several msgpack/CBOR libraries encode it as a float.
 */
export function randomGlobalId(): number {
  for (;;) {
    const high = randomWord() & 0x1fffff; // 21 bits
    const id = high * 0x100000000 + randomWord();
    if (id !== 0) return id;
  }
}

/**
 * Router-scope IDs (subscriptions, registrations): sequential and small, so that
 * every serializer round-trips them as plain integers.
 */
export class IdCounter {
  #next = 1;
  next(): number {
    const id = this.#next;
    this.#next = id >= 0x7fffffff ? 1 : id + 1;
    return id;
  }
}
