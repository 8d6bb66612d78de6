/**
 * The `metrics` option of an application, and its validation.
 * @module
 */
import { ServerwampError } from '../errors.js';
import { boolean, either, nested, nonNegativeInteger, string, stringList, type OptionSpec } from '../options.js';
import { METRIC_NAME } from './prometheus.js';

/**
 * Options of {@link ServerMetrics}: `metrics: true` takes every default.
 *
 * @example
 * ```ts
 * import { Application } from 'serverwamp';
 *
 * const app = new Application({
 *   metrics: { prefix: 'chat_', errorURIs: ['app.error.not_found'], durationBuckets: [0.005, 0.05, 0.5, 5] },
 * });
 * const text = app.metrics?.prometheus(); // serve it at /metrics
 * ```
 */
export interface MetricsOptions {
  /**
   * Error URIs of the application's own (e.g. `app.error.not_found`) that
   * keep their name in the `error` label. Every other URI outside WAMP's and
   * serverwamp's is counted as `(other)`: URIs built from input must not
   * make new series.
   */
  errorURIs?: readonly string[];
  /** Upper bounds, in seconds and ascending, of the call duration histogram's buckets. */
  durationBuckets?: readonly number[];
  /** The prefix of every metric name (default `serverwamp_`). */
  prefix?: string;
  /** Series one metric may hold; label sets past it share one `(overflow)` series (default 1000). */
  maxSeries?: number;
}

/** The default call duration buckets, in seconds: 0.5 ms to 10 s. */
const DEFAULT_DURATION_BUCKETS: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const ascending: OptionSpec = {
  expected: 'a list of ascending finite numbers',
  accepts: (value) =>
    Array.isArray(value) && value.every((n, i) => typeof n === 'number' && Number.isFinite(n) && (i === 0 || n > (value[i - 1] as number))),
};

/** What the application's `metrics` option accepts. */
export const metricsOptionSpec: OptionSpec = either(
  boolean,
  nested({ errorURIs: stringList, durationBuckets: ascending, prefix: string, maxSeries: nonNegativeInteger }),
);

/** The settings metrics run with. */
export interface MetricsSettings {
  readonly errorURIs: readonly string[];
  readonly durationBuckets: readonly number[];
  readonly prefix: string;
  readonly maxSeries: number;
}

/** Fills in the defaults of checked options; `ERR_INVALID_OPTION` for a prefix that cannot start a metric name. */
export function metricsSettings(options: MetricsOptions): MetricsSettings {
  const prefix = options.prefix ?? 'serverwamp_';
  if (prefix !== '' && !METRIC_NAME.test(prefix)) {
    throw new ServerwampError('ERR_INVALID_OPTION', 'metrics.prefix must be letters, digits and underscores, not starting with a digit');
  }
  return {
    errorURIs: options.errorURIs ?? [],
    durationBuckets: options.durationBuckets ?? DEFAULT_DURATION_BUCKETS,
    prefix,
    maxSeries: Math.max(1, options.maxSeries ?? 1000),
  };
}
