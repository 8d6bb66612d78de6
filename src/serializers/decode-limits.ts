/**
 * What the decoders accept from a client, and the error they throw otherwise.
 * Every incoming frame is hostile: decoders build plain WAMP data only (null,
 * booleans, numbers, integers beyond 2^53 as BigInt up to 64 bits, strings,
 * bytes as `Uint8Array`, arrays and plain objects), with no sharing, no
 * class instances and bounded nesting.
 * @module
 */

/**
 * The deepest nesting of arrays and objects accepted in one message, counting
 * the message array itself. WAMP messages need a handful of levels; the limit
 * keeps every later walk over a message shallow.
 */
export const MAX_DEPTH = 64;

/**
 * A frame that is not plain WAMP data. Its message is a fixed sentence
 * naming the problem and never renders any part of the frame, so it is safe
 * to send back to the client.
 */
export class DecodeError extends Error {
  override readonly name = 'DecodeError';
}

/** Thrown when a container would be nested deeper than {@link MAX_DEPTH}. */
export function tooDeep(): DecodeError {
  return new DecodeError(`nesting deeper than ${MAX_DEPTH} arrays or objects`);
}
