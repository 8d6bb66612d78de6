/** The RawSocket codec on its own: handshakes, replies, frame headers and reassembly. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  FrameDecoder,
  FrameType,
  FramingError,
  HandshakeError,
  handshakeErrorReply,
  handshakeReply,
  lengthExponent,
  parseClientHandshake,
  writeFrameHeader,
  type Frame,
} from '../src/node/rawsocket-framing.js';
import { frame } from './helpers/rawsocket-client.js';

function decodeAll(decoder: FrameDecoder, ...chunks: Uint8Array[]): Frame[] {
  const frames: Frame[] = [];
  for (const chunk of chunks) for (const f of decoder.push(chunk)) frames.push({ type: f.type, payload: Buffer.from(f.payload) });
  return frames;
}

describe('RawSocket handshake', () => {
  it('reads the serializer and the maximum length the client will receive', () => {
    assert.deepEqual(parseClientHandshake(Uint8Array.of(0x7f, 0xf1, 0, 0)), { ok: true, serializerId: 1, maxLength: 2 ** 24 });
    assert.deepEqual(parseClientHandshake(Uint8Array.of(0x7f, 0x02, 0, 0)), { ok: true, serializerId: 2, maxLength: 512 });
  });

  it('refuses the illegal serializer 0 and reserved octets that are not zero', () => {
    assert.deepEqual(parseClientHandshake(Uint8Array.of(0x7f, 0xf0, 0, 0)), { ok: false, error: HandshakeError.SERIALIZER_UNSUPPORTED });
    assert.deepEqual(parseClientHandshake(Uint8Array.of(0x7f, 0xf1, 0, 1)), { ok: false, error: HandshakeError.RESERVED_BITS });
    assert.deepEqual(parseClientHandshake(Uint8Array.of(0x7f, 0xf1, 0x80, 0)), { ok: false, error: HandshakeError.RESERVED_BITS });
  });

  it('echoes the serializer with the server maximum length, and encodes errors in the high nibble', () => {
    assert.deepEqual([...handshakeReply(3, 2 ** 20)], [0x7f, 0xb3, 0, 0]);
    assert.deepEqual([...handshakeErrorReply(HandshakeError.CONNECTION_LIMIT)], [0x7f, 0x40, 0, 0]);
  });

  it('only knows powers of two from 512 octets to 16 MiB as maximum lengths', () => {
    assert.equal(lengthExponent(512), 0);
    assert.equal(lengthExponent(2 ** 24), 15);
    for (const bad of [0, 511, 1000, 2 ** 25, Number.NaN]) assert.throws(() => lengthExponent(bad), RangeError);
  });
});

describe('RawSocket frames', () => {
  it('writes the type and a 24-bit big-endian length, and the X bit only for exactly 2^24 octets', () => {
    const header = new Uint8Array(4);
    writeFrameHeader(header, FrameType.PONG, 0x010203);
    assert.deepEqual([...header], [0x02, 0x01, 0x02, 0x03]);
    writeFrameHeader(header, FrameType.WAMP, 2 ** 24);
    assert.deepEqual([...header], [0x08, 0, 0, 0]);
  });

  it('reassembles a frame cut inside its header and inside its payload', () => {
    const bytes = frame(FrameType.WAMP, '[1,"realm1",{}]');
    const decoder = new FrameDecoder(1024);
    const frames = decodeAll(decoder, bytes.subarray(0, 2), bytes.subarray(2, 7), bytes.subarray(7, 8), bytes.subarray(8));
    assert.equal(frames.length, 1);
    assert.equal(frames[0]!.type, FrameType.WAMP);
    assert.equal(Buffer.from(frames[0]!.payload).toString(), '[1,"realm1",{}]');
    assert.equal(decoder.midFrame, false);
  });

  it('splits coalesced frames of every type, empty payloads included', () => {
    const bytes = Buffer.concat([frame(FrameType.PING, 'abc'), frame(FrameType.WAMP, '[6,{},"x"]'), frame(FrameType.PONG, '')]);
    const frames = decodeAll(new FrameDecoder(1024), bytes);
    assert.deepEqual(
      frames.map((f) => [f.type, Buffer.from(f.payload).toString()]),
      [
        [FrameType.PING, 'abc'],
        [FrameType.WAMP, '[6,{},"x"]'],
        [FrameType.PONG, ''],
      ],
    );
  });

  it('delivers byte-by-byte input exactly as whole input', () => {
    const bytes = Buffer.concat([frame(0, 'one'), frame(1, 'two'), frame(0, 'three')]);
    const decoder = new FrameDecoder(1024);
    const frames = decodeAll(decoder, ...[...bytes].map((b) => Uint8Array.of(b)));
    assert.deepEqual(
      frames.map((f) => Buffer.from(f.payload).toString()),
      ['one', 'two', 'three'],
    );
  });

  it('reports a frame left unfinished', () => {
    const decoder = new FrameDecoder(1024);
    decodeAll(decoder, frame(0, 'unfinished').subarray(0, 6));
    assert.equal(decoder.midFrame, true);
  });

  it('fails on reserved header bits, reserved types, and lengths over the limit, before buffering the payload', () => {
    assert.throws(() => decodeAll(new FrameDecoder(1024), Uint8Array.of(0x10, 0, 0, 1, 0x20)), FramingError);
    assert.throws(() => decodeAll(new FrameDecoder(1024), Uint8Array.of(0x03, 0, 0, 0)), FramingError);
    assert.throws(() => decodeAll(new FrameDecoder(1024), Uint8Array.of(0x00, 0, 0x04, 0x01)), FramingError);
    assert.throws(() => decodeAll(new FrameDecoder(2 ** 24), Uint8Array.of(0x08, 0, 0, 1)), FramingError);
  });

  it('yields the frames before a bad header, then fails', () => {
    const frames: string[] = [];
    const bytes = Buffer.concat([frame(0, 'good'), Buffer.from([0xf0, 0, 0, 0])]);
    assert.throws(() => {
      for (const f of new FrameDecoder(1024).push(bytes)) frames.push(Buffer.from(f.payload).toString());
    }, FramingError);
    assert.deepEqual(frames, ['good']);
  });
});
