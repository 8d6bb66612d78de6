/**
 * The layers that must run on any JavaScript runtime (Bun, Deno, browsers,
 * workers) are bundled for esbuild's `neutral` platform: a `node:*` import
 * does not resolve there, and the output is scanned for the Node globals
 * `Buffer` and `process`. Extend NEUTRAL_ROOTS as more layers become neutral.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type BuildResult, type Message } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Folders whose every module must be runtime-neutral, and single files outside them. */
const NEUTRAL_ROOTS: readonly string[] = ['src/protocol', 'src/serializers', 'src/own-properties.ts'];

function modules(path: string): string[] {
  if (path.endsWith('.ts')) return [path];
  return readdirSync(join(ROOT, path), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => join(path, file))
    .sort();
}

const entries = NEUTRAL_ROOTS.flatMap(modules);

// Namespace re-exports keep every module's code in the bundle: nothing is shaken out unseen.
const entrySource = entries.map((file, i) => `export * as m${i} from './${file}';`).join('\n');

type Bundle = BuildResult<{ write: false; metafile: true }>;

function bundle(extra: BuildOptions): Promise<Bundle> {
  return build({
    stdin: { contents: entrySource, resolveDir: ROOT, loader: 'ts', sourcefile: 'neutral-entry.ts' },
    bundle: true,
    platform: 'neutral',
    format: 'esm',
    // Packages under neutral resolve through `exports` only; their usual entry is `module`/`main`.
    mainFields: ['module', 'main'],
    write: false,
    logLevel: 'silent',
    metafile: true,
    ...extra,
  });
}

function explain(error: unknown): string {
  const errors = (error as { errors?: Message[] }).errors;
  if (!errors) throw error;
  return errors.map((e) => `${e.location?.file ?? '?'}:${e.location?.line ?? 0}: ${e.text}`).join('\n');
}

// A Node global used as a value: `Buffer.from`, `Buffer(`, `process.nextTick`, `process[...]`.
const NODE_GLOBAL = /(?<![\w$.])(Buffer|process)\s*[.([]/g;

describe('runtime-neutral layers', () => {
  it('covers every module of the neutral folders', () => {
    assert.ok(entries.length >= 20, `found only ${entries.length} modules: ${entries.join(', ')}`);
    assert.ok(entries.includes(join('src', 'protocol', 'ids.ts')));
  });

  it('our own code bundles for the neutral platform with no Node built-in, Buffer or process', async () => {
    let result: Bundle;
    try {
      result = await bundle({ packages: 'external' });
    } catch (error) {
      assert.fail(`Node-only imports in the neutral layers:\n${explain(error)}`);
    }
    const inputs = Object.keys(result.metafile.inputs).map((file) => relative(ROOT, join(ROOT, file)));
    for (const file of entries) assert.ok(inputs.includes(file), `${file} is in the bundle`);
    const text = result.outputFiles[0]!.text;
    const uses = [...text.matchAll(NODE_GLOBAL)].map((match) => {
      const line = text.slice(0, match.index).split('\n').length;
      return `line ${line}: ${text.split('\n')[line - 1]!.trim().slice(0, 120)}`;
    });
    assert.deepEqual(uses, [], 'Node globals referenced by the neutral layers');
    const external = Object.values(result.metafile.outputs)[0]!.imports.map((i) => i.path);
    assert.deepEqual(external.filter((path) => path.startsWith('node:')), []);
  });

  it('with their dependencies (msgpackr, cbor-x) the layers still resolve without Node built-ins', async () => {
    try {
      await bundle({});
    } catch (error) {
      assert.fail(`Node-only imports reached through a dependency:\n${explain(error)}`);
    }
  });
});
