// Import cycles under src/ (madge). By default only value imports count: the
// cycles those form are real load-order hazards, and there are none. With
// --types, type imports count too: issue 10 is removing the cycle they form
// around Session, and this script joins `npm test` once it passes.
import madge from 'madge';

const countTypes = process.argv.includes('--types');
const result = await madge('src', {
  fileExtensions: ['ts'],
  tsConfig: 'tsconfig.json',
  detectiveOptions: { ts: { skipTypeImports: !countTypes }, tsx: { skipTypeImports: !countTypes } },
});
const cycles = result.circular();
const files = new Set(cycles.flat());
const kind = countTypes ? 'value and type imports' : 'value imports';
if (cycles.length === 0) {
  console.log(`No import cycle in src/ (${kind}).`);
} else {
  for (const cycle of cycles) console.error(`  ${cycle.join(' > ')}`);
  console.error(`${cycles.length} import cycles in src/ (${kind}), through ${files.size} files.`);
  process.exitCode = 1;
}
