/**
 * Writing keys that came from a client (`__proto__`, `constructor`…) as plain
 * own properties. Assignment (`obj[key] = value`) would run the `__proto__`
 * setter and change the object's prototype; `defineProperty` never does.
 * @module
 */

/** Sets `obj[key] = value` as an own, enumerable data property. */
export function defineOwn(obj: object, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A copy of an array or a plain object with every element or value passed through `map`. */
export function mapContainer(value: object, map: (item: unknown) => unknown): unknown {
  if (Array.isArray(value)) return value.map(map);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) defineOwn(out, key, map((value as Record<string, unknown>)[key]));
  return out;
}
