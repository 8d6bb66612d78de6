// Import cycles under src/ (madge), counting type imports too: a type-only
// cycle is no load-order hazard, but it welds its files together so that none
// can be built, tested or replaced alone (docs/architecture.md). Any cycle
// fails `npm run guards`.
import madge from 'madge';

const result = await madge('src', {
  fileExtensions: ['ts'],
  tsConfig: 'tsconfig.json',
  detectiveOptions: { ts: { skipTypeImports: false }, tsx: { skipTypeImports: false } },
});
const cycles = result.circular();
const files = new Set(cycles.flat());
if (cycles.length === 0) {
  console.log('No import cycle in src/ (value and type imports).');
} else {
  for (const cycle of cycles) console.error(`  ${cycle.join(' > ')}`);
  console.error(`${cycles.length} import cycles in src/ (value and type imports), through ${files.size} files.`);
  process.exitCode = 1;
}
