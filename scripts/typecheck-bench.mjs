/* global URL */
// Type-checks bench/ against its own peers (bench/package.json). They are not part of the main
// install: without bench/node_modules this check is skipped loudly, and fails under CI=true
// (.ci/run installs them with `npm --prefix bench ci --ignore-scripts`).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync(new URL('../bench/node_modules/socket.io/package.json', import.meta.url))) {
  const message = 'bench/node_modules is missing: run `npm --prefix bench ci --ignore-scripts` (or `npm run bench` once)';
  if (process.env.CI === 'true') {
    console.error(`typecheck:bench: ${message}`);
    process.exit(1);
  }
  console.warn(`\n*** SKIPPING typecheck:bench: ${message} ***\n`);
  process.exit(0);
}
const result = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'bench/tsconfig.json'], { stdio: 'inherit' });
process.exit(result.status ?? 1);
