/**
 * The size on the wire of a frame, for the byte counters.
 * @module
 */
import { utf8LengthUpTo } from '../frame-length.js';

// An event goes to many subscribers as the same string: it is measured once, not once per subscriber.
let lastText = '';
let lastLength = 0;

/** The octets `frame` takes on the wire (a string is sent as UTF-8). */
export function frameBytes(frame: string | Uint8Array): number {
  if (typeof frame !== 'string') return frame.byteLength;
  if (frame !== lastText) {
    lastLength = utf8LengthUpTo(frame);
    lastText = frame;
  }
  return lastLength;
}
