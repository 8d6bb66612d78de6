/* global URL */
// After `npm run build`: no declaration marked @internal ships in dist/*.d.ts
// (tsconfig.build.json strips them; a comment left behind means one was not
// stripped), and a known internal member of Application is really gone.
import { readdirSync, readFileSync } from 'node:fs';

const dist = new URL('../dist/', import.meta.url);
const declarations = readdirSync(dist, { recursive: true }).filter((name) => String(name).endsWith('.d.ts'));
if (declarations.length === 0) throw new Error('dist/ holds no .d.ts: run npm run build first');
const leaks = [];
for (const name of declarations) {
  const text = readFileSync(new URL(String(name), dist), 'utf8');
  if (text.includes('@internal')) leaks.push(String(name));
}
const application = readFileSync(new URL('application.d.ts', dist), 'utf8');
if (/\bengineOptions\b/.test(application)) leaks.push('application.d.ts (Application.engineOptions)');
if (leaks.length > 0) {
  console.error(`@internal declarations in the published types: ${leaks.join(', ')}`);
  process.exitCode = 1;
} else {
  console.log(`${declarations.length} declaration files, no @internal member.`);
}
