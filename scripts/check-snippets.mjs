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
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** The `ts` blocks of the TSDoc comments of one source text, each at its line in the file. */
export function tsdocSnippetsOf(text) {
  const snippets = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*\*\s?```(ts|typescript)\b/.test(lines[i])) continue;
    const info = lines[i].replace(/^\s*\*\s?```(ts|typescript)/, '').trim();
    const kind = /^no-check\b/.test(info) ? 'no-check' : 'check';
    const start = i + 1;
    const body = [];
    for (i++; i < lines.length && !/^\s*\*\s?```\s*$/.test(lines[i]); i++) body.push(lines[i].replace(/^\s*\*( |$)/, ''));
    snippets.push({ line: start + 1, kind, attributes: {}, code: body.join('\n') });
  }
  return snippets;
}

/**
 * The names each public entry exports, from the compiler: a TSDoc example may use the names of
 * the API it documents without importing them (as TSDoc examples do), so each gets the imports
 * it needs added in front. The root entry wins when several export a name.
 */
export async function exportedNames() {
  const ts = (await import('typescript')).default;
  const entries = Object.entries(sourcePaths());
  const program = ts.createProgram(entries.map(([, [path]]) => path), { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, noEmit: true });
  const checker = program.getTypeChecker();
  const byEntry = new Map();
  for (const [name, [path]] of entries) {
    const file = program.getSourceFile(path);
    const symbol = file === undefined ? undefined : checker.getSymbolAtLocation(file);
    const names = new Map();
    for (const exported of symbol === undefined ? [] : checker.getExportsOfModule(symbol)) {
      const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      names.set(exported.name, (target.flags & ts.SymbolFlags.Value) !== 0);
    }
    byEntry.set(name, { dir: dirname(path), names });
  }
  return byEntry;
}

/**
 * `code` (an example in `file`) with imports of the exported names it uses but neither imports
 * nor declares: from the entry whose directory holds `file` first, then the root, then the others.
 */
export function withImports(code, file, byEntry) {
  const declared = new Set([...code.matchAll(/\b(?:import\s*(?:type\s*)?\{([^}]*)\}|(?:const|let|function|class|interface|type)\s+([A-Za-z_$][\w$]*))/g)]
    .flatMap((m) => (m[1] ?? m[2] ?? '').split(',').map((part) => part.trim().split(/\s+as\s+/).pop().replace(/^type\s+/, ''))));
  const order = [...byEntry].sort(([a, x], [b, y]) => rank(a, x) - rank(b, y));
  function rank(name, { dir }) {
    if (name !== 'serverwamp' && dir !== join(root, 'src') && file.startsWith(`${dir}/`)) return 0;
    return name === 'serverwamp' ? 1 : 2;
  }
  const byModule = new Map();
  const taken = new Set(declared);
  for (const [module, { names }] of order) {
    for (const [name, isValue] of names) {
      if (taken.has(name) || !new RegExp(`(?<![\\w$.'"])${name.replace(/\$/g, '\\$')}(?![\\w$'"])`).test(code)) continue;
      taken.add(name);
      byModule.set(module, [...(byModule.get(module) ?? []), isValue ? name : `type ${name}`]);
    }
  }
  return [...byModule].map(([module, names]) => `import { ${names.join(', ')} } from '${module}';`).join(' ');
}

/** The source files whose TSDoc examples are checked: all of src/. */
export function sourceFiles(dir = join(root, 'src')) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []))
    .sort();
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
export function writeSnippets(files = markdownFiles(), sources = sourceFiles(), owner = new Map()) {
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
  for (const file of sources) {
    const page = relative(root, file).replace(/[/.]/g, '_');
    for (const snippet of tsdocSnippetsOf(readFileSync(file, 'utf8'))) {
      const name = `${page}_L${snippet.line}.ts`;
      const entry = { ...snippet, file, name, path: join(snippetDir, name), tsdoc: true, line: snippet.line - 1 };
      all.push(entry);
      // The added imports take the first line, so diagnostics still map onto the comment's lines.
      if (snippet.kind !== 'no-check') writeFileSync(entry.path, `${withImports(snippet.code, file, owner)}\n${snippet.code}\nexport {};\n`);
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
  const snippets = writeSnippets(markdownFiles(), sourceFiles(), await exportedNames());
  const count = (kind) => snippets.filter((s) => s.kind === kind).length;
  const { ok, diagnostics } = typeCheck(snippets);
  for (const line of diagnostics) console.error(line);
  const tsdoc = snippets.filter((s) => s.tsdoc === true).length;
  const summary = `${snippets.length - count('no-check')} type-checked (${tsdoc} of them TSDoc examples in src/; ${count('run')} run, ${count('serve')} served by test/docs-snippets.test.ts), ${count('no-check')} opted out with no-check`;
  if (!ok) {
    console.error(`check-snippets: the docs' code blocks do not compile: ${summary}`);
    process.exit(1);
  }
  console.log(`check-snippets: ${summary}; ${basename(snippetDir)}/ holds them`);
}
