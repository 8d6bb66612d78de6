/* global URL */
// `npm run bench` calls this first: the peers the benchmark compares against
// (fox-wamp, which builds sqlite3 with node-gyp, and socket.io) live in
// bench/package.json so that the main install stays light. They are installed
// from bench/package-lock.json on first use, and again when that lock changes.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bench = fileURLToPath(new URL('.', import.meta.url));
const lock = new URL('package-lock.json', import.meta.url);
// Written after a full install only: CI's type-only install (--ignore-scripts, no sqlite3 build) leaves none.
const stamp = new URL('node_modules/.serverwamp-bench-installed', import.meta.url);

if (!existsSync(stamp) || statSync(stamp).mtimeMs < statSync(lock).mtimeMs) {
  console.log('installing the benchmark peers (bench/package.json; fox-wamp compiles sqlite3, about a minute)…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: bench, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) {
    console.error('could not install the benchmark peers: see the npm output above');
    process.exit(result.status ?? 1);
  }
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}
