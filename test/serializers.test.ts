/** Serializers: round trips, the JSON binary convention, msgpack quirks, batching. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Packr, Unpackr } from 'msgpackr';
import { decode as decodeCborX } from 'cbor-x';
import {
  cborBatchedSerializer,
  cborSerializer,
  createSerializers,
  jsonBatchedSerializer,
  jsonSerializer,
  msgpackBatchedSerializer,
  msgpackSerializer,
} from '../src/index.js';
import { negotiateProtocol, type Serializer } from '../src/serializers/index.js';
import { DecodeError, MAX_DEPTH } from '../src/serializers/decode-limits.js';
import { exceedsLength } from '../src/frame-length.js';
import fc from 'fast-check';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const bytes = (frame: string | Uint8Array): Uint8Array => (typeof frame === 'string' ? Buffer.from(frame) : frame);

describe('serializers', () => {
  const message = [50, 1, {}, [1, 'two', null, true, 1.5], { nested: { list: [1, 2] }, text: 'ünï ✓' }];

  for (const serializer of [jsonSerializer(), msgpackSerializer(), cborSerializer(), jsonBatchedSerializer(), msgpackBatchedSerializer(), cborBatchedSerializer()]) {
    it(`${serializer.protocol} round-trips a message`, () => {
      assert.deepEqual(serializer.decode(serializer.encode(message)), [message]);
      assert.equal(typeof serializer.encode(message) === 'string', !serializer.binary);
    });
  }

  it('JSON carries bytes as "\\u0000" + base64, both ways', () => {
    const json = jsonSerializer();
    const frame = json.encode([50, 1, {}, [new Uint8Array([1, 2, 3])], { blob: Buffer.from('hi') }]) as string;
    assert.equal(frame, '[50,1,{},["\\u0000AQID"],{"blob":"\\u0000aGk="}]');
    const [decoded] = json.decode('[48,1,{},"p",["\\u0000AQID", "plain"]]') as [unknown[]];
    assert.deepEqual(decoded[4], [new Uint8Array([1, 2, 3]), 'plain']);
  });

  it('JSON base64 matches the standard alphabet at every length, up to 64 KiB', () => {
    const json = jsonSerializer();
    const sizes = [...Array.from({ length: 70 }, (_, i) => i), 8191, 8192, 8193, 65536];
    for (const size of sizes) {
      const data = new Uint8Array(size).map((_, i) => (i * 151 + size) & 0xff);
      const reference = Buffer.from(data).toString('base64');
      assert.equal(json.encode([50, 1, {}, [data]]), `[50,1,{},["\\u0000${reference}"]]`, `encode ${size}`);
      const [decoded] = json.decode(`[50,1,{},["\\u0000${reference}"]]`) as [[number, number, object, Uint8Array[]]];
      assert.deepEqual(decoded[3][0], data, `decode ${size}`);
    }
    // Padding may be left out, as several clients do.
    const [unpadded] = json.decode('[50,1,{},["\\u0000aGk"]]') as [[number, number, object, Uint8Array[]]];
    assert.deepEqual(unpadded[3][0], new Uint8Array([0x68, 0x69]));
  });

  it('JSON refuses a "\\u0000" string that is not base64, without echoing it', () => {
    const json = jsonSerializer();
    for (const text of ['\\u0000not base64!', '\\u0000a', '\\u0000AQID\\u0000', '\\u0000-_-_']) {
      assert.throws(
        () => json.decode(`[48,1,{},"p",["${text}"]]`),
        (error: unknown) => error instanceof DecodeError && error.message === 'a "\\u0000" string is not valid base64',
        text,
      );
    }
  });

  it('JSON base64 uses the runtime\'s Uint8Array.fromBase64/toBase64 where they exist', async () => {
    // Node 20 has neither: a child process gets stand-ins that count their calls.
    const script = `
      let calls = 0;
      Uint8Array.fromBase64 = (text) => {
        calls++;
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw new SyntaxError('not base64');
        return new Uint8Array(Buffer.from(text, 'base64'));
      };
      Uint8Array.prototype.toBase64 = function () { calls++; return Buffer.from(this).toString('base64'); };
      const { jsonSerializer } = await import('./src/serializers/json.ts');
      const json = jsonSerializer();
      const frame = json.encode([50, 1, {}, [new Uint8Array([1, 2, 3])]]);
      const [decoded] = json.decode(frame);
      let refused = '';
      try { json.decode('[50,1,{},["\\\\u0000!!"]]'); } catch (error) { refused = error.message; }
      console.log(JSON.stringify({ calls, frame, bytes: [...decoded[3][0]], plain: Object.getPrototypeOf(decoded[3][0]) === Uint8Array.prototype, refused }));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT });
    assert.deepEqual(JSON.parse(stdout), {
      calls: 3,
      frame: '[50,1,{},["\\u0000AQID"]]',
      bytes: [1, 2, 3],
      plain: true,
      refused: 'a "\\u0000" string is not valid base64',
    });
  });

  it('decoded bytes are plain Uint8Array copies that do not hold on to the frame', () => {
    const frames: Array<[Serializer, Uint8Array | string]> = [
      [jsonSerializer(), '[50,1,{},["\\u0000AQID"]]'],
      [msgpackSerializer(), Buffer.from(new Packr({ useRecords: false }).pack([50, 1, {}, [Buffer.from([1, 2, 3])]]))],
      // [50, 1, {}, [h'010203']]
      [cborSerializer(), Buffer.from('84183201a08143010203', 'hex')],
    ];
    for (const [serializer, frame] of frames) {
      const [decoded] = serializer.decode(frame) as [[number, number, object, Uint8Array[]]];
      const value = decoded[3][0]!;
      assert.equal(Object.getPrototypeOf(value), Uint8Array.prototype, `${serializer.protocol}: a plain Uint8Array`);
      assert.deepEqual([...value], [1, 2, 3]);
      if (typeof frame !== 'string') assert.notEqual(value.buffer, frame.buffer, `${serializer.protocol}: a copy`);
    }
  });

  it('JSON binary conversion can be turned off', () => {
    const json = jsonSerializer({ decodeBinary: false, encodeBinary: false });
    const [decoded] = json.decode('[48,1,{},"p",["\\u0000AQID"]]') as [unknown[]];
    assert.deepEqual(decoded[4], ['\u0000AQID']);
  });

  it('msgpack decodes the "undefined" extension wampy sends, and bytes as bytes', () => {
    const msgpack = msgpackSerializer();
    // [32, 1, {match: undefined}, "t"] as wampy's msgpackr writes it.
    const frame = Buffer.from('9420' + '01' + '81a56d61746368d40000' + 'a174', 'hex');
    const [decoded] = msgpack.decode(frame) as [unknown[]];
    assert.equal((decoded[2] as Record<string, unknown>)['match'], undefined);
    const [withBytes] = msgpack.decode(new Packr({ useRecords: false }).pack([50, 1, {}, [Buffer.from([9])]])) as [unknown[]];
    assert.deepEqual(withBytes[3], [new Uint8Array([9])]);
  });

  it('msgpack and CBOR send integers above 2^32 as integers, not floats', () => {
    const id = 2 ** 53 - 1;
    const packed = Buffer.from(msgpackSerializer().encode([2, id, { nested: [5000000001] }]) as Uint8Array);
    assert.ok(packed[2] === 0xcf || packed[2] === 0xd3, `a 64-bit integer marker, not float64 (got 0x${packed[2]?.toString(16)})`);
    assert.deepEqual(new Unpackr({ useRecords: false, int64AsType: 'number' } as never).unpack(packed), [2, id, { nested: [5000000001] }]);
    const cbor = Buffer.from(cborSerializer().encode([2, id]) as Uint8Array);
    assert.equal(cbor[2], 0x1b, 'CBOR uint64 major type');
    assert.deepEqual(cborSerializer().decode(cbor), [[2, id]]);
    assert.equal(decodeCborX(cbor)[1], BigInt(id), 'an independent decoder sees a real integer');
  });

  it('msgpack leaves undefined out of maps, as JSON does', () => {
    const packed = msgpackSerializer().encode([50, 1, {}, [], { a: 1, gone: undefined }]);
    assert.deepEqual(msgpackSerializer().decode(packed), [[50, 1, {}, [], { a: 1 }]]);
  });

  it('JSON batches split on 0x1E and on the 0x18 Autobahn|Python uses', () => {
    const batched = jsonBatchedSerializer();
    assert.deepEqual(batched.decode('[48,1,{},"a"]\u001e[48,2,{},"b"]\u0018'), [
      [48, 1, {}, 'a'],
      [48, 2, {}, 'b'],
    ]);
    assert.equal(jsonBatchedSerializer().encode([50, 1, {}]), '[50,1,{}]\u001e');
    assert.throws(() => batched.decode('[48,1,{},"a"]'), /record separator/);
  });

  it('JSON batches answer with the separator the client uses', () => {
    const python = jsonBatchedSerializer().forConnection!();
    python.decode('[1,"realm1",{"roles":{}}]\u0018');
    assert.equal(python.encode([2, 1, {}]), '[2,1,{}]\u0018');
    const spec = jsonBatchedSerializer().forConnection!();
    spec.decode('[1,"realm1",{"roles":{}}]\u001e');
    assert.equal(spec.encode([2, 1, {}]), '[2,1,{}]\u001e');
  });

  it('binary batches are length-prefixed', () => {
    const batched = msgpackBatchedSerializer();
    const two = Buffer.concat([bytes(batched.encode([48, 1, {}, 'a'])), bytes(batched.encode([48, 2, {}, 'b']))]);
    assert.deepEqual(batched.decode(two), [
      [48, 1, {}, 'a'],
      [48, 2, {}, 'b'],
    ]);
    assert.throws(() => batched.decode(two.subarray(0, two.length - 1)), /longer than its frame/);
    assert.throws(() => batched.decode(new Uint8Array(0)), /at least one message/);
  });

  it('negotiates the first offered protocol the server speaks', () => {
    const supported = createSerializers(['wamp.2.json', 'wamp.2.msgpack']);
    assert.equal(negotiateProtocol(['wamp.2.cbor', 'wamp.2.msgpack', 'wamp.2.json'], supported)?.protocol, 'wamp.2.msgpack');
    assert.equal(negotiateProtocol(['mqtt'], supported), undefined);
    assert.throws(() => createSerializers(['wamp.2.ubjson']), /does not support/);
  });
});

describe('strict decoders', () => {
  const hex = (text: string): Buffer => Buffer.from(text.replaceAll(' ', ''), 'hex');
  const nested = (open: string, inner: string, depth: number): Buffer => hex(open.repeat(depth) + inner);
  const decodeErrorWith = (pattern: RegExp) => (error: unknown): boolean =>
    error instanceof DecodeError && pattern.test(error.message) && error.message.length < 120;

  it('accept 64 levels of nesting and refuse 65, in every serializer', () => {
    assert.doesNotThrow(() => jsonSerializer().decode('['.repeat(MAX_DEPTH) + ']'.repeat(MAX_DEPTH)));
    assert.throws(() => jsonSerializer().decode('['.repeat(MAX_DEPTH + 1) + ']'.repeat(MAX_DEPTH + 1)), decodeErrorWith(/nesting deeper than 64/));
    assert.doesNotThrow(() => msgpackSerializer().decode(nested('91', 'c0', MAX_DEPTH)));
    assert.throws(() => msgpackSerializer().decode(nested('91', 'c0', MAX_DEPTH + 1)), decodeErrorWith(/nesting/));
    assert.doesNotThrow(() => cborSerializer().decode(nested('81', 'f6', MAX_DEPTH)));
    assert.throws(() => cborSerializer().decode(nested('a1 61 6b', 'f6', MAX_DEPTH + 1)), decodeErrorWith(/nesting/));
  });

  it('keep __proto__ keys as own data properties', () => {
    for (const frame of [hex('81 a9 5f5f70726f746f5f5f 01'), hex('a1 69 5f5f70726f746f5f5f 01')]) {
      const decoder = frame[0] === 0x81 ? msgpackSerializer() : cborSerializer();
      const [value] = decoder.decode(frame) as [Record<string, unknown>];
      assert.deepEqual(Object.keys(value), ['__proto__']);
      assert.equal(Object.getPrototypeOf(value), Object.prototype);
      assert.equal(Object.getOwnPropertyDescriptor(value, '__proto__')?.value, 1);
    }
  });

  it('return integers beyond 2^53 as exact BigInts, and smaller 64-bit ones as numbers', () => {
    assert.deepEqual(msgpackSerializer().decode(hex('93 cf0020000000000001 d3ffe0000000000001 cf001fffffffffffff')), [[2n ** 53n + 1n, -(2n ** 53n) + 1n, 2 ** 53 - 1]]);
    assert.deepEqual(cborSerializer().decode(hex('83 1b0020000000000001 3b0020000000000000 1b001fffffffffffff')), [[2n ** 53n + 1n, -(2n ** 53n) - 1n, 2 ** 53 - 1]]);
    // Bignum tags of up to 8 bytes (node-cbor writes them for BigInts) are plain integers.
    assert.deepEqual(cborSerializer().decode(hex('82 c2 47 20000000000005 c2 41 07')), [[2n ** 53n + 5n, 7]]);
    assert.throws(() => cborSerializer().decode(hex('c2 49 010000000000000000')), decodeErrorWith(/beyond 64 bits/));
  });

  it('read CBOR bytes (also under tag 64), half floats and indefinite lengths', () => {
    assert.deepEqual(cborSerializer().decode(hex('84 d840 42 0102 f93e00 5f 41 01 41 02 ff 9f 7f 61 61 61 62 ff ff')), [[new Uint8Array([1, 2]), 1.5, new Uint8Array([1, 2]), ['ab']]]);
  });

  it('refuse what is not plain WAMP data, without rendering it', () => {
    const long = 'x'.repeat(500);
    const cases: Array<[Serializer, Buffer, RegExp]> = [
      [msgpackSerializer(), hex('d6 ff 00000000'), /extension/],
      [msgpackSerializer(), hex('81 01 02'), /keys must be strings/],
      [msgpackSerializer(), hex('dd ffffffff'), /ends in the middle/],
      [msgpackSerializer(), Buffer.concat([Buffer.from(new Packr({ useRecords: false }).pack(long)), hex('00')]), /bytes after/],
      [msgpackSerializer(), hex('a2 c3 28'), /not valid UTF-8/],
      [msgpackSerializer(), hex('c1'), /starts no MessagePack value/],
      [cborSerializer(), hex('d81c 80'), /tags other than/],
      [cborSerializer(), hex('a1 01 02'), /keys must be text/],
      [cborSerializer(), hex('9b ffffffffffffffff'), /ends in the middle/],
      [cborSerializer(), hex('f0'), /simple values/],
      [cborSerializer(), hex('ff'), /break/],
      [cborSerializer(), hex('62 c3 28'), /not valid UTF-8/],
    ];
    for (const [serializer, frame, pattern] of cases) {
      assert.throws(() => serializer.decode(frame), decodeErrorWith(pattern), frame.toString('hex'));
    }
    assert.throws(() => jsonSerializer().decode(`["${long}"`), decodeErrorWith(/not valid JSON/));
  });

  it('refuse a forged length before allocating for it', () => {
    const started = performance.now();
    for (let i = 0; i < 1000; i++) {
      assert.throws(() => cborSerializer().decode(hex('9a fffffff0 01')), DecodeError);
      assert.throws(() => msgpackSerializer().decode(hex('df fffffff0 a1 61 01')), DecodeError);
    }
    // A loose bound in count and time: 2,000 forged frames, nowhere near 4 Gi elements each.
    assert.ok(performance.now() - started < 5000);
  });
});

describe('UTF-8 length check', () => {
  it('agrees with the encoded length at and around the limit, for any text', () => {
    const text = fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom('a', 'é', '✓', '\u{1F600}', '\uD800', '\uDC00') }));
    fc.assert(
      fc.property(text, fc.integer({ min: -2, max: 2 }), (value, delta) => {
        const length = Buffer.byteLength(value, 'utf8');
        const limit = Math.max(0, length + delta);
        assert.equal(exceedsLength(value, limit), length > limit, `${JSON.stringify(value)} against ${limit}`);
      }),
      { numRuns: 2000 },
    );
  });
});
