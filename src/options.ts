/**
 * The one way serverwamp checks an options object: against a declared shape,
 * once, when the object is handed over (never per message). A misspelt key or
 * a value of the wrong type would otherwise be silently ignored and the
 * default used instead, which is worse than failing at startup.
 * @module
 */
import { ServerwampError } from './errors.js';

/** What one option accepts. */
export interface OptionSpec {
  /** Phrase completing "`key` must be …", e.g. `a non-negative number`. */
  readonly expected: string;
  readonly accepts: (value: unknown) => boolean;
  /** For nested option objects: their own shape, checked key by key. */
  readonly shape?: OptionShape;
}

/** The options an object may hold, by key. */
export type OptionShape = Readonly<Record<string, OptionSpec>>;

function spec(expected: string, accepts: (value: unknown) => boolean): OptionSpec {
  return { expected, accepts };
}

const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null && !Array.isArray(value);

export const anyValue = spec('anything', () => true);
export const boolean = spec('a boolean', (value) => typeof value === 'boolean');
export const string = spec('a string', (value) => typeof value === 'string');
export const func = spec('a function', (value) => typeof value === 'function');
export const stringList = spec('a list of strings', (value) => Array.isArray(value) && value.every((item) => typeof item === 'string'));
export const nonNegativeNumber = spec('a non-negative number', (value) => typeof value === 'number' && value >= 0 && !Number.isNaN(value));
export const nonNegativeFinite = spec('a non-negative number', (value) => typeof value === 'number' && Number.isFinite(value) && value >= 0);
export const nonNegativeInteger = spec('a non-negative integer', (value) => Number.isSafeInteger(value) && (value as number) >= 0);
// Node's timers fire after 1 ms (with a warning) for any longer delay.
export const timerDelay = spec('a number of milliseconds from 0 to 2147483647', (value) => typeof value === 'number' && value >= 0 && value <= 2 ** 31 - 1);
export const urlPath = spec("a URL path starting with '/'", (value) => typeof value === 'string' && value.startsWith('/'));
export const port = spec('a port number from 0 to 65535', (value) => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 65_535);

/** One of a few strings, e.g. `oneOf('drop', 'close')`. */
export function oneOf(...values: readonly string[]): OptionSpec {
  return spec(values.map((value) => `'${value}'`).join(' or '), (value) => typeof value === 'string' && values.includes(value));
}

/** Any of several kinds of value, e.g. `either(boolean, nested(rawSocketShape))`. */
export function either(...specs: readonly OptionSpec[]): OptionSpec {
  const shape = specs.find((s) => s.shape !== undefined)?.shape;
  const accepts = (value: unknown): boolean => specs.some((s) => s.accepts(value));
  return shape === undefined ? spec(specs.map((s) => s.expected).join(' or '), accepts) : { expected: specs.map((s) => s.expected).join(' or '), accepts, shape };
}

/** A nested options object, itself checked against `shape`. */
export function nested(shape: OptionShape): OptionSpec {
  return { expected: 'an object', accepts: isObject, shape };
}

/** Levenshtein distance, only ever run on short option names. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1);
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length]!;
}

function suggestion(key: string, shape: OptionShape): string {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const candidate of Object.keys(shape)) {
    const d = distance(key, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best === undefined ? '' : ` (did you mean ${best}?)`;
}

// Keys come from the caller's own code, but can be anything: keep messages short.
function printable(key: string): string {
  return /^[\w$-]{1,64}$/.test(key) ? key : JSON.stringify(key.length > 64 ? `${key.slice(0, 64)}…` : key);
}

function invalid(where: string, message: string): never {
  throw new ServerwampError('ERR_INVALID_OPTION', where === '' ? message : `${where}: ${message}`);
}

function checkShape(value: object, shape: OptionShape, path: string, where: string): void {
  for (const key of Object.keys(value)) {
    const keyPath = `${path}${printable(key)}`;
    if (!Object.hasOwn(shape, key)) invalid(where, `${keyPath} is not an option${suggestion(key, shape)}`);
    const option = (value as Record<string, unknown>)[key];
    // An explicit undefined means "the default", as for an absent key.
    if (option === undefined) continue;
    const optionSpec = shape[key]!;
    if (!optionSpec.accepts(option)) invalid(where, `${keyPath} must be ${optionSpec.expected}`);
    if (optionSpec.shape !== undefined && isObject(option)) checkShape(option, optionSpec.shape, `${keyPath}.`, where);
  }
}

/**
 * Checks `options` (undefined counts as `{}`) against `shape`: an unknown key
 * or a value of the wrong type throws `ServerwampError` `ERR_INVALID_OPTION`
 * naming the key's full path. `where` (e.g. `listen`) prefixes the message
 * and `path` the key (e.g. `events.`), for options nested in another call.
 */
export function checkOptions(options: unknown, shape: OptionShape, where = '', path = ''): void {
  if (options === undefined) return;
  if (!isObject(options)) invalid(where, `${path === '' ? 'the options' : path.slice(0, -1)} must be an object`);
  checkShape(options, shape, path, where);
}
