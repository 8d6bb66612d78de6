/**
 * Reading a Prometheus text exposition in tests: an independent parser from
 * npm (parse-prometheus-text-format), and a line-by-line check of the 0.0.4
 * format rules that a lenient parser would let through. That parser merges
 * the series of a labelled histogram into one (its own limitation), so
 * histogram samples are read here with {@link samples}.
 */
import assert from 'node:assert/strict';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"`;
const VALUE = '(?:[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?|[+-]Inf|NaN)';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(?:${LABEL})(?:,${LABEL})*\\})? ${VALUE}$`);
const HELP = new RegExp(`^# HELP (${NAME}) (?:[^\\\\\\n]|\\\\[\\\\n])*$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);

/** Asserts the 0.0.4 rules line by line: HELP/TYPE before a family's samples, one TYPE per name, only its samples after it. */
export function assertTextFormat(text: string): void {
  assert.ok(text === '' || text.endsWith('\n'), 'the exposition ends with a newline');
  const typed = new Map<string, string>();
  let current: { name: string; type: string } | undefined;
  for (const line of text.slice(0, -1).split('\n')) {
    const help = HELP.exec(line);
    if (help !== null) continue;
    const type = TYPE.exec(line);
    if (type !== null) {
      assert.ok(!typed.has(type[1]!), `a second TYPE line for ${type[1]}`);
      typed.set(type[1]!, type[2]!);
      current = { name: type[1]!, type: type[2]! };
      continue;
    }
    const sample = SAMPLE.exec(line);
    assert.ok(sample !== null, `not a valid sample line: ${JSON.stringify(line)}`);
    assert.ok(current !== undefined, `a sample before any TYPE: ${line}`);
    const suffixes = current.type === 'histogram' ? ['_bucket', '_sum', '_count'] : [''];
    assert.ok(
      suffixes.some((suffix) => sample[1] === current!.name + suffix),
      `${sample[1]} is not a sample of the ${current.type} ${current.name}`,
    );
  }
}

const SAMPLE_PARTS = /^([^{ ]+)(?:\{(.*)\})? (\S+)$/;
const LABEL_PART = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Every sample line of a valid exposition, with its labels unescaped. */
export function samples(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  assertTextFormat(text);
  const found = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const [, name, labelText = '', value] = SAMPLE_PARTS.exec(line)!;
    const labels: Record<string, string> = {};
    for (const [, key, raw] of labelText.matchAll(LABEL_PART)) {
      labels[key!] = raw!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    found.push({ name: name!, labels, value: value === '+Inf' ? Infinity : value === '-Inf' ? -Infinity : Number(value) });
  }
  return found;
}

/** Parses with the npm parser, after checking the format rules. */
export function parseExposition(text: string): ReturnType<typeof parsePrometheusTextFormat> {
  assertTextFormat(text);
  return parsePrometheusTextFormat(text);
}

/** The parsed value of the sample of `name` whose labels include `labels` (summed over matches); 0 if none. */
export function scraped(text: string, name: string, labels: Record<string, string> = {}): number {
  const family = parseExposition(text).find((f) => f.name === name);
  if (family === undefined) return 0;
  let total = 0;
  for (const metric of family.metrics) {
    if (!Object.entries(labels).every(([key, value]) => metric.labels?.[key] === value)) continue;
    total += Number(metric.value ?? metric.count ?? 0);
  }
  return total;
}
