/**
 * The WAMP RawSocket wire format, pure (no I/O): the 4-octet opening
 * handshake and its replies, and the length-prefixed frames that follow it
 * (WAMP spec, "RawSocket Transport"). All integers are big-endian.
 *
 * Handshake: `0x7F, LLLL SSSS, 0x00, 0x00`: `LLLL` announces the largest
 * message the sender will receive (2^(9+LLLL) octets), `SSSS` the serializer.
 * Error reply: `0x7F, EEEE 0000, 0x00, 0x00`.
 *
 * Frame: `RRRR XTTT` then a 24-bit length, then the payload. `TTT` is the
 * frame type, `X` a 25th length bit (only a payload of exactly 2^24 octets
 * needs it) and `RRRR` must be zero.
 * @module
 */

/** The first octet of every handshake: it can never start an HTTP request. */
export const MAGIC = 0x7f;

/** The smallest maximum message length a peer can announce (LLLL = 0). */
export const MIN_MAX_LENGTH = 2 ** 9;
/** The largest maximum message length a peer can announce (LLLL = 15). */
const MAX_MAX_LENGTH = 2 ** 24;

/** Serializer ids of the handshake (`SSSS`). 0 is illegal; 4 and 5 are UBJSON and FlatBuffers. */
const RawSocketSerializer = {
  JSON: 1,
  MSGPACK: 2,
  CBOR: 3,
} as const;

/** The WebSocket subprotocol whose serializer each RawSocket serializer id names (never a batched one). */
export const SERIALIZER_PROTOCOLS: ReadonlyMap<number, string> = new Map([
  [RawSocketSerializer.JSON, 'wamp.2.json'],
  [RawSocketSerializer.MSGPACK, 'wamp.2.msgpack'],
  [RawSocketSerializer.CBOR, 'wamp.2.cbor'],
]);

/** Handshake error codes (`EEEE`) of the router's error reply. */
export const HandshakeError = {
  SERIALIZER_UNSUPPORTED: 1,
  MAX_LENGTH_UNACCEPTABLE: 2,
  RESERVED_BITS: 3,
  CONNECTION_LIMIT: 4,
} as const;
export type HandshakeError = (typeof HandshakeError)[keyof typeof HandshakeError];

/** Frame types (`TTT`); 3 to 7 are reserved. */
export const FrameType = {
  WAMP: 0,
  PING: 1,
  PONG: 2,
} as const;
export type FrameType = (typeof FrameType)[keyof typeof FrameType];

export const HEADER_LENGTH = 4;

/** A client handshake, read. */
export type ClientHandshake =
  | {
      readonly ok: true;
      readonly serializerId: number;
      /** The largest message the client will receive, in octets. */
      readonly maxLength: number;
    }
  | { readonly ok: false; readonly error: HandshakeError };

/** Reads a 4-octet client handshake whose first octet is {@link MAGIC}. */
export function parseClientHandshake(octets: Uint8Array): ClientHandshake {
  if (octets[2] !== 0 || octets[3] !== 0) return { ok: false, error: HandshakeError.RESERVED_BITS };
  const second = octets[1]!;
  const serializerId = second & 0x0f;
  if (serializerId === 0) return { ok: false, error: HandshakeError.SERIALIZER_UNSUPPORTED };
  return { ok: true, serializerId, maxLength: 2 ** (9 + (second >> 4)) };
}

/** `LLLL` for a maximum length: a power of two from 2^9 to 2^24. */
export function lengthExponent(maxLength: number): number {
  const exponent = Math.log2(maxLength) - 9;
  if (!Number.isInteger(exponent) || exponent < 0 || exponent > 15) {
    throw new RangeError(`a RawSocket maximum length is a power of two from ${MIN_MAX_LENGTH} to ${MAX_MAX_LENGTH}`);
  }
  return exponent;
}

/** The router's success reply: the client's serializer, echoed, and the router's own maximum length. */
export function handshakeReply(serializerId: number, maxLength: number): Uint8Array {
  return Uint8Array.of(MAGIC, (lengthExponent(maxLength) << 4) | serializerId, 0, 0);
}

/** The router's error reply. */
export function handshakeErrorReply(error: HandshakeError): Uint8Array {
  return Uint8Array.of(MAGIC, error << 4, 0, 0);
}

/** Writes a frame header for a payload of `length` octets (at most 2^24) at `offset` of `target`. */
export function writeFrameHeader(target: Uint8Array, type: FrameType, length: number, offset = 0): void {
  const x = length === MAX_MAX_LENGTH ? 0x08 : 0;
  target[offset] = x | type;
  target[offset + 1] = (length >>> 16) & 0xff;
  target[offset + 2] = (length >>> 8) & 0xff;
  target[offset + 3] = length & 0xff;
}

/** One frame received. */
export interface Frame {
  readonly type: FrameType;
  readonly payload: Uint8Array;
}

/** Why the byte stream broke the framing rules: the connection must be failed. */
export class FramingError extends Error {
  override readonly name = 'FramingError';
}

/**
 * Reassembles frames from a byte stream cut anywhere: a header or payload
 * split over reads, or many frames in one read. A payload that arrives whole
 * in one read is a view of it (no copy); a split one is copied once into a
 * buffer of its announced length, so work stays linear in the bytes received
 * and memory is bounded by `maxLength`: a header announcing more fails before
 * anything is buffered.
 */
export class FrameDecoder {
  readonly #maxLength: number;
  readonly #header = new Uint8Array(HEADER_LENGTH);
  #headerFilled = 0;
  /** The frame being received, once its header is known. */
  #type: FrameType | undefined;
  #payload: Uint8Array | undefined;
  #payloadFilled = 0;

  /** `maxLength`: the largest payload accepted, in octets. */
  constructor(maxLength: number) {
    this.#maxLength = maxLength;
  }

  /** Whether a frame has been started and not finished (the peer stopped mid-frame). */
  get midFrame(): boolean {
    return this.#headerFilled > 0 || this.#type !== undefined;
  }

  /**
   * Feeds received bytes; yields every frame they complete, in order. Throws
   * {@link FramingError} at the first header that breaks the rules (frames
   * before it have been yielded).
   */
  *push(chunk: Uint8Array): Generator<Frame, void, undefined> {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.#type === undefined) {
        const take = Math.min(HEADER_LENGTH - this.#headerFilled, chunk.length - offset);
        this.#header.set(chunk.subarray(offset, offset + take), this.#headerFilled);
        this.#headerFilled += take;
        offset += take;
        if (this.#headerFilled < HEADER_LENGTH) return;
        this.#headerFilled = 0;
        const length = this.#readHeader();
        if (length === 0) {
          yield { type: this.#type!, payload: new Uint8Array(0) };
          this.#type = undefined;
          continue;
        }
        if (chunk.length - offset >= length) {
          const type = this.#type!;
          this.#type = undefined;
          offset += length;
          yield { type, payload: chunk.subarray(offset - length, offset) };
          continue;
        }
        this.#payload = new Uint8Array(length);
        this.#payloadFilled = 0;
      }
      const payload = this.#payload!;
      const take = Math.min(payload.length - this.#payloadFilled, chunk.length - offset);
      payload.set(chunk.subarray(offset, offset + take), this.#payloadFilled);
      this.#payloadFilled += take;
      offset += take;
      if (this.#payloadFilled === payload.length) {
        const type = this.#type!;
        this.#type = undefined;
        this.#payload = undefined;
        yield { type, payload };
      }
    }
  }

  /** Validates the buffered header; sets the frame type and returns the payload length. */
  #readHeader(): number {
    const [first, a, b, c] = this.#header as unknown as [number, number, number, number];
    if (first >> 4 !== 0) throw new FramingError('a frame header used reserved bits');
    const type = first & 0x07;
    if (type !== FrameType.WAMP && type !== FrameType.PING && type !== FrameType.PONG) {
      throw new FramingError(`a frame had the reserved type ${type}`);
    }
    const low = (a << 16) | (b << 8) | c;
    if ((first & 0x08) !== 0 && low !== 0) throw new FramingError('a frame announced a length above 2^24 octets');
    const length = (first & 0x08) !== 0 ? MAX_MAX_LENGTH : low;
    if (length > this.#maxLength) {
      throw new FramingError(`a frame of ${length} octets is over the ${this.#maxLength}-octet limit`);
    }
    this.#type = type;
    return length;
  }
}
