/**
 * W3C Trace Context (traceparent, tracestate) values, checked. They arrive
 * from clients in CALL and PUBLISH options (`_traceparent`, `_tracestate`):
 * hostile input, so a value is parsed only after its length is bounded, and
 * anything malformed is dropped (never an error: a bad trace header must not
 * fail the call it rides on).
 * @module
 */
import type { Dict } from '../protocol/messages.js';
import { TraceKey } from './names.js';

/** A parsed `traceparent`. */
export interface Traceparent {
  /** 32 lower-case hex digits, not all zero. */
  readonly traceId: string;
  /** The parent span's id: 16 lower-case hex digits, not all zero. */
  readonly spanId: string;
  /** The trace flags byte (bit 0: sampled). */
  readonly flags: number;
}

/** Version 00 is exactly this long; later versions may append `-…` after it. */
const VERSION_00_LENGTH = 55;
/** Longer than any traceparent worth reading: refused before any parsing. */
const MAX_TRACEPARENT = 256;
/** W3C asks vendors to propagate at least 512 characters of tracestate; more is dropped. */
const MAX_TRACESTATE = 512;

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);
/** A tracestate: printable ASCII, list members separated by commas (the member syntax is the tracer's to judge). */
const TRACESTATE = /^[\x20-\x7e]*$/;

/** The traceparent in `value`, or `undefined` if it is not a valid one. */
export function parseTraceparent(value: unknown): Traceparent | undefined {
  if (typeof value !== 'string' || value.length < VERSION_00_LENGTH || value.length > MAX_TRACEPARENT) return undefined;
  // A future version may add fields; what version 00 defines is read from its first 55 characters.
  const head = value.length === VERSION_00_LENGTH ? value : value.slice(0, VERSION_00_LENGTH);
  const match = TRACEPARENT.exec(head);
  if (match === null) return undefined;
  const [, version, traceId, spanId, flags] = match as unknown as [string, string, string, string, string];
  if (version === 'ff' || traceId === ZERO_TRACE || spanId === ZERO_SPAN) return undefined;
  if (version === '00' ? value.length !== VERSION_00_LENGTH : value.length > VERSION_00_LENGTH && value[VERSION_00_LENGTH] !== '-') {
    return undefined;
  }
  return { traceId, spanId, flags: parseInt(flags, 16) };
}

/** `value` if it is a tracestate worth forwarding, else `undefined`. */
export function checkTracestate(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TRACESTATE) return undefined;
  return TRACESTATE.test(value) ? value : undefined;
}

/** The version-00 traceparent of a span. */
export function formatTraceparent(traceId: string, spanId: string, flags: number): string {
  return `00-${traceId}-${spanId}-${(flags & 0xff).toString(16).padStart(2, '0')}`;
}

/** The valid trace context of a CALL's or PUBLISH's options: the traceparent, and a tracestate only with one. */
export interface TraceHeaders {
  readonly traceparent: string | undefined;
  readonly tracestate: string | undefined;
}

const NONE: TraceHeaders = { traceparent: undefined, tracestate: undefined };

/** The `_traceparent` and `_tracestate` of `options`, each `undefined` unless valid. */
export function traceHeaders(options: Readonly<Dict>): TraceHeaders {
  const traceparent = options[TraceKey.TRACEPARENT];
  if (traceparent === undefined || parseTraceparent(traceparent) === undefined) return NONE;
  return { traceparent: traceparent as string, tracestate: checkTracestate(options[TraceKey.TRACESTATE]) };
}

/** Writes valid trace headers into outgoing `details` (INVOCATION, EVENT); invalid ones are left out. */
export function writeTraceHeaders(details: Dict, traceparent: unknown, tracestate: unknown): void {
  if (parseTraceparent(traceparent) === undefined) return;
  details[TraceKey.TRACEPARENT] = traceparent;
  const state = checkTracestate(tracestate);
  if (state !== undefined) details[TraceKey.TRACESTATE] = state;
}
