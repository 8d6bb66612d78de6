/**
 * A fresh consumer project in a temporary directory: the packed serverwamp
 * tarball as `serverwamp.tgz` next to the files of test/consumer/.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const FIXTURE = join(ROOT, 'test', 'consumer');

/**
 * The lockfile records no integrity for the tarball: every build packs
 * different bytes, and npm ci checks an integrity only when one is recorded.
 */
export function stripTarballIntegrity(lock: { packages: Record<string, { integrity?: string }> }): void {
  delete lock.packages['node_modules/serverwamp']?.integrity;
}

/** Packs the package (npm runs its build first) and lays out a consumer project around it. */
export function prepareConsumer(): string {
  const dir = mkdtempSync(join(tmpdir(), 'serverwamp-consumer-'));
  const output = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] });
  const [packed] = JSON.parse(output.slice(output.indexOf('['))) as Array<{ filename: string }>;
  renameSync(join(dir, packed!.filename), join(dir, 'serverwamp.tgz'));
  for (const name of readdirSync(FIXTURE)) copyFileSync(join(FIXTURE, name), join(dir, name));
  return dir;
}
