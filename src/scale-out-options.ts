/**
 * How `new Application` checks its scale-out options: by the methods each
 * interface needs, so that a wrong object fails at startup, not at the first
 * publication.
 * @module
 */
import type { OptionSpec } from './options.js';

function withMethods(expected: string, methods: readonly string[]): OptionSpec {
  return {
    expected,
    accepts: (value) =>
      typeof value === 'object' && value !== null && methods.every((name) => typeof (value as Record<string, unknown>)[name] === 'function'),
  };
}

export const backplaneSpec = withMethods('a Backplane (start, publish and close methods)', ['start', 'publish', 'close']);
export const retainedStoreSpec: OptionSpec = {
  expected: "a RetainedStore (retain, matching and clear methods, scope 'node' or 'cluster')",
  accepts: (value) =>
    withMethods('', ['retain', 'matching', 'clear']).accepts(value) && ['node', 'cluster'].includes((value as { scope?: unknown }).scope as string),
};
export const sessionDirectorySpec = withMethods('a SessionDirectory (add, delete, get, values and query methods)', ['add', 'delete', 'get', 'values', 'query']);
