#!/usr/bin/env node
// Every relative link and #anchor in README.md and docs/*.md must resolve: a moved section or a
// renamed page would otherwise leave readers on a dead link. External URLs are not fetched (CI has
// no network to rely on); only their syntax is left alone.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The Markdown files whose links are checked. */
export function markdownFiles() {
  const docs = join(root, 'docs');
  return [join(root, 'README.md'), ...readdirSync(docs).filter((name) => name.endsWith('.md')).sort().map((name) => join(docs, name))];
}

/** Lines outside fenced code blocks, with their 1-based numbers. */
function proseLines(text) {
  const lines = [];
  let fence = false;
  text.split('\n').forEach((line, index) => {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    else if (!fence) lines.push([index + 1, line]);
  });
  return lines;
}

// GitHub's heading ids: lower case, punctuation dropped (letters, marks, digits, '_', '-' and
// spaces kept), spaces to '-', and a '-N' suffix from the second heading of the same id on.
function slug(heading) {
  const text = heading
    .replace(/`/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

const anchorCache = new Map();

/** The anchors a Markdown file defines: its headings' ids and explicit `<a id>`/`<a name>`. */
export function anchorsOf(file) {
  let anchors = anchorCache.get(file);
  if (anchors !== undefined) return anchors;
  anchors = new Set();
  const seen = new Map();
  for (const [, line] of proseLines(readFileSync(file, 'utf8'))) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading !== null) {
      const base = slug(heading[1]);
      const count = seen.get(base) ?? 0;
      seen.set(base, count + 1);
      anchors.add(count === 0 ? base : `${base}-${count}`);
    }
    for (const match of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(match[1]);
  }
  anchorCache.set(file, anchors);
  return anchors;
}

/** Links in prose (inline code spans are not links), as [line, target]. */
function linksOf(text) {
  const links = [];
  for (const [number, line] of proseLines(text)) {
    const prose = line.replace(/`[^`]*`/g, '``');
    for (const match of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push([number, match[1]]);
    for (const match of prose.matchAll(/^\s*\[[^\]]+\]:\s+(\S+)/g)) links.push([number, match[1]]);
  }
  return links;
}

/** Every broken link, as 'file:line: target (why)'. */
export function brokenLinks(files = markdownFiles()) {
  const broken = [];
  for (const file of files) {
    for (const [line, target] of linksOf(readFileSync(file, 'utf8'))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:: not fetched
      const [path, anchor] = target.split('#', 2);
      const destination = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
      const where = `${relative(root, file)}:${line}: ${target}`;
      if (!existsSync(destination)) {
        broken.push(`${where} (no such file)`);
        continue;
      }
      if (anchor === undefined || anchor === '') continue;
      if (statSync(destination).isDirectory() || !destination.endsWith('.md')) {
        broken.push(`${where} (an anchor into a file that is not Markdown)`);
      } else if (!anchorsOf(destination).has(decodeURIComponent(anchor))) {
        broken.push(`${where} (no heading with that id in ${relative(root, destination)})`);
      }
    }
  }
  return broken;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const files = markdownFiles();
  const broken = brokenLinks(files);
  for (const line of broken) console.error(line);
  if (broken.length > 0) {
    console.error(`check-links: ${broken.length} broken link(s)`);
    process.exit(1);
  }
  console.log(`check-links: every relative link and anchor in ${files.length} Markdown files resolves`);
}
