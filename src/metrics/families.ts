/**
 * The storage behind every metric: families of labelled series (counters,
 * gauges, histograms). Pure data, no I/O; read through {@link MetricFamily}
 * snapshots. A family holds at most `maxSeries` label sets: past that, new
 * label sets all land in one overflow series, so no input can grow memory
 * or a scrape without bound.
 * @module
 */

/**
 * What kind of value a family holds, as Prometheus names it.
 *
 * @example
 * ```ts
 * import type { MetricType } from 'serverwamp';
 *
 * const types = new Map<string, MetricType>(app.metrics!.snapshot().map((family) => [family.name, family.type]));
 * types.get('serverwamp_call_duration_seconds'); // 'histogram'
 * ```
 */
export type MetricType = 'counter' | 'gauge' | 'histogram';

/**
 * One series of a counter or gauge.
 *
 * @example
 * ```ts
 * import type { SampleSeries } from 'serverwamp';
 *
 * const open = app.metrics!.snapshot().find((family) => family.name === 'serverwamp_sessions_open');
 * if (open?.type === 'gauge') {
 *   const series: readonly SampleSeries[] = open.series;
 *   for (const { labels, value } of series) console.log(`${labels['realm']} over ${labels['transport']}: ${value}`);
 * }
 * ```
 */
export interface SampleSeries {
  /** The series' labels, by name. */
  readonly labels: Readonly<Record<string, string>>;
  /** The counter's or gauge's value. */
  readonly value: number;
}

/**
 * One series of a histogram: cumulative bucket counts, as Prometheus reads them.
 *
 * @example
 * ```ts
 * import type { HistogramSeries } from 'serverwamp';
 *
 * const durations = app.metrics!.snapshot().find((family) => family.name === 'serverwamp_call_duration_seconds');
 * if (durations?.type === 'histogram') {
 *   const series: readonly HistogramSeries[] = durations.series;
 *   for (const { labels, sum, count } of series) console.log(labels['procedure'], 'mean seconds', count === 0 ? 0 : sum / count);
 * }
 * ```
 */
export interface HistogramSeries {
  /** The series' labels, by name. */
  readonly labels: Readonly<Record<string, string>>;
  /** Upper bounds in ascending order with the count of observations at or below each; the last is `+Inf`. */
  readonly buckets: readonly {
    /** The bucket's upper bound (`le`, less or equal). */
    readonly le: number;
    /** Observations at or below `le`. */
    readonly count: number;
  }[];
  /** The sum of the observed values. */
  readonly sum: number;
  /** How many values were observed. */
  readonly count: number;
}

/**
 * A snapshot of one metric and all of its series.
 *
 * @example
 * ```ts
 * import { toPrometheusText, type MetricFamily } from 'serverwamp';
 *
 * // The application's own metrics, served with serverwamp's on one /metrics endpoint:
 * const jobs: MetricFamily = { name: 'app_jobs_total', help: 'Jobs run.', type: 'counter', series: [{ labels: { kind: 'export' }, value: 7 }] };
 * const text = toPrometheusText([...app.metrics!.snapshot(), jobs]);
 * ```
 */
export type MetricFamily =
  | {
      /** The metric's name, prefix included. */
      readonly name: string;
      /** The metric's help text. */
      readonly help: string;
      /** A counter or a gauge. */
      readonly type: 'counter' | 'gauge';
      /** One series per label set. */
      readonly series: readonly SampleSeries[];
    }
  | {
      /** The metric's name, prefix included. */
      readonly name: string;
      /** The metric's help text. */
      readonly help: string;
      /** A histogram. */
      readonly type: 'histogram';
      /** One series per label set. */
      readonly series: readonly HistogramSeries[];
    };

/** The label value every label of the overflow series takes. */
const OVERFLOW = '(overflow)';

/** A counter or gauge cell: callers on hot paths keep it and add to `value`. */
export interface Cell {
  value: number;
}

interface Stored<T> {
  readonly values: readonly string[];
  readonly data: T;
}

/** Label sets to data, bounded. */
abstract class Family<T> {
  /** The metric's name, prefix included. */
  readonly name: string;
  /** The metric's help text. */
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly #maxSeries: number;
  readonly #series = new Map<string, Stored<T>>();

  constructor(name: string, help: string, labelNames: readonly string[], maxSeries: number) {
    this.name = name;
    this.help = help;
    this.labelNames = labelNames;
    this.#maxSeries = maxSeries;
  }

  protected abstract create(): T;

  /** The data of one label set (values in `labelNames` order), made on first use. */
  protected at(values: readonly string[]): T {
    // NUL cannot be confused with a value's own characters in practice, and a collision only merges two series.
    const key = values.length === 1 ? values[0]! : values.join('\u0000');
    let stored = this.#series.get(key);
    if (stored === undefined) {
      if (this.#series.size >= this.#maxSeries) return this.#overflow();
      stored = { values: [...values], data: this.create() };
      this.#series.set(key, stored);
    }
    return stored.data;
  }

  #overflow(): T {
    const values = this.labelNames.map(() => OVERFLOW);
    const key = `\u0001${OVERFLOW}`;
    let stored = this.#series.get(key);
    if (stored === undefined) {
      stored = { values, data: this.create() };
      this.#series.set(key, stored);
    }
    return stored.data;
  }

  /** How many series the family holds. */
  get size(): number {
    return this.#series.size;
  }

  protected *entries(): Generator<{ labels: Record<string, string>; data: T; values: readonly string[] }> {
    for (const { values, data } of this.#series.values()) {
      const labels: Record<string, string> = {};
      this.labelNames.forEach((name, i) => (labels[name] = values[i]!));
      yield { labels, data, values };
    }
  }
}

/** A counter (only grows) or a gauge (goes up and down). */
export class SampleFamily extends Family<Cell> {
  /** Whether the metric is a counter or a gauge. */
  readonly type: 'counter' | 'gauge';

  constructor(type: 'counter' | 'gauge', name: string, help: string, labelNames: readonly string[], maxSeries: number) {
    super(name, help, labelNames, maxSeries);
    this.type = type;
  }

  protected create(): Cell {
    return { value: 0 };
  }

  /** The cell of one label set. */
  cell(...values: string[]): Cell {
    return this.at(values);
  }

  /**
   * The family's series; `extra` (for a family of one label) adds figures
   * read at scrape time, by label value, to what was counted.
   */
  snapshot(extra?: ReadonlyMap<string, number>): MetricFamily {
    if (extra !== undefined) for (const value of extra.keys()) this.at([value]);
    const series = [...this.entries()].map(({ labels, data, values }) => ({
      labels,
      value: data.value + (extra?.get(values[0]!) ?? 0),
    }));
    return { name: this.name, help: this.help, type: this.type, series };
  }
}

/** One histogram series: per-bucket counts (not cumulative), sum and count. */
export class Buckets {
  readonly #bounds: readonly number[];
  readonly counts: number[];
  sum = 0;
  count = 0;

  constructor(bounds: readonly number[]) {
    this.#bounds = bounds;
    this.counts = new Array<number>(bounds.length + 1).fill(0);
  }

  observe(value: number): void {
    const bounds = this.#bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    this.counts[i]!++;
    this.sum += value;
    this.count++;
  }
}

/** A histogram over fixed upper bounds. */
export class HistogramFamily extends Family<Buckets> {
  readonly #bounds: readonly number[];

  constructor(name: string, help: string, labelNames: readonly string[], bounds: readonly number[], maxSeries: number) {
    super(name, help, labelNames, maxSeries);
    this.#bounds = bounds;
  }

  protected create(): Buckets {
    return new Buckets(this.#bounds);
  }

  /** The series of one label set: callers on hot paths keep it and `observe` on it. */
  series(...values: string[]): Buckets {
    return this.at(values);
  }

  snapshot(): MetricFamily {
    const bounds = [...this.#bounds, Infinity];
    const series = [...this.entries()].map(({ labels, data }) => {
      let running = 0;
      const buckets = bounds.map((le, i) => ({ le, count: (running += data.counts[i]!) }));
      return { labels, buckets, sum: data.sum, count: data.count };
    });
    return { name: this.name, help: this.help, type: 'histogram', series };
  }
}
