/**
 * The Prometheus text exposition format, version 0.0.4: `# HELP` and
 * `# TYPE` lines, then one sample per line; histograms as cumulative
 * `_bucket{le}` samples with `_sum` and `_count`. Pure: families in, text out.
 * @module
 */
import type { MetricFamily } from './families.js';

/**
 * The `Content-Type` of {@link toPrometheusText}'s output.
 *
 * @example
 * ```ts
 * import { PROMETHEUS_CONTENT_TYPE } from 'serverwamp';
 *
 * server.on('request', (request, response) => {
 *   if (request.url !== '/metrics') return;
 *   response.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE }); // as ServerMetrics.contentType
 *   response.end(app.metrics!.prometheus());
 * });
 * ```
 */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Metric names: what Prometheus accepts (colons are for recording rules, so left out). */
export const METRIC_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function escapeLabelValue(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatValue(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (Number.isNaN(value)) return 'NaN';
  return String(value);
}

function labelText(labels: Readonly<Record<string, string>>, le?: number): string {
  const parts = Object.entries(labels).map(([name, value]) => `${name}="${escapeLabelValue(value)}"`);
  if (le !== undefined) parts.push(`le="${formatValue(le)}"`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

/**
 * Renders `families` in the Prometheus text format (0.0.4).
 *
 * @example
 * ```ts
 * const text = toPrometheusText([
 *   { name: 'jobs_total', help: 'Jobs run.', type: 'counter', series: [{ labels: { kind: 'sync' }, value: 3 }] },
 * ]); // '# HELP jobs_total Jobs run.\n# TYPE jobs_total counter\njobs_total{kind="sync"} 3\n'
 * ```
 */
export function toPrometheusText(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    const { name } = family;
    lines.push(`# HELP ${name} ${escapeHelp(family.help)}`, `# TYPE ${name} ${family.type}`);
    if (family.type === 'histogram') {
      for (const series of family.series) {
        for (const bucket of series.buckets) lines.push(`${name}_bucket${labelText(series.labels, bucket.le)} ${formatValue(bucket.count)}`);
        lines.push(`${name}_sum${labelText(series.labels)} ${formatValue(series.sum)}`);
        lines.push(`${name}_count${labelText(series.labels)} ${formatValue(series.count)}`);
      }
    } else {
      for (const series of family.series) lines.push(`${name}${labelText(series.labels)} ${formatValue(series.value)}`);
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
