/**
 * The serverwamp target with metrics on (`metrics: true`): the RPC part runs
 * it next to the plain one and prints the overhead as a ratio.
 * @module
 */
import type { Target } from './target.js';
import { start as startServerwamp } from './serverwamp.js';

export function start(): Promise<Target> {
  return startServerwamp(true);
}
