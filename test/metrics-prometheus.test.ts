/**
 * The Prometheus text formatter, read back by an independent parser from
 * npm and checked against the 0.0.4 format rules line by line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Application, ServerMetrics, ServerwampError, toPrometheusText, type MetricFamily } from '../src/index.js';
import { MetricsRecorder } from '../src/metrics/recorder.js';
import { metricsSettings } from '../src/metrics/metrics-options.js';
import { assertTextFormat, parseExposition, samples } from './helpers/prometheus.js';

test('label values with backslashes, quotes and newlines, and help text, survive a round trip through a real parser', () => {
  const awkward = 'C:\\dir\\"quoted"\nsecond line';
  const families: MetricFamily[] = [
    { name: 'awkward_total', help: 'Help with a \\ backslash\nand a newline.', type: 'counter', series: [{ labels: { value: awkward }, value: 3 }] },
    { name: 'plain', help: 'No labels.', type: 'gauge', series: [{ labels: {}, value: -1.5 }] },
    { name: 'extremes', help: 'Special values.', type: 'gauge', series: [{ labels: { v: 'inf' }, value: Infinity }, { labels: { v: 'nan' }, value: NaN }] },
  ];
  const text = toPrometheusText(families);
  const parsed = parseExposition(text);
  assert.equal(parsed[0]!.type, 'COUNTER');
  assert.equal(parsed[0]!.help, 'Help with a \\ backslash\nand a newline.');
  assert.deepEqual(parsed[0]!.metrics, [{ labels: { value: awkward }, value: '3' }]);
  assert.deepEqual(parsed[1]!.metrics, [{ value: '-1.5' }]);
  assert.deepEqual(parsed[2]!.metrics.map((m) => m.value), ['+Inf', 'NaN']);
});

test('a histogram is cumulative _bucket{le} samples ending in +Inf, then _sum and _count', () => {
  // Bounds in seconds, far from the few milliseconds a loaded machine may add between the readings.
  const recorder = new MetricsRecorder(metricsSettings({ durationBuckets: [1, 10] }));
  const metrics = new ServerMetrics(recorder);
  const meter = recorder.callMeter('a.b');
  meter.ended(recorder.now(), 'ok');
  meter.ended(recorder.now() - 5000, 'ok');
  meter.ended(recorder.now() - 50_000, 'ok');
  const text = metrics.prometheus();
  assert.match(text, /# TYPE serverwamp_call_duration_seconds histogram\n/);
  assert.equal(parseExposition(text).find((f) => f.name === 'serverwamp_call_duration_seconds')?.type, 'HISTOGRAM');
  const histogram = samples(text).filter((s) => s.name.startsWith('serverwamp_call_duration_seconds'));
  assert.deepEqual(
    histogram.map((s) => [s.name.slice('serverwamp_call_duration_seconds'.length), s.labels['le'] ?? '', s.labels['procedure']]),
    [
      ['_bucket', '1', 'a.b'],
      ['_bucket', '10', 'a.b'],
      ['_bucket', '+Inf', 'a.b'],
      ['_sum', '', 'a.b'],
      ['_count', '', 'a.b'],
    ],
  );
  const [fast, medium, all, sum, count] = histogram.map((s) => s.value);
  assert.deepEqual([fast, medium, all, count], [1, 2, 3, 3]);
  assert.ok(sum! >= 55 && sum! < 56, `sum ${sum}`);
});

test('every family is exposed with HELP and TYPE even before anything is counted, and the content type is 0.0.4', () => {
  const text = new Application({ metrics: true }).metrics!.prometheus();
  assertTextFormat(text);
  const types = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => `${m[1]} ${m[2]}`);
  assert.deepEqual(types, [
    'serverwamp_sessions_open gauge',
    'serverwamp_sessions_total counter',
    'serverwamp_calls_total counter',
    'serverwamp_call_duration_seconds histogram',
    'serverwamp_server_calls_total counter',
    'serverwamp_events_published_total counter',
    'serverwamp_events_delivered_total counter',
    'serverwamp_events_dropped_total counter',
    'serverwamp_received_bytes_total counter',
    'serverwamp_sent_bytes_total counter',
    'serverwamp_auth_failures_total counter',
    'serverwamp_protocol_violations_total counter',
    'serverwamp_refusals_total counter',
  ]);
  assert.equal(ServerMetrics.contentType, 'text/plain; version=0.0.4; charset=utf-8');
});

test('metrics are off unless asked for; bad metrics options fail fast with ERR_INVALID_OPTION', () => {
  assert.equal(new Application().metrics, undefined);
  assert.equal(new Application({ metrics: false }).metrics, undefined);
  assert.ok(new Application({ metrics: true }).metrics instanceof ServerMetrics);
  assert.match(new Application({ metrics: { prefix: 'myapp_wamp_' } }).metrics!.prometheus(), /^# HELP myapp_wamp_sessions_open /);
  const invalid = (options: unknown, message: RegExp): void =>
    assert.throws(
      () => new Application({ metrics: options as never }),
      (error: unknown) => error instanceof ServerwampError && error.code === 'ERR_INVALID_OPTION' && message.test(error.message),
    );
  invalid('yes', /metrics must be a boolean or an object/);
  invalid({ prefix: '9lives' }, /metrics\.prefix must be letters, digits and underscores/);
  invalid({ durationBuckets: [1, 0.5] }, /metrics\.durationBuckets must be a list of ascending finite numbers/);
  invalid({ errorURIs: 'app.error.x' }, /metrics\.errorURIs must be a list of strings/);
  invalid({ maxSerie: 10 }, /metrics\.maxSerie is not an option \(did you mean maxSeries\?\)/);
});

test("the README recipe with prom-client: its registry's text followed by app.metrics' is one valid exposition", async () => {
  const { Counter, Registry } = await import('prom-client');
  const registry = new Registry();
  new Counter({ name: 'app_orders_total', help: 'Orders placed.', registers: [registry] }).inc(3);
  const app = new Application({ metrics: true });
  const text = (await registry.metrics()) + app.metrics!.prometheus();
  const parsed = parseExposition(text);
  assert.equal(parsed.find((f) => f.name === 'app_orders_total')?.metrics[0]?.value, '3');
  assert.ok(parsed.some((f) => f.name === 'serverwamp_calls_total'));
});
