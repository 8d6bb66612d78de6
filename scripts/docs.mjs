#!/usr/bin/env node
// `npm run docs`: the TypeDoc API reference of every public entry point. The entry points are
// read from package.json's exports, so a new subpath is documented (and checked) as soon as it is
// exported; typedoc.json holds the rest and treats every warning as an error. TypeDoc checks that
// every public symbol has a comment; this script adds the other half of the rule the docs promise:
// every exported class, function, interface, type alias and constant carries an `@example`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { missingExamples } from './api-examples.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** src/ files behind package.json's exports (./dist/x.d.ts → src/x.ts). */
function entryPoints() {
  const { exports } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return Object.values(exports)
    .map((target) => (typeof target === 'string' ? target : target.types))
    .filter((types) => typeof types === 'string' && types.startsWith('./dist/') && types.endsWith('.d.ts'))
    .map((types) => `src/${types.slice('./dist/'.length, -'.d.ts'.length)}.ts`);
}

const argv = process.argv.slice(2);
const jsonAt = argv.indexOf('--json');
const scratch = jsonAt === -1 ? mkdtempSync(join(tmpdir(), 'serverwamp-docs-')) : undefined;
const json = jsonAt === -1 ? join(scratch, 'api.json') : argv[jsonAt + 1];
const args = [
  'node_modules/typedoc/bin/typedoc',
  '--options',
  'typedoc.json',
  ...entryPoints().flatMap((entry) => ['--entryPoints', entry]),
  ...(jsonAt === -1 ? ['--json', json] : []),
  ...argv,
];
const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);

const missing = missingExamples(JSON.parse(readFileSync(json, 'utf8')));
if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
if (missing.length > 0) {
  console.error(`${missing.length} public symbol(s) have no @example:\n  ${missing.join('\n  ')}`);
  process.exit(1);
}
console.log('every public symbol has an @example');
