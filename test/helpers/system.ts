/**
 * System components some tests need (installed by .ci/run from Debian
 * packages). Locally a missing one skips its test with a loud message; in CI
 * (CI=true) it fails the test.
 */
import { execFileSync } from 'node:child_process';
import type { TestContext } from 'node:test';

/** True if `command args…` runs successfully. */
export function commandWorks(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

/** Skips `t` loudly (or fails it in CI) unless `available`. Returns whether the test may go on. */
export function requireComponent(t: Pick<TestContext, 'name' | 'skip'>, available: boolean, what: string, install: string): boolean {
  if (available) return true;
  if (process.env['CI'] === 'true') throw new Error(`${what} is required in CI (${install})`);
  console.warn(`\n*** SKIPPING "${t.name}": ${what} is not installed (${install}) ***\n`);
  t.skip(`${what} missing`);
  return false;
}
