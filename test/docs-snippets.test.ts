/**
 * The docs cannot drift from the code: every `ts` block of README.md and docs/ type-checks
 * (scripts/check-snippets.mjs, also run by `npm test` before the tests), the `ts run` blocks run
 * to exit code 0, and each `ts serve` block, started as written with PORT=0, answers a real
 * autobahn-js client as its info string says and stops cleanly on SIGINT. The checkers
 * themselves are shown to catch what they exist for.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { autobahn, connectAutobahn } from './helpers/clients.js';
// @ts-expect-error: a plain .mjs script without declarations
import { exportedNames, snippetDir, snippetsOf, sourceFiles, sourcePaths, typeCheck, writeSnippets } from '../scripts/check-snippets.mjs';
// @ts-expect-error: a plain .mjs script without declarations
import { brokenLinks, markdownFiles } from '../scripts/check-links.mjs';

interface Snippet {
  file: string;
  line: number;
  kind: 'check' | 'run' | 'serve' | 'no-check';
  attributes: Record<string, string>;
  code: string;
  name: string;
  path: string;
}

const root = new URL('../', import.meta.url);
const RUN_DEADLINE_MS = 60_000;

/** The block with `serverwamp` imports pointed at src/, so it runs under tsx without a build. */
function runnable(snippet: Snippet): string {
  const paths = sourcePaths() as Record<string, [string]>;
  const source = snippet.code.replace(/from '(serverwamp(?:\/[\w-]+)?)'/g, (whole, name: string) => {
    const target = paths[name];
    return target === undefined ? whole : `from '${pathToFileURL(target[0]).href}'`;
  });
  const path = snippet.path.replace(/\.ts$/, '.run.ts');
  writeFileSync(path, `${source}\nexport {};\n`);
  return path;
}

function withoutTestContext(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODE_TEST_CONTEXT: _, ...rest } = env;
  return rest;
}

function start(path: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', path], {
    cwd: root,
    // Without NODE_TEST_CONTEXT, a block that uses node:test reports as a program of its own would.
    env: { ...withoutTestContext(process.env), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const killer = setTimeout(() => child.kill('SIGKILL'), RUN_DEADLINE_MS);
  void exited.then(() => clearTimeout(killer));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

async function waitForURL(output: () => { stdout: string }, exited: Promise<number | null>): Promise<string> {
  const deadline = Date.now() + RUN_DEADLINE_MS;
  let done = false;
  void exited.then(() => (done = true));
  while (Date.now() < deadline && !done) {
    const match = /ws:\/\/[^\s]+/.exec(output().stdout);
    if (match !== null) return match[0].replace('://localhost:', '://127.0.0.1:');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the snippet printed no ws:// URL');
}

/** What autobahn resolves with, in one comparable shape. */
function plain(result: unknown): unknown {
  if (result instanceof autobahn.Result) {
    const { args, kwargs } = result as { args?: unknown[]; kwargs?: Record<string, unknown> };
    return { args: args ?? [], kwargs: kwargs ?? {} };
  }
  return result;
}

describe('the docs code blocks', () => {
  let snippets: Snippet[] = [];

  before(async () => {
    snippets = writeSnippets(markdownFiles(), sourceFiles(), await exportedNames()) as Snippet[];
  });

  after(() => rmSync(snippetDir, { recursive: true, force: true }));

  it('all type-check against the source, TSDoc examples included, and few opt out', () => {
    const { ok, diagnostics } = typeCheck(snippets) as { ok: boolean; diagnostics: string[] };
    assert.ok(ok, diagnostics.join('\n'));
    assert.ok(snippets.length >= 100, `only ${snippets.length} ts blocks found`);
    assert.ok(snippets.filter((s) => s.file.includes('/src/')).length >= 50, 'the TSDoc examples of src/ are checked');
    const optedOut = snippets.filter((s) => s.kind === 'no-check');
    assert.ok(optedOut.length <= 3, `too many no-check blocks: ${optedOut.map((s) => `${s.file}:${s.line}`).join(', ')}`);
  });

  it('the README example and the runnable blocks exist', () => {
    assert.ok(snippets.some((s) => s.file.endsWith('README.md') && s.kind === 'serve'), 'the README example is a ts serve block');
    assert.ok(snippets.filter((s) => s.kind === 'run').length >= 1);
  });

  it('ts run blocks exit 0', async () => {
    const runs = snippets.filter((s) => s.kind === 'run');
    for (const snippet of runs) {
      const { exited, output } = start(runnable(snippet));
      const code = await exited;
      const { stdout, stderr } = output();
      assert.equal(code, 0, `${snippet.file}:${snippet.line} exited ${code}\nstdout: ${stdout}\nstderr: ${stderr}`);
    }
  });

  it('ts serve blocks answer a real client as their info string says, and stop on SIGINT', async () => {
    const serves = snippets.filter((s) => s.kind === 'serve');
    for (const snippet of serves) {
      const where = `${snippet.file}:${snippet.line}`;
      const { call: procedure = '', args = '[]', result, progress } = snippet.attributes;
      assert.ok(procedure !== '' && result !== undefined, `${where}: a serve block names call= and result=`);
      const running = start(runnable(snippet), { PORT: '0' });
      try {
        const url = await waitForURL(running.output, running.exited);
        const client = await connectAutobahn(url);
        try {
          const reports: unknown[] = [];
          const answer = await client.session.call(procedure, JSON.parse(args), {}, { receive_progress: true }).then(
            (value: unknown) => value,
            (error: unknown) => error,
            (report: unknown) => reports.push(report),
          );
          assert.deepEqual(plain(answer), JSON.parse(result), `${where}: ${procedure} answered ${JSON.stringify(plain(answer))}`);
          if (progress !== undefined) assert.equal(reports.length, Number(progress), `${where}: progress reports`);
        } finally {
          await client.close();
        }
      } finally {
        running.child.kill('SIGINT');
      }
      const code = await running.exited;
      const { stdout, stderr } = running.output();
      assert.equal(code, 0, `${where} exited ${code} on SIGINT\nstdout: ${stdout}\nstderr: ${stderr}`);
    }
  });
});

describe('the docs checkers catch drift', () => {
  it('a block calling what the API does not have fails the type check, at its page and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'serverwamp-docs-'));
    try {
      const page = join(dir, 'page.md');
      writeFileSync(page, "# Page\n\ntext\n\n```ts\nimport { Application } from 'serverwamp';\nnew Application().addProcedure('x');\n```\n");
      const written = writeSnippets([page], []) as Snippet[];
      assert.equal(written.length, 1);
      const { ok, diagnostics } = typeCheck(written) as { ok: boolean; diagnostics: string[] };
      assert.equal(ok, false);
      assert.match(diagnostics.join('\n'), /page\.md:7:.*addProcedure/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(snippetDir, { recursive: true, force: true });
    }
  });

  it('a TSDoc example gets the imports it leaves out, and fails at its line in the source when wrong', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'serverwamp-tsdoc-'));
    try {
      const source = join(dir, 'thing.ts');
      writeFileSync(source, '/**\n * Good, then bad.\n *\n * @example\n * ```ts\n * const app = new Application();\n * app.addRPCRoutes(new RPCRouteSet());\n * ```\n *\n * @example\n * ```ts\n * new Application().listen(8080);\n * ```\n */\nexport {};\n');
      const written = writeSnippets([], [source], await exportedNames()) as Snippet[];
      assert.equal(written.length, 2);
      const { ok, diagnostics } = typeCheck(written) as { ok: boolean; diagnostics: string[] };
      assert.equal(ok, false);
      assert.equal(diagnostics.length, 1, diagnostics.join('\n'));
      assert.match(diagnostics[0]!, /thing\.ts:12:.*'listen' does not exist/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(snippetDir, { recursive: true, force: true });
    }
  });

  it("the typed client's examples use an API inferred from real route sets: right calls compile, wrong ones fail at their lines", () => {
    const dir = mkdtempSync(join(tmpdir(), 'serverwamp-typed-docs-'));
    try {
      const page = join(dir, 'page.md');
      const right = [
        "const sum: number = await api.call('math.add', { number1: 2, number2: 3 });",
        "const { args: files } = await api.callResult('files.list', { folder: '/' });",
        'const names: string[] = [...files];',
        "await api.call('export.run', { id: 'x' }, { onProgress: ({ kwargs }) => bar.set(kwargs.percent), signal: controller.signal });",
        "await api.subscribe('chat.room', (message) => show(message.from, message.text));",
        "await api.register('ui.confirm', (question) => question.length > 0);",
        'connection.onopen = (session) => void session.isOpen;',
      ];
      const wrong = [
        "await api.call('math.add', { number1: '2', number2: 3 });",
        "await api.call('math.sub', [1, 2]);",
        "await api.call('files.list', { folder: '/' });",
        "await api.publish('chat.room', { from: 'me' });",
        "await api.register('ui.confirm', (question: number) => question > 0);",
      ];
      writeFileSync(page, `# Page\n\n\`\`\`ts\n${right.join('\n')}\n\`\`\`\n\n\`\`\`ts\n${wrong.join('\n')}\n\`\`\`\n`);
      const written = writeSnippets([page], []) as Snippet[];
      assert.equal(written.length, 2);
      const { ok, diagnostics } = typeCheck(written) as { ok: boolean; diagnostics: string[] };
      assert.equal(ok, false);
      const lines = diagnostics.flatMap((line) => /page\.md:(\d+):/.exec(line)?.[1] ?? []).map(Number);
      const firstWrong = 4 + right.length + 3;
      assert.deepEqual(lines, wrong.map((_, i) => firstWrong + i), diagnostics.join('\n'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(snippetDir, { recursive: true, force: true });
    }
  });

  it("the example API the prelude types the typed client's blocks with is the one docs/typed-client.md shows", () => {
    const page = readFileSync(new URL('../docs/typed-client.md', import.meta.url), 'utf8');
    const api = readFileSync(new URL('../scripts/snippet-api.ts', import.meta.url), 'utf8');
    const definitions = api.split('\n').filter((line) => /^\s*(\.route\(|for \(|return |'ui\.confirm')/.test(line));
    assert.ok(definitions.length >= 6, `only ${definitions.length} route lines in scripts/snippet-api.ts`);
    for (const line of definitions) assert.ok(page.includes(line), `docs/typed-client.md does not show: ${line.trim()}`);
  });

  it('reads the info string: run, serve with its attributes, no-check; other fences are skipped', () => {
    const blocks = snippetsOf('```ts run\na\n```\n```sh\n```ts\n```\n```ts serve call=p args=[1] result=2\nb\n```\n```ts no-check\nc\n```\n') as Snippet[];
    assert.deepEqual(
      blocks.map((b) => [b.kind, b.code, b.attributes]),
      [['run', 'a', {}], ['serve', 'b', { call: 'p', args: '[1]', result: '2' }], ['no-check', 'c', {}]],
    );
  });

  it('every relative link and anchor in README.md and docs/ resolves', () => {
    assert.deepEqual(brokenLinks(), []);
  });

  it('a dead link or anchor is reported with its file and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'serverwamp-links-'));
    try {
      const page = join(dir, 'a.md');
      writeFileSync(join(dir, 'b.md'), '# B title\n\n## Same\n\n## Same\n\n## `code` and (punctuation)!\n');
      writeFileSync(page, [
        '# A', '', '[ok](b.md#b-title) [ok](b.md#same-1) [ok](b.md#code-and-punctuation) [ok](#a) [web](https://example.com/x#y)',
        '[gone](missing.md)', '[bad](b.md#nope)', '`[not a link](nowhere.md)`', '```', '[in code](nowhere.md)', '```', '',
      ].join('\n'));
      const broken = brokenLinks([page]) as string[];
      assert.equal(broken.length, 2, broken.join('\n'));
      assert.match(broken[0]!, /a\.md:4: missing\.md \(no such file\)$/);
      assert.match(broken[1]!, /a\.md:5: b\.md#nope \(no heading with that id in .*b\.md\)$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// The README keeps pointing at the docs it was split into.
it('the README links every docs page', () => {
  const readme = readFileSync(new URL('README.md', root), 'utf8');
  for (const page of ['application', 'procedures', 'events', 'serving', 'rawsocket', 'authentication', 'operations', 'options', 'errors', 'coming-from-python', 'benchmarks']) {
    assert.ok(readme.includes(`docs/${page}.md`), `README links docs/${page}.md`);
  }
});
