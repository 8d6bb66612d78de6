/**
 * Statistics and the printed tables.
 * @module
 */

export function median(values: readonly number[]): number {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (finite.length === 0) return NaN;
  const mid = finite.length >> 1;
  return finite.length % 2 === 1 ? finite[mid]! : (finite[mid - 1]! + finite[mid]!) / 2;
}

/** Formats a number with `digits` decimals and thousands separators; `–` for missing. */
export function fmt(value: number | undefined, digits = 0): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** `a / b` as `0.93×`, or `–`. */
export function ratio(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return '–';
  return `${(a / b).toFixed(2)}×`;
}

/** Prints a table with a title; numbers are right-aligned. */
export function printTable(title: string, header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    '| ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ') + ' |';
  console.log(`\n${title}\n`);
  console.log(line(header));
  console.log('|' + widths.map((w, i) => (i === 0 ? ':' + '-'.repeat(w + 1) : '-'.repeat(w + 1) + ':')).join('|') + '|');
  for (const row of rows) console.log(line(row));
}

/** A target check: `holds` with the measured and required values. */
export function verdict(label: string, value: number, atLeast: number): string {
  const ok = Number.isFinite(value) && value >= atLeast;
  return `${ok ? 'PASS' : 'MISS'}  ${label}: ${Number.isFinite(value) ? value.toFixed(2) : '–'} (target ≥ ${atLeast})`;
}

/** The `p` quantile (0–1) of `values` (nearest rank; 1 is the maximum), NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** A target check for a bound from above: `holds` when `value ≤ atMost`. */
export function verdictAtMost(label: string, value: number, atMost: number): string {
  const ok = Number.isFinite(value) && value <= atMost;
  return `${ok ? 'PASS' : 'MISS'}  ${label}: ${Number.isFinite(value) ? value.toFixed(2) : '–'} (target ≤ ${atMost})`;
}
