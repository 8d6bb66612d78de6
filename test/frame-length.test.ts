/** The engine's UTF-8 length rule for the peer's maximum message length, against Node's own count. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { exceedsLength, utf8LengthUpTo } from '../src/frame-length.js';

describe('frame length', () => {
  it('counts UTF-8 octets as Buffer.byteLength does, lone surrogates and chunk boundaries included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.nat(70_000), (text, pad) => {
        const long = 'a'.repeat(pad) + text; // pushes multi-unit characters across the 64 KiB scratch edge
        assert.equal(utf8LengthUpTo(text), Buffer.byteLength(text));
        assert.equal(utf8LengthUpTo(long), Buffer.byteLength(long));
      }),
      { numRuns: 300 },
    );
    const straddling = 'a'.repeat(64 * 1024 - 2) + '😀' + '\ud800';
    assert.equal(utf8LengthUpTo(straddling), Buffer.byteLength(straddling));
  });

  it('decides exceedsLength exactly at the limit, for text and bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), fc.nat(1300), (text, limit) => {
        assert.equal(exceedsLength(text, limit), Buffer.byteLength(text) > limit);
      }),
      { numRuns: 500 },
    );
    assert.equal(exceedsLength(new Uint8Array(1024), 1024), false);
    assert.equal(exceedsLength(new Uint8Array(1025), 1024), true);
  });
});
