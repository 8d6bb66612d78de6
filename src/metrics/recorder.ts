/**
 * {@link MetricsRecorder}: the application's counters and histograms, fed
 * by the engine through {@link MetricsSink}; `app.metrics` (a
 * `ServerMetrics`) reads them. Every label value is bounded (see
 * `labels.ts`): route patterns, configured realm names, fixed kinds, and
 * error URIs that are WAMP's, serverwamp's or declared by the application.
 * @module
 */
import { CallMeter, outcomeOf } from './call-meter.js';
import { HistogramFamily, SampleFamily, type MetricFamily } from './families.js';
import { authMethodLabel, DEFAULT_REALM, ErrorClasses } from './labels.js';
import type { MetricsSettings } from './metrics-options.js';
import type { CallEnd, ConnectionMeter, DropReason, MetricsSink, ViolationKind } from './sink.js';

// performance.now() where the runtime has it (Node, Deno, Bun, browsers, workers); Date.now() elsewhere.
const clock: () => number = typeof performance === 'undefined' ? Date.now : () => performance.now();

function realmLabel(realm: string | undefined): string {
  return realm === undefined || realm === '' ? DEFAULT_REALM : realm;
}

/** The metric families of one application, and the engine's side of them. */
export class MetricsRecorder implements MetricsSink {
  readonly #errors: ErrorClasses;
  readonly #sessionsOpen: SampleFamily;
  readonly #sessions: SampleFamily;
  readonly #calls: SampleFamily;
  readonly #callDuration: HistogramFamily;
  readonly #serverCalls: SampleFamily;
  readonly #published: SampleFamily;
  readonly #delivered: SampleFamily;
  readonly #dropped: SampleFamily;
  readonly #received: SampleFamily;
  readonly #sent: SampleFamily;
  readonly #authFailures: SampleFamily;
  readonly #violations: SampleFamily;
  readonly #refusals: SampleFamily;
  readonly #all: readonly (SampleFamily | HistogramFamily)[];
  readonly #collectors: (() => void)[] = [];
  readonly #callMeters = new Map<string, CallMeter>();
  readonly #maxSeries: number;
  /** Octets of open connections whose transports count their own, by transport kind: read at each scrape. */
  #liveRead = new Map<string, number>();
  #liveWritten = new Map<string, number>();

  constructor(settings: MetricsSettings) {
    const { prefix: p, maxSeries: max } = settings;
    this.#errors = new ErrorClasses(settings.errorURIs);
    this.#maxSeries = max;
    const counter = (name: string, help: string, labels: string[]): SampleFamily => new SampleFamily('counter', p + name, help, labels, max);
    this.#sessionsOpen = new SampleFamily('gauge', `${p}sessions_open`, 'Sessions established now.', ['realm', 'transport'], max);
    this.#sessions = counter('sessions_total', 'Sessions established.', ['realm', 'transport']);
    this.#calls = counter('calls_total', 'Calls from clients, by route pattern and outcome.', ['procedure', 'outcome', 'error']);
    this.#callDuration = new HistogramFamily(
      `${p}call_duration_seconds`,
      'Time from CALL to its final reply, by route pattern.',
      ['procedure'],
      settings.durationBuckets,
      max,
    );
    this.#serverCalls = counter('server_calls_total', 'Calls from the server to clients (session.call), by outcome.', ['outcome', 'error']);
    this.#published = counter('events_published_total', 'Publications delivered in a realm, made on this node or relayed from another.', [
      'realm',
      'origin',
    ]);
    this.#delivered = counter('events_delivered_total', 'EVENT messages queued to subscribers.', ['realm']);
    this.#dropped = counter('events_dropped_total', 'Events not delivered: slow consumers, events over a client maximum, backplane losses.', ['reason']);
    this.#received = counter('received_bytes_total', 'Octets of WAMP frames received, by transport.', ['transport']);
    this.#sent = counter('sent_bytes_total', 'Octets of WAMP frames sent, by transport.', ['transport']);
    this.#authFailures = counter('auth_failures_total', 'Sessions refused during authentication, by method and ABORT reason.', ['method', 'reason']);
    this.#violations = counter('protocol_violations_total', 'Connections ended for a protocol violation, by kind.', ['kind']);
    this.#refusals = counter('refusals_total', 'Requests, sessions and connections refused by the limits or the drain, by kind (app.refusals).', ['kind']);
    this.#all = [
      this.#sessionsOpen,
      this.#sessions,
      this.#calls,
      this.#callDuration,
      this.#serverCalls,
      this.#published,
      this.#delivered,
      this.#dropped,
      this.#received,
      this.#sent,
      this.#authFailures,
      this.#violations,
      this.#refusals,
    ];
  }

  /** Every metric and its series, after running the collectors. */
  snapshot(): MetricFamily[] {
    this.#liveRead = new Map();
    this.#liveWritten = new Map();
    for (const collect of this.#collectors) collect();
    return this.#all.map((family) =>
      family === this.#received ? family.snapshot(this.#liveRead) : family === this.#sent ? family.snapshot(this.#liveWritten) : family.snapshot(),
    );
  }

  /** Runs `collect` before each snapshot, for figures read from elsewhere (a backplane's counters). */
  addCollector(collect: () => void): void {
    this.#collectors.push(collect);
  }

  /** For a collector: the octets so far of an open connection whose transport counts them. */
  addLiveBytes(transport: string, read: number, written: number): void {
    this.#liveRead.set(transport, (this.#liveRead.get(transport) ?? 0) + read);
    this.#liveWritten.set(transport, (this.#liveWritten.get(transport) ?? 0) + written);
  }

  /** Sets the refusals so far (`app.refusals`, counted by the limits), by kind. */
  setRefusals(counts: Readonly<Record<string, number>>): void {
    for (const [kind, count] of Object.entries(counts)) this.#refusals.cell(kind).value = count;
  }

  /** Sets the backplane's lost publications, a counter the backplane keeps. */
  setBackplaneDropped(total: number): void {
    this.#dropped.cell('backplane').value = total;
  }

  /** */
  now(): number {
    return clock();
  }

  /** */
  connection(transport: string): ConnectionMeter {
    return { received: this.#received.cell(transport), sent: this.#sent.cell(transport) };
  }

  /** */
  wireBytes(transport: string, read: number, written: number): void {
    this.#received.cell(transport).value += read;
    this.#sent.cell(transport).value += written;
  }

  /** */
  callMeter(procedure: string): CallMeter {
    let meter = this.#callMeters.get(procedure);
    if (meter === undefined) {
      meter = new CallMeter(procedure, this.#calls, this.#callDuration, this.#errors, clock);
      // Labels are bounded already; the cache is too, should an application register routes by the thousand.
      if (this.#callMeters.size < this.#maxSeries) this.#callMeters.set(procedure, meter);
    }
    return meter;
  }

  /** */
  sessionOpened(realm: string | undefined, transport: string): void {
    const name = realmLabel(realm);
    this.#sessionsOpen.cell(name, transport).value++;
    this.#sessions.cell(name, transport).value++;
  }

  /** */
  sessionClosed(realm: string | undefined, transport: string): void {
    this.#sessionsOpen.cell(realmLabel(realm), transport).value--;
  }

  /** */
  serverCallEnded(end: CallEnd, error?: string): void {
    const errorLabel = end === 'error' && error !== undefined ? this.#errors.of(error) : '';
    this.#serverCalls.cell(outcomeOf(end, error), errorLabel).value++;
  }

  /** */
  published(realm: string, origin: 'local' | 'remote', delivered: number): void {
    const name = realmLabel(realm);
    this.#published.cell(name, origin).value++;
    if (delivered > 0) this.#delivered.cell(name).value += delivered;
  }

  /** */
  eventDropped(reason: DropReason): void {
    this.#dropped.cell(reason).value++;
  }

  /** */
  authFailed(method: string | undefined, reason: string): void {
    this.#authFailures.cell(authMethodLabel(method), this.#errors.of(reason)).value++;
  }

  /** */
  protocolViolation(kind: ViolationKind): void {
    this.#violations.cell(kind).value++;
  }
}
