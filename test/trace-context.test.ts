/**
 * The W3C trace-context checks applied to client input (`_traceparent`,
 * `_tracestate`): exactly the valid values pass, nothing throws, and no
 * value is read past its length bound.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { checkTracestate, formatTraceparent, parseTraceparent, traceHeaders } from '../src/tracing/trace-context.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

describe('trace context checks', () => {
  it('accepts version 00 exactly, and later versions with appended fields', () => {
    assert.deepEqual(parseTraceparent(`00-${TRACE}-${SPAN}-01`), { traceId: TRACE, spanId: SPAN, flags: 1 });
    assert.deepEqual(parseTraceparent(`00-${TRACE}-${SPAN}-00`), { traceId: TRACE, spanId: SPAN, flags: 0 });
    assert.deepEqual(parseTraceparent(`cc-${TRACE}-${SPAN}-01-what-the-future-adds`), { traceId: TRACE, spanId: SPAN, flags: 1 });
    assert.deepEqual(parseTraceparent(`01-${TRACE}-${SPAN}-09`), { traceId: TRACE, spanId: SPAN, flags: 9 });
  });

  it('refuses every malformed traceparent without throwing', () => {
    for (const value of [
      `00-${TRACE}-${SPAN}-01-`,
      `00-${TRACE}-${SPAN}-01x`,
      `01-${TRACE}-${SPAN}-01x`,
      `ff-${TRACE}-${SPAN}-01`,
      `00-${'0'.repeat(32)}-${SPAN}-01`,
      `00-${TRACE}-${'0'.repeat(16)}-01`,
      `00-${TRACE.toUpperCase()}-${SPAN}-01`,
      `00-${TRACE}-${SPAN}-1`,
      `00_${TRACE}_${SPAN}_01`,
      `0-${TRACE}-${SPAN}-01`,
      `00-${TRACE}-${SPAN}-01`.padEnd(300, '-'),
      '',
      undefined,
      null,
      42,
      [`00-${TRACE}-${SPAN}-01`],
      { toString: () => `00-${TRACE}-${SPAN}-01` },
    ]) {
      assert.equal(parseTraceparent(value), undefined, String(value));
    }
  });

  it('never throws, and what it accepts round-trips (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 80 }), fc.anything()), (value) => {
        const parsed = parseTraceparent(value);
        if (parsed !== undefined) assert.equal(formatTraceparent(parsed.traceId, parsed.spanId, parsed.flags), (value as string).slice(0, 55).replace(/^../, '00'));
      }),
      { numRuns: 2000 },
    );
    const hex = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });
    fc.assert(
      fc.property(hex(32), hex(16), fc.integer({ min: 0, max: 255 }), (trace, span, flags) => {
        const value = formatTraceparent(trace, span, flags);
        const zero = /^0+$/.test(trace) || /^0+$/.test(span);
        assert.deepEqual(parseTraceparent(value), zero ? undefined : { traceId: trace, spanId: span, flags });
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps a tracestate only when printable and at most 512 characters, and only with a valid traceparent', () => {
    assert.equal(checkTracestate('congo=t61rcWkgMzE,rojo=00f067aa0ba902b7'), 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7');
    assert.equal(checkTracestate('a'.repeat(512)), 'a'.repeat(512));
    for (const value of ['a'.repeat(513), 'a=\n', 'a=Ω', '', 7, {}]) assert.equal(checkTracestate(value), undefined);
    assert.deepEqual(traceHeaders({ _tracestate: 'a=1' }), { traceparent: undefined, tracestate: undefined });
    assert.deepEqual(traceHeaders({ _traceparent: `00-${TRACE}-${SPAN}-01`, _tracestate: 'a=1' }), { traceparent: `00-${TRACE}-${SPAN}-01`, tracestate: 'a=1' });
  });
});
