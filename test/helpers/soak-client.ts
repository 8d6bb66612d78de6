/**
 * A raw WAMP client for the soak test: speaks JSON or MessagePack over `ws`,
 * correlates replies by request id (so the events it receives meanwhile do
 * not get in the way), answers the server's INVOCATIONs of `client.double`,
 * and can leave cleanly (GOODBYE) or abruptly (socket destroyed).
 */
import { Packr, Unpackr } from 'msgpackr';
import WebSocket from 'ws';

const packr = new Packr({ useRecords: false });
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true } as any);

const T = {
  HELLO: 1, WELCOME: 2, ABORT: 3, GOODBYE: 6, ERROR: 8, PUBLISH: 16, PUBLISHED: 17, SUBSCRIBE: 32, SUBSCRIBED: 33,
  EVENT: 36, CALL: 48, CANCEL: 49, RESULT: 50, REGISTER: 64, REGISTERED: 65, INVOCATION: 68, INTERRUPT: 69, YIELD: 70,
} as const;

const ROLES = {
  caller: { features: { progressive_call_results: true, call_canceling: true } },
  callee: { features: { progressive_call_results: true } },
  publisher: { features: {} },
  subscriber: { features: { pattern_based_subscription: true } },
};

/** A reply the server sent for a request: the message, or its ERROR URI. */
export interface Reply {
  message: any[];
  error?: string;
}

export class SoakClient {
  /** EVENTs received. */
  events = 0;
  /** INVOCATIONs answered. */
  invocations = 0;
  readonly #ws: WebSocket;
  readonly #binary: boolean;
  readonly #waiting = new Map<number, { resolve: (reply: Reply) => void; progress?: (message: any[]) => void }>();
  #nextId = 0;
  #welcome: ((message: any[]) => void) | undefined;
  #goodbye: (() => void) | undefined;
  /** Whether to leave INVOCATIONs unanswered (to drop the socket while the server waits). */
  silentCallee = false;
  readonly closed: Promise<void>;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    this.#binary = ws.protocol === 'wamp.2.msgpack';
    this.closed = new Promise((resolve) => ws.once('close', () => resolve()));
    ws.on('message', (data: Buffer) => this.#receive(this.#binary ? unpackr.unpack(data) : JSON.parse(data.toString())));
    // The server may drop us (that is part of what is soaked): the close settles everything.
    ws.on('error', () => undefined);
    void this.closed.then(() => {
      for (const { resolve } of this.#waiting.values()) resolve({ message: [], error: 'closed' });
      this.#waiting.clear();
      this.#goodbye?.();
    });
  }

  /** Opens a session on `realm`; rejects if it is not welcomed. */
  static async open(url: string, protocol: 'wamp.2.json' | 'wamp.2.msgpack', realm = 'realm1'): Promise<SoakClient> {
    const ws = new WebSocket(url, [protocol]);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const client = new SoakClient(ws);
    const welcomed = new Promise<any[]>((resolve) => (client.#welcome = resolve));
    client.#send([T.HELLO, realm, { roles: ROLES }]);
    const reply = await Promise.race([welcomed, client.closed.then(() => [T.ABORT])]);
    if (reply[0] !== T.WELCOME) throw new Error(`not welcomed: ${JSON.stringify(reply).slice(0, 200)}`);
    return client;
  }

  call(procedure: string, args: unknown[] = [], options: Record<string, unknown> = {}, progress?: (message: any[]) => void): { id: number; reply: Promise<Reply> } {
    return this.#request([T.CALL, 0, options, procedure, args], progress);
  }

  cancel(requestId: number): void {
    this.#send([T.CANCEL, requestId, { mode: 'kill' }]);
  }

  subscribe(topic: string, match: 'exact' | 'prefix' | 'wildcard' = 'exact'): Promise<Reply> {
    return this.#request([T.SUBSCRIBE, 0, match === 'exact' ? {} : { match }, topic]).reply;
  }

  publish(topic: string, args: unknown[]): Promise<Reply> {
    return this.#request([T.PUBLISH, 0, { acknowledge: true, exclude_me: false }, topic, args]).reply;
  }

  register(procedure: string): Promise<Reply> {
    return this.#request([T.REGISTER, 0, {}, procedure]).reply;
  }

  /** GOODBYE, then waits for the server's GOODBYE and the close. */
  async goodbye(): Promise<void> {
    const answered = new Promise<void>((resolve) => (this.#goodbye = resolve));
    this.#send([T.GOODBYE, {}, 'wamp.close.close_realm']);
    await answered;
    this.#ws.close(1000);
    await this.closed;
  }

  /** Drops the connection without a word (the socket is destroyed). */
  destroy(): void {
    this.#ws.terminate();
  }

  #request(message: unknown[], progress?: (message: any[]) => void): { id: number; reply: Promise<Reply> } {
    const id = ++this.#nextId;
    message[1] = id;
    const reply = new Promise<Reply>((resolve) => this.#waiting.set(id, { resolve, ...(progress === undefined ? {} : { progress }) }));
    this.#send(message);
    return { id, reply };
  }

  #send(message: unknown[]): void {
    if (this.#ws.readyState !== WebSocket.OPEN) return;
    this.#ws.send(this.#binary ? packr.pack(message) : JSON.stringify(message));
  }

  #settle(id: number, reply: Reply): void {
    const waiting = this.#waiting.get(id);
    this.#waiting.delete(id);
    waiting?.resolve(reply);
  }

  #receive(message: any[]): void {
    switch (message[0]) {
      case T.WELCOME:
        return this.#welcome?.(message);
      case T.EVENT:
        this.events++;
        return;
      case T.RESULT:
        if (message[2]?.progress === true) return this.#waiting.get(message[1])?.progress?.(message);
        return this.#settle(message[1], { message });
      case T.SUBSCRIBED:
      case T.PUBLISHED:
      case T.REGISTERED:
        return this.#settle(message[1], { message });
      case T.ERROR:
        return this.#settle(message[2], { message, error: message[4] });
      case T.INVOCATION:
        this.invocations++;
        if (!this.silentCallee) this.#send([T.YIELD, message[1], {}, [Number(message[4]?.[0]) * 2]]);
        return;
      case T.GOODBYE:
        this.#goodbye?.();
        return;
      default:
        return;
    }
  }
}
