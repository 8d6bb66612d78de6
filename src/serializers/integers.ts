/**
 * msgpackr encodes integers above 2^32 as float64, which strict
 * peers (Autobahn|Python, Crossbar) reject for IDs. Before a binary encode,
 * such integers are widened to BigInt so that they travel as uint64/int64.
 * Nothing is copied unless a large integer is present.
 * @module
 */
import { mapContainer } from '../own-properties.js';

const LIMIT = 0xffffffff;

function isLarge(value: number): boolean {
  return (value > LIMIT || value < -LIMIT) && Number.isSafeInteger(value);
}

function hasLarge(value: unknown, depth: number): boolean {
  if (typeof value === 'number') return isLarge(value);
  if (typeof value !== 'object' || value === null || depth > 32 || ArrayBuffer.isView(value)) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (hasLarge(item, depth + 1)) return true;
    return false;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return false;
  for (const key in value) if (hasLarge((value as Record<string, unknown>)[key], depth + 1)) return true;
  return false;
}

function widen(value: unknown, depth: number): unknown {
  if (typeof value === 'number') return isLarge(value) ? BigInt(value) : value;
  if (!hasLarge(value, depth)) return value;
  return mapContainer(value as object, (item) => widen(item, depth + 1));
}

/** Returns `message` itself, or a copy in which integers beyond 32 bits are BigInts. */
export function widenLargeIntegers<T>(message: T): T {
  return widen(message, 0) as T;
}
