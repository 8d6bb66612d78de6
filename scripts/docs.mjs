#!/usr/bin/env node
// `npm run docs`: the TypeDoc API reference of every public entry point. The entry points are
// read from package.json's exports, so a new subpath is documented (and checked) as soon as it is
// exported; typedoc.json holds the rest and treats every warning as an error.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** src/ files behind package.json's exports (./dist/x.d.ts → src/x.ts). */
function entryPoints() {
  const { exports } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return Object.values(exports)
    .map((target) => (typeof target === 'string' ? target : target.types))
    .filter((types) => typeof types === 'string' && types.startsWith('./dist/') && types.endsWith('.d.ts'))
    .map((types) => `src/${types.slice('./dist/'.length, -'.d.ts'.length)}.ts`);
}

const args = ['node_modules/typedoc/bin/typedoc', '--options', 'typedoc.json', ...entryPoints().flatMap((entry) => ['--entryPoints', entry]), ...process.argv.slice(2)];
const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
