/**
 * The contract every WAMP serializer implements.
 * @module
 */
import type { WampMessage } from '../protocol/build.js';

/**
 * Turns WAMP messages into WebSocket frames and back. serverwamp builds its
 * own (`createSerializers`); a custom transport passes one to `app.accept`,
 * and may wrap a built-in one.
 *
 * @example
 * ```ts
 * import { jsonSerializer, type Serializer } from 'serverwamp';
 *
 * const json = jsonSerializer();
 * const counted: Serializer = {
 *   protocol: json.protocol, // 'wamp.2.json'
 *   binary: json.binary,
 *   encode(message) {
 *     metrics.increment('wamp_frames_out', {});
 *     return json.encode(message);
 *   },
 *   decode: (frame) => json.decode(frame),
 * };
 * // a custom adapter then serves with it: app.accept(transport, counted, transportInfo)
 * ```
 */
export interface Serializer {
  /** The WebSocket subprotocol, e.g. `wamp.2.json`. */
  readonly protocol: string;
  /** Whether frames are binary (msgpack, CBOR) rather than text (JSON). */
  readonly binary: boolean;
  /** Encodes one message as one frame. */
  encode(message: WampMessage): string | Uint8Array;
  /** Decodes one frame into the messages it carries (exactly one unless batched). Throws on malformed input. */
  decode(frame: Uint8Array | string): unknown[];
  /** A fresh instance for one connection, for serializers that adapt to their peer. */
  forConnection?(): Serializer;
}
