/**
 * A {@link Transport} over a WebSocket accepted with the hibernation API.
 * workerd's `bufferedAmount` is real on these sockets (it grows while a peer
 * does not read), so the engine's slow-consumer limits apply.
 * @module
 */
import type { Transport } from '../transport.js';
import { closeSocket } from '../web/close-reason.js';
import type { HibernatableWebSocket } from './workerd.js';

const OPEN = 1;

export class HibernatableTransport implements Transport {
  readonly #ws: HibernatableWebSocket;
  readonly #onClose: () => void;

  /** `onClose`: the engine closed the connection (the socket's own close event may never come from a peer that does not answer). */
  constructor(ws: HibernatableWebSocket, onClose: () => void) {
    this.#ws = ws;
    this.#onClose = onClose;
  }

  send(frame: string | Uint8Array): void {
    // A peer that closed meanwhile: the frame is dropped, as WebSocket does.
    if (this.#ws.readyState === OPEN) this.#ws.send(frame);
  }

  close(code: number, reason: string): void {
    closeSocket(this.#ws, code, reason);
    this.#onClose();
  }

  get bufferedAmount(): number {
    return this.#ws.bufferedAmount ?? 0;
  }
}
