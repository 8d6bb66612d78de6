/**
 * The CBOR encoder for outgoing messages: exact bytes for the heads and
 * number forms peers depend on, agreement with an independent decoder
 * (cbor-x) and with our own strict one, and clean refusals for values CBOR
 * cannot carry.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decode as decodeCborX } from 'cbor-x';
import { cborSerializer } from '../src/index.js';

const cbor = cborSerializer();
// The serializer is typed for WAMP messages; these tests feed it single values too.
const encode = (value: unknown): Uint8Array => cbor.encode(value as never) as Uint8Array;
const hexOf = (value: unknown): string => Buffer.from(encode(value)).toString('hex');

describe('CBOR encoding', () => {
  it('writes integers in the shortest head and beyond 32 bits still as integers', () => {
    const cases: Array<[number | bigint, string]> = [
      [0, '00'],
      [23, '17'],
      [24, '1818'],
      [255, '18ff'],
      [256, '190100'],
      [65535, '19ffff'],
      [65536, '1a00010000'],
      [2 ** 32 - 1, '1affffffff'],
      [2 ** 32, '1b0000000100000000'],
      [2 ** 53 - 1, '1b001fffffffffffff'],
      [-1, '20'],
      [-25, '3818'],
      [-(2 ** 53) + 1, '3b001ffffffffffffe'],
      [10n, '1b000000000000000a'],
      [-(2n ** 64n), '3bffffffffffffffff'],
      [2n ** 64n, 'c249010000000000000000'],
      [-(2n ** 64n) - 1n, 'c349010000000000000000'],
    ];
    for (const [value, hex] of cases) assert.equal(hexOf(value), hex, String(value));
  });

  it('writes other numbers as float64, -0 as the integer 0', () => {
    assert.equal(hexOf(1.5), 'fb3ff8000000000000');
    assert.equal(hexOf(2 ** 53), 'fb4340000000000000');
    assert.equal(hexOf(NaN), 'fb7ff8000000000000');
    assert.equal(hexOf(-Infinity), 'fbfff0000000000000');
    assert.equal(hexOf(-0), '00');
  });

  it('writes bytes as a plain byte string (no typed-array tag), whatever the view', () => {
    assert.equal(hexOf(new Uint8Array([1, 2])), '420102');
    assert.equal(hexOf(Buffer.from([3])), '4103');
    assert.equal(hexOf(new Uint8Array([9, 1, 2, 9]).subarray(1, 3)), '420102');
    assert.equal(hexOf(new Uint16Array([0x0102])), Buffer.from(new Uint16Array([0x0102]).buffer).toString('hex').replace(/^/, '42'));
    assert.equal(hexOf(new Uint8Array([5]).buffer), '4105');
  });

  it('writes text of every length and script as cbor-x and our decoder read it back', () => {
    const texts = ['', 'a', 'x'.repeat(23), 'x'.repeat(24), 'x'.repeat(255), 'x'.repeat(256), 'x'.repeat(70_000), 'é', 'é'.repeat(12), 'é'.repeat(200), '😀 wamp', 'ab\u{10ffff}', 'a'.repeat(22) + 'é'];
    for (const text of texts) {
      const bytes = encode([text]);
      assert.equal(decodeCborX(bytes)[0], text, `${text.length} units`);
      assert.deepEqual(cbor.decode(bytes), [[text]]);
    }
    // A lone surrogate cannot be UTF-8: it travels as U+FFFD, as TextEncoder writes it.
    assert.equal(decodeCborX(encode('a\ud800')), 'a\ufffd');
  });

  it('round-trips a WAMP message through cbor-x and our decoder', () => {
    const message = [48, 2 ** 40, { receive_progress: true, nested: { list: [null, false, 1.25, -7] } }, 'com.example.add', [1, 'two', new Uint8Array([3])], { k: undefined }];
    const bytes = encode(message);
    // Our decoder leaves out map entries whose value is undefined; cbor-x keeps them.
    const expected = [48, 2 ** 40, { receive_progress: true, nested: { list: [null, false, 1.25, -7] } }, 'com.example.add', [1, 'two', new Uint8Array([3])], {}];
    assert.deepEqual(cbor.decode(bytes), [expected]);
    const viaCborX = decodeCborX(bytes) as unknown[];
    assert.equal(viaCborX[1], 2n ** 40n, 'a uint64, which cbor-x reads as a BigInt');
    assert.deepEqual(viaCborX[2], expected[2]);
    assert.ok(Object.hasOwn(viaCborX[5] as object, 'k'), 'undefined travels as CBOR undefined');
  });

  it('writes an own __proto__ key as an ordinary key and never reads the prototype', () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": 1}, "a": 2}') as object;
    const bytes = encode([hostile]);
    const [[decoded]] = cbor.decode(bytes) as [[Record<string, unknown>]];
    assert.deepEqual(Object.keys(decoded), ['__proto__', 'a']);
    assert.equal(Object.getPrototypeOf(decoded), Object.prototype);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });

  it('writes Maps with string keys, toJSON results, and class instances by their own fields', () => {
    assert.equal(hexOf(new Map([['a', 1]])), 'a1616101');
    assert.equal(hexOf(new Date(0)), Buffer.concat([Buffer.from([0x78, 24]), Buffer.from('1970-01-01T00:00:00.000Z')]).toString('hex'));
    class Point {
      x = 1;
    }
    assert.equal(hexOf(new Point()), 'a1617801');
  });

  it('refuses cycles, symbols, functions and non-string map keys with a TypeError that shows no value', () => {
    const cycle: unknown[] = [];
    cycle.push(cycle);
    assert.throws(() => encode(cycle), (error: unknown) => error instanceof TypeError && /nesting deeper than 1000/.test(error.message));
    assert.throws(() => encode([Symbol('secret')]), (error: unknown) => error instanceof TypeError && !error.message.includes('secret'));
    assert.throws(() => encode({ f: () => 1 }), TypeError);
    assert.throws(() => encode(new Map([[1, 'x']])), /map keys must be strings/);
    // The encoder is usable again after a refusal.
    assert.equal(hexOf([1]), '8101');
  });

  it('stays correct after a large message and when a toJSON encodes in turn', () => {
    const large = encode(['y'.repeat(1_200_000)]);
    assert.equal(large.byteLength, 1 + 5 + 1_200_000);
    assert.equal(hexOf(['z']), '81617a');
    const inner = { toJSON: () => Buffer.from(encode('in')).toString('hex') };
    assert.deepEqual(cbor.decode(encode(['out', inner, 'after'])), [['out', '62696e', 'after']]);
  });
});
