/**
 * The result rule (docs/typed-client.md): every client library's answer is
 * first brought to one {@link Payload}, then `call` takes its single value.
 * @module
 */
import type { Payload } from '../api-shape.js';
import { TypedClientError } from './errors.js';

type Dict = Readonly<Record<string, unknown>>;

const EMPTY: Dict = Object.freeze({});

function hasKeys(kwargs: Dict): boolean {
  for (const _ in kwargs) return true;
  return false;
}

/**
 * A payload from what the wire carried. One `null` and no keyword arguments
 * counts as no arguments: autobahn-js resolves both alike, so every client
 * gets the same.
 */
export function payload(args: readonly unknown[] | undefined, kwargs: Dict | undefined): Payload {
  const list = Array.isArray(args) ? (args as readonly unknown[]) : [];
  const dict = typeof kwargs === 'object' && kwargs !== null ? kwargs : EMPTY;
  if (list.length === 1 && list[0] === null && !hasKeys(dict)) return { args: [], kwargs: dict };
  return { args: list, kwargs: dict };
}

/**
 * What `call` resolves to: nothing is `null`, keyword arguments alone are
 * the object, one positional argument is that value. Anything else has no
 * single-value form; the procedure is called with `callResult`.
 */
export function singleValue(uri: string, result: Payload): unknown {
  const keywords = hasKeys(result.kwargs);
  if (result.args.length === 0) return keywords ? result.kwargs : null;
  if (result.args.length === 1 && !keywords) return result.args[0];
  throw new TypedClientError(
    'ERR_RESULT_SHAPE',
    `${uri} answered ${result.args.length} positional and ${Object.keys(result.kwargs).length} keyword arguments, which have no single-value form: call it with callResult`,
  );
}
