/**
 * {@link ServerMetrics}: what an application reads of its metrics
 * (`app.metrics`): snapshots, single values, and Prometheus text.
 * @module
 */
import type { MetricFamily } from './families.js';
import { PROMETHEUS_CONTENT_TYPE, toPrometheusText } from './prometheus.js';
import type { MetricsRecorder } from './recorder.js';

/**
 * The metrics of one application, `app.metrics` when the `metrics` option
 * is set. Counted: sessions (open, and opened in total) by realm and
 * transport; calls by route pattern and outcome, with their duration;
 * server→client calls; events published, delivered and dropped; bytes
 * received and sent by transport; authentication failures; protocol
 * violations. Read them with {@link snapshot}, {@link value}, or
 * {@link prometheus} for a scrape.
 *
 * @example
 * ```ts
 * const app = new Application({ metrics: { errorURIs: ['app.error.not_found'] } });
 * // …in an HTTP handler:
 * response.writeHead(200, { 'content-type': ServerMetrics.contentType });
 * response.end(app.metrics!.prometheus());
 * ```
 */
export class ServerMetrics {
  /** The `Content-Type` of {@link prometheus}'s text: the Prometheus text format, version 0.0.4. */
  static readonly contentType = PROMETHEUS_CONTENT_TYPE;

  readonly #recorder: MetricsRecorder;

  /** @internal Made by the application when its `metrics` option is set. */
  constructor(recorder: MetricsRecorder) {
    this.#recorder = recorder;
  }

  /** Every metric and its series, as plain data. */
  snapshot(): MetricFamily[] {
    return this.#recorder.snapshot();
  }

  /** Every metric in the Prometheus text format (0.0.4), for a `/metrics` endpoint; serve it as {@link ServerMetrics.contentType}. */
  prometheus(): string {
    return toPrometheusText(this.snapshot());
  }

  /**
   * The sum of the series of metric `name` (with its prefix) whose labels
   * include `labels`; for a histogram, its count of observations. 0 for an
   * unknown name.
   *
   * @example
   * ```ts
   * app.metrics!.value('serverwamp_calls_total', { procedure: 'math.add', outcome: 'ok' });
   * ```
   */
  value(name: string, labels: Readonly<Record<string, string>> = {}): number {
    const family = this.snapshot().find((candidate) => candidate.name === name);
    if (family === undefined) return 0;
    const wanted = Object.entries(labels);
    let total = 0;
    for (const series of family.series) {
      if (!wanted.every(([key, value]) => series.labels[key] === value)) continue;
      total += 'value' in series ? series.value : series.count;
    }
    return total;
  }
}
