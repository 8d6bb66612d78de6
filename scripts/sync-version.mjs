/* global URL */
// Writes src/version.ts from package.json, so that the version is stated in one
// place: tsc cannot import ../package.json from src (rootDir), and reading it at
// run time would need node:fs, which the runtime-neutral core must not load.
import { readFileSync, writeFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const { version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const text = `/** serverwamp's version, generated from package.json by scripts/sync-version.mjs. */\nexport const version = '${version}';\n`;
const target = new URL('src/version.ts', root);
let current = '';
try {
  current = readFileSync(target, 'utf8');
} catch {
  // Not generated yet.
}
if (current !== text) writeFileSync(target, text);
