/**
 * WebSocket close frames carry at most 123 octets of reason, and standard
 * `WebSocket.close()` throws beyond that or for codes other than 1000 and
 * 3000–4999 (Deno's server sockets follow that rule): a close must not throw
 * at the engine.
 * @module
 */
import { utf8LengthUpTo } from '../frame-length.js';

/** What every web socket has for closing. */
export interface ClosableSocket {
  close(code?: number, reason?: string): void;
}

/** A reason that fits a close frame. */
function fitted(reason: string): string {
  return utf8LengthUpTo(reason, 123) <= 123 ? reason : reason.slice(0, 40);
}

/** Closes with `code` where the socket allows it, else with 1000 (the reason still says why), else plainly. */
export function closeSocket(socket: ClosableSocket, code: number, reason: string): void {
  const text = fitted(reason);
  try {
    socket.close(code, text);
  } catch {
    try {
      socket.close(1000, text);
    } catch {
      try {
        socket.close();
      } catch {
        // Already closed: nothing left to do.
      }
    }
  }
}
