/**
 * The reference stays complete: every exported symbol of the API reference has an `@example`
 * (scripts/api-examples.mjs, run by `npm run docs`, shown here to catch a missing one), and every
 * error code the API can throw has exactly one row in docs/errors.md, under its error class.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
// @ts-expect-error: a plain .mjs script without declarations
import { missingExamples } from '../scripts/api-examples.mjs';

const root = new URL('..', import.meta.url).pathname;
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

const example = { blockTags: [{ tag: '@example', content: [] }] };
const summaryOnly = { summary: [{ kind: 'text', text: 'Documented, but no example.' }] };

describe('the @example rule of the API reference', () => {
  it('names each exported symbol without an @example, and nothing else', () => {
    const project = {
      kind: 1,
      name: 'serverwamp',
      children: [
        {
          kind: 2,
          name: 'index',
          children: [
            { kind: 256, name: 'Documented', comment: example, sources: [{ fileName: 'a.ts' }], children: [{ kind: 1024, name: 'member', comment: summaryOnly }] },
            { kind: 256, name: 'Bare', comment: summaryOnly, sources: [{ fileName: 'b.ts' }] },
            { kind: 64, name: 'fn', signatures: [{ kind: 4096, comment: example }], sources: [{ fileName: 'c.ts' }] },
            { kind: 64, name: 'bareFn', signatures: [{ kind: 4096, comment: summaryOnly }], sources: [{ fileName: 'c.ts' }] },
            { kind: 32, name: 'LIMIT', sources: [{ fileName: 'd.ts' }] },
            { kind: 2097152, name: 'Alias', comment: example, sources: [{ fileName: 'e.ts' }] },
            { kind: 128, name: 'Klass', comment: example, sources: [{ fileName: 'f.ts' }], children: [{ kind: 2048, name: 'method', signatures: [{ kind: 4096, comment: summaryOnly }] }] },
          ],
        },
        { kind: 2, name: 'node', children: [{ kind: 8, name: 'Mode', comment: summaryOnly, sources: [{ fileName: 'g.ts' }] }] },
      ],
    };
    assert.deepEqual(missingExamples(project), [
      'index: Bare (interface, b.ts)',
      'index: bareFn (function, c.ts)',
      'index: LIMIT (constant, d.ts)',
      'node: Mode (enum, g.ts)',
    ]);
  });
});

/** The string literals of an exported union type alias in a source text. */
function unionMembers(source: string, name: string): string[] {
  const declaration = new RegExp(`export type ${name} =([^;]*);`).exec(source);
  assert.ok(declaration, `${name} not found`);
  return [...declaration[1]!.matchAll(/'([A-Z_]+)'/g)].map((match) => match[1]!);
}

/** The codes named in the first cell of the table rows of one `##` section of docs/errors.md. */
function documentedCodes(page: string, heading: string): string[] {
  const start = page.indexOf(`\n## ${heading}`);
  assert.notEqual(start, -1, `docs/errors.md has no section "${heading}"`);
  const end = page.indexOf('\n## ', start + 1);
  const section = page.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/^\| `(ERR_[A-Z_]+)`(?: \([a-z]+\))? \|/gm)].map((match) => match[1]!);
}

function sourceTexts(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => read(join(dir, file)));
}

describe('docs/errors.md', () => {
  const page = read('docs/errors.md');
  const cases = [
    { codes: unionMembers(read('src/errors.ts'), 'ServerwampErrorCode'), heading: '`ServerwampError`', definedIn: 'src/errors.ts' },
    { codes: unionMembers(read('src/client/errors.ts'), 'TypedClientErrorCode'), heading: '`serverwamp/client` errors', definedIn: 'src/client/errors.ts' },
  ];
  const sources = sourceTexts('src');

  for (const { codes, heading, definedIn } of cases) {
    it(`documents each code of ${definedIn} in its own section, and no other code there`, () => {
      const rows = documentedCodes(page, heading);
      assert.deepEqual([...new Set(rows)].sort(), [...codes].sort());
    });

    it(`throws each code of ${definedIn} somewhere (none documented but never used)`, () => {
      const declaration = read(definedIn);
      for (const code of codes) {
        const uses = sources.filter((text) => text !== declaration && text.includes(`'${code}'`)).length;
        assert.ok(uses > 0, `${code} is never used outside ${definedIn}`);
      }
    });
  }
});
