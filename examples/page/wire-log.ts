/**
 * The message panel's source: every frame this page's WebSocket sends and
 * receives, as the text that crossed the wire (the page uses the JSON
 * serializer). It wraps the browser's WebSocket before the WAMP client opens
 * one, so it shows what the client library really sent, not what the page
 * meant to send. EVENTs are labelled with their topic, learnt from the
 * SUBSCRIBE and SUBSCRIBED that made the subscription.
 */

export type Direction = 'sent' | 'received';

export interface WireMessage {
  direction: Direction;
  /** The WAMP message name (CALL, RESULT…), or `?` for a frame that is not a WAMP message. */
  name: string;
  /** The topic of an EVENT, SUBSCRIBE or PUBLISH, the procedure of a CALL. */
  uri: string | undefined;
  text: string;
}

const NAMES: Record<number, string> = {
  1: 'HELLO', 2: 'WELCOME', 3: 'ABORT', 4: 'CHALLENGE', 5: 'AUTHENTICATE', 6: 'GOODBYE', 8: 'ERROR',
  16: 'PUBLISH', 17: 'PUBLISHED', 32: 'SUBSCRIBE', 33: 'SUBSCRIBED', 34: 'UNSUBSCRIBE', 35: 'UNSUBSCRIBED', 36: 'EVENT',
  48: 'CALL', 49: 'CANCEL', 50: 'RESULT', 64: 'REGISTER', 65: 'REGISTERED', 66: 'UNREGISTER', 67: 'UNREGISTERED',
  68: 'INVOCATION', 69: 'INTERRUPT', 70: 'YIELD',
};

/** Reads frames into WireMessages, keeping what it needs to name each EVENT's topic. */
export class WireReader {
  readonly #subscribing = new Map<unknown, string>();
  readonly #topics = new Map<unknown, string>();

  read(direction: Direction, text: string): WireMessage {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return { direction, name: '?', uri: undefined, text };
    }
    if (!Array.isArray(message) || typeof message[0] !== 'number') return { direction, name: '?', uri: undefined, text };
    const [type, a, b, c] = message as [number, unknown, unknown, unknown];
    let uri: string | undefined;
    if (type === 32 && typeof c === 'string') {
      this.#subscribing.set(a, c);
      uri = c;
    } else if (type === 33) {
      const topic = this.#subscribing.get(a);
      this.#subscribing.delete(a);
      if (topic !== undefined) this.#topics.set(b, topic);
      uri = topic;
    } else if (type === 36) {
      // An EVENT of a prefix subscription names its own topic; any other, the one subscribed to.
      const details = c as { topic?: unknown } | undefined;
      uri = typeof details?.topic === 'string' ? details.topic : this.#topics.get(a);
    } else if ((type === 16 || type === 48) && typeof c === 'string') {
      uri = c;
    } else if (type === 8 && typeof message[4] === 'string') {
      uri = message[4];
    }
    return { direction, name: NAMES[type] ?? String(type), uri, text };
  }
}

/** Calls `record` with each frame of every WebSocket the page opens from now on. */
export function recordWebSocketFrames(record: (direction: Direction, text: string) => void): void {
  const Native = window.WebSocket;
  class RecordedWebSocket extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      // Registered before the client sets onmessage, so a frame is shown before its effect.
      this.addEventListener('message', (event: MessageEvent) => {
        if (typeof event.data === 'string') record('received', event.data);
      });
    }

    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      if (typeof data === 'string') record('sent', data);
      super.send(data);
    }
  }
  window.WebSocket = RecordedWebSocket;
}
