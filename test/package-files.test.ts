/**
 * What `npm publish` would ship: the licence, the metadata a registry page
 * shows, no source map pointing at sources left out, and Markdown links that
 * resolve inside the package (a link to a file that is not shipped is dead on
 * the registry's page and in node_modules).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';

const root = new URL('../', import.meta.url);

interface PackEntry {
  files: Array<{ path: string }>;
}

// --ignore-scripts: the list, not a build; dist/ is whatever the last build left, which check:dist refreshes.
function packedFiles(): string[] {
  const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  const [entry] = JSON.parse(output) as PackEntry[];
  return entry!.files.map((file) => file.path);
}

function relativeLinks(markdown: string): string[] {
  const links: string[] = [];
  for (const match of markdown.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = match[1]!;
    if (/^[a-z]+:/i.test(target) || target.startsWith('#')) continue;
    links.push(target.split('#')[0]!);
  }
  return links;
}

describe('the published package', () => {
  const files = packedFiles();
  const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as Record<string, unknown>;

  it('ships the MIT licence and names its repository, home page and issue tracker', () => {
    assert.ok(files.includes('LICENSE'), 'LICENSE is in the tarball');
    assert.match(readFileSync(new URL('LICENSE', root), 'utf8'), /^MIT License\n\nCopyright \(c\) \d{4} serverwamp contributors/);
    assert.equal(pkg['license'], 'MIT');
    assert.match((pkg['repository'] as { url: string }).url, /^git\+https:\/\/github\.com\/.+\.git$/);
    assert.match(pkg['homepage'] as string, /^https:\/\//);
    assert.match((pkg['bugs'] as { url: string }).url, /^https:\/\/.+\/issues$/);
    assert.ok(files.includes('CHANGELOG.md'));
  });

  it('ships no source map (its sources are not shipped)', () => {
    assert.deepEqual(files.filter((file) => file.endsWith('.map')), []);
    const build = JSON.parse(readFileSync(new URL('tsconfig.build.json', root), 'utf8')) as { compilerOptions: Record<string, unknown> };
    assert.equal(build.compilerOptions['sourceMap'], false);
    assert.equal(build.compilerOptions['declarationMap'], false);
  });

  it('has no relative Markdown link to a file the package leaves out', () => {
    const dead: string[] = [];
    for (const file of files.filter((name) => name.endsWith('.md'))) {
      for (const link of relativeLinks(readFileSync(new URL(file, root), 'utf8'))) {
        const target = posix.normalize(posix.join(posix.dirname(file), link));
        if (!files.includes(target) && !files.some((name) => name.startsWith(`${target.replace(/\/$/, '')}/`))) dead.push(`${file} -> ${link}`);
      }
    }
    assert.deepEqual(dead, []);
  });
});
