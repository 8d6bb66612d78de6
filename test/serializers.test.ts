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
import { negotiateProtocol } from '../src/serializers/index.js';

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
    assert.deepEqual(decoded[4], [Buffer.from([1, 2, 3]), 'plain']);
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
    assert.deepEqual(withBytes[3], [Buffer.from([9])]);
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
