/**
 * Everything but the Node adapters must run on any JavaScript runtime (Bun,
 * Deno, browsers, workers): every module of src/ outside src/node and
 * src/fastify (a Fastify plugin over src/node), and the
 * package entries `serverwamp`, `serverwamp/adapter`, `serverwamp/testing` and `serverwamp/redis`,
 * are bundled for esbuild's `neutral` platform, where a `node:*` import does
 * not resolve, and the output is scanned for the Node globals `Buffer` and
 * `process`. src/node (`serverwamp/node`) is the one place Node is allowed.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join, normalize, relative, sep } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type BuildResult, type Message } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The one folder of src/ that may use Node: the `serverwamp/node` adapter. */
const NODE_ONLY = join('src', 'node');
/** The Node adapters: `serverwamp/node`, and `serverwamp/fastify`, which serves through it. */
const NODE_ADAPTERS = [NODE_ONLY, join('src', 'fastify')];
/** The package entries that must load on any runtime. */
const PACKAGE_ENTRIES: readonly string[] = ['src/index.ts', 'src/adapter.ts', 'src/testing.ts', 'src/redis/index.ts', 'src/opentelemetry/index.ts', 'src/hono/index.ts'];

function modules(path: string): string[] {
  return readdirSync(join(ROOT, path), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => join(path, file))
    .filter((file) => !NODE_ADAPTERS.some((folder) => file.startsWith(folder + sep)))
    .sort();
}

const entries = modules('src');

// Namespace re-exports keep every module's code in the bundle: nothing is shaken out unseen.
const sourceOf = (files: readonly string[]): string => files.map((file, i) => `export * as m${i} from './${file}';`).join('\n');

type Bundle = BuildResult<{ write: false; metafile: true }>;

function bundle(extra: BuildOptions, files: readonly string[] = entries): Promise<Bundle> {
  return build({
    stdin: { contents: sourceOf(files), resolveDir: ROOT, loader: 'ts', sourcefile: 'neutral-entry.ts' },
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
// esbuild prints code with nothing between a name and its `.`, `(` or `[`; prose in a kept
// doc comment ("in one process (tests…") has a space there and is not code.
const NODE_GLOBAL = /(?<![\w$.])(Buffer|process)[.([]/g;

/** Where the bundle uses `Buffer` or `process`, one line each. */
function nodeGlobals(result: Bundle): string[] {
  const text = result.outputFiles[0]!.text;
  return [...text.matchAll(NODE_GLOBAL)].map((match) => {
    const line = text.slice(0, match.index).split('\n').length;
    return `line ${line}: ${text.split('\n')[line - 1]!.trim().slice(0, 120)}`;
  });
}

/** Bundles our own code of `files` (packages left external) and checks it is neutral. */
async function assertNeutral(files: readonly string[]): Promise<Bundle> {
  let result: Bundle;
  try {
    result = await bundle({ packages: 'external' }, files);
  } catch (error) {
    assert.fail(`Node-only imports:\n${explain(error)}`);
  }
  assert.deepEqual(nodeGlobals(result), [], 'Node globals referenced');
  const external = Object.values(result.metafile.outputs)[0]!.imports.map((i) => i.path);
  assert.deepEqual(external.filter((path) => path.startsWith('node:') || path === 'ws' || path.startsWith('ws/')), [], 'Node built-ins or ws imported');
  return result;
}

describe('runtime-neutral core', () => {
  it('covers every module of src/ but the Node adapters', () => {
    assert.ok(entries.length >= 60, `found only ${entries.length} modules: ${entries.join(', ')}`);
    for (const file of [join('src', 'protocol', 'ids.ts'), join('src', 'application.ts'), join('src', 'auth', 'wampcra.ts'), ...PACKAGE_ENTRIES.map(normalize)]) {
      assert.ok(entries.includes(file), file);
    }
    assert.equal(entries.some((file) => NODE_ADAPTERS.some((folder) => file.startsWith(folder))), false);
  });

  it('our own code bundles for the neutral platform with no Node built-in, ws, Buffer or process', async () => {
    const result = await assertNeutral(entries);
    const inputs = Object.keys(result.metafile.inputs).map((file) => relative(ROOT, join(ROOT, file)));
    for (const file of entries) assert.ok(inputs.includes(file), `${file} is in the bundle`);
  });

  for (const entry of PACKAGE_ENTRIES) {
    it(`the package entry ${entry} loads no Node built-in, ws, Buffer or process`, async () => {
      const result = await assertNeutral([entry]);
      const inputs = Object.keys(result.metafile.inputs).map((file) => relative(ROOT, join(ROOT, file)));
      assert.equal(inputs.some((file) => file.startsWith(NODE_ONLY)), false, 'reaches src/node');
    });
  }

  it('the check catches Node: serverwamp/node does not bundle for the neutral platform', async () => {
    await assert.rejects(assertNeutral([join(NODE_ONLY, 'index.ts')]), /Node globals referenced[\s\S]*Buffer/);
    const result = await bundle({ packages: 'external' }, [join(NODE_ONLY, 'index.ts')]);
    const external = Object.values(result.metafile.outputs)[0]!.imports.map((i) => i.path);
    assert.ok(external.includes('node:http') && external.includes('ws'), external.join(', '));
  });

  it('with their dependencies (msgpackr) the entries still resolve without Node built-ins', async () => {
    try {
      await bundle({}, PACKAGE_ENTRIES);
    } catch (error) {
      assert.fail(`Node-only imports reached through a dependency:\n${explain(error)}`);
    }
  });
});
