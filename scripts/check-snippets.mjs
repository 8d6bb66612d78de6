#!/usr/bin/env node
// Every ```ts block of README.md and docs/*.md is type-checked against src/, so the docs cannot
// drift from the API again. The info string after `ts` says what else happens to a block:
//
//   ```ts                  type-checked; names it does not declare (app, routes, session…) come
//                          from the hidden prelude, scripts/snippet-prelude.d.ts
//   ```ts run              type-checked, and run by test/docs-snippets.test.ts: it must exit 0
//   ```ts serve call=P args=[…] result=R
//                          type-checked, and started by the test with PORT=0: once it prints a
//                          ws:// URL, a real client calls P with args and expects R, then SIGINT
//                          must end it with exit code 0
//   ```ts no-check         not checked: shell-like or pseudo code (kept rare; counted below)
//
// Blocks are written to .snippets/ (git-ignored), one module each, with `serverwamp` and its
// subpaths mapped onto src/ through package.json's exports.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { markdownFiles } from './check-links.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const snippetDir = join(root, '.snippets');

/** The `ts` blocks of one Markdown text: { line, kind, attributes, code }. */
export function snippetsOf(text) {
  const snippets = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(ts|typescript)(?:\s+(.*))?$/.exec(lines[i]);
    if (open === null) {
      if (/^```/.test(lines[i])) {
        // Skip any other fenced block whole, so a ```ts line inside it is not taken for a block.
        for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++);
      }
      continue;
    }
    const info = (open[2] ?? '').trim();
    const kind = /^(run|serve|no-check)\b/.exec(info)?.[1] ?? 'check';
    const attributes = Object.fromEntries([...info.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1], m[2]]));
    const start = i + 1;
    const body = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    snippets.push({ line: start + 1, kind, attributes, code: body.join('\n') });
  }
  return snippets;
}

/** `serverwamp` and each subpath of package.json's exports, mapped onto its source file. */
export function sourcePaths() {
  const { exports } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const paths = {};
  for (const [subpath, target] of Object.entries(exports)) {
    const types = typeof target === 'string' ? target : target.types;
    if (typeof types !== 'string' || !types.startsWith('./dist/') || !types.endsWith('.d.ts')) continue;
    const name = subpath === '.' ? 'serverwamp' : `serverwamp/${subpath.slice(2)}`;
    paths[name] = [join(root, 'src', types.slice('./dist/'.length, -'.d.ts'.length) + '.ts')];
  }
  return paths;
}

/**
 * Writes every snippet of `files` to .snippets/ as a module; returns them with their file names.
 * A snippet becomes a module whatever it holds (`export {}`), so its names shadow the prelude's.
 */
export function writeSnippets(files = markdownFiles()) {
  rmSync(snippetDir, { recursive: true, force: true });
  mkdirSync(snippetDir, { recursive: true });
  const all = [];
  for (const file of files) {
    const page = relative(root, file).replace(/[/.]/g, '_');
    for (const snippet of snippetsOf(readFileSync(file, 'utf8'))) {
      const name = `${page}_L${snippet.line}.ts`;
      const entry = { ...snippet, file, name, path: join(snippetDir, name) };
      all.push(entry);
      if (snippet.kind !== 'no-check') writeFileSync(entry.path, `${snippet.code}\nexport {};\n`);
    }
  }
  return all;
}

/** Type-checks the written snippets; returns tsc's diagnostics mapped back to page:line. */
export function typeCheck(snippets) {
  const base = JSON.parse(stripComments(readFileSync(join(root, 'tsconfig.json'), 'utf8'))).compilerOptions;
  const tsconfig = {
    compilerOptions: {
      ...base,
      // Snippets show one thing each; a value they declare and leave unused is not a mistake.
      noUnusedLocals: false,
      noUnusedParameters: false,
      lib: ['ES2023', 'DOM'],
      paths: sourcePaths(),
    },
    files: [join(root, 'scripts', 'snippet-prelude.d.ts'), ...snippets.filter((s) => s.kind !== 'no-check').map((s) => s.path)],
  };
  writeFileSync(join(snippetDir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(snippetDir, 'tsconfig.json'), '--pretty', 'false'], { encoding: 'utf8' });
  const byName = new Map(snippets.map((s) => [s.name, s]));
  const output = `${result.stdout}${result.stderr}`.trim();
  const diagnostics = output === '' ? [] : output.split('\n').map((line) => {
    const match = /^(?:.*[/\\])?([^/\\(]+\.ts)\((\d+),(\d+)\): (.*)$/.exec(line);
    const snippet = match === null ? undefined : byName.get(match[1]);
    if (snippet === undefined) return line;
    return `${relative(root, snippet.file)}:${snippet.line + Number(match[2]) - 1}:${match[3]}: ${match[4]}`;
  });
  return { ok: result.status === 0, diagnostics };
}

function stripComments(json) {
  return json.replace(/^\s*\/\/.*$/gm, '');
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const snippets = writeSnippets();
  const count = (kind) => snippets.filter((s) => s.kind === kind).length;
  const { ok, diagnostics } = typeCheck(snippets);
  for (const line of diagnostics) console.error(line);
  const summary = `${snippets.length - count('no-check')} type-checked (${count('run')} run, ${count('serve')} served by test/docs-snippets.test.ts), ${count('no-check')} opted out with no-check`;
  if (!ok) {
    console.error(`check-snippets: the docs' code blocks do not compile: ${summary}`);
    process.exit(1);
  }
  console.log(`check-snippets: ${summary}; ${basename(snippetDir)}/ holds them`);
}
