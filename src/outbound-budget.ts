/**
 * Flow control from the outbound side: a connection whose peer does not read
 * what it is sent stops being read, so it cannot make the server produce (and
 * hold) more replies. Payload bytes alone badly underestimate what a queue of
 * small replies holds: each send is one or two stream entries, a frame header
 * buffer and a callback slot, several times the bytes of a small RESULT. So
 * each unflushed send is counted at a fixed estimate on top of its bytes.
 * Bounds hold per connection and, through one {@link OutboundBudget} shared by
 * an application's connections, in total.
 * @module
 */

/**
 * Estimated memory one queued send holds beyond its payload bytes. With it,
 * the estimate matched the memory really retained by stalled flooders' queues
 * of ~30-byte RESULTs within 15 % (test/backpressure-*.test.ts).
 */
const SEND_OVERHEAD = 384;

/**
 * A connection is paused for the total budget only while it holds at least
 * this much: connections with (almost) nothing queued, a bystander's, keep
 * being read whatever the others do.
 */
const MIN_SHARE = 64 * 1024;

/** The application-wide account of what is queued for all connections. */
export class OutboundBudget {
  /** Estimated bytes queued for every metered connection, as last synced. */
  total = 0;
  /** Estimated bytes queued for one connection past which it is no longer read. */
  readonly connectionLimit: number;
  /** Estimated bytes queued in total past which the connections holding at least a small share are no longer read. */
  readonly totalLimit: number;

  constructor(connectionLimit: number, totalLimit: number) {
    this.connectionLimit = connectionLimit;
    this.totalLimit = totalLimit;
  }

  /** Whether a connection holding `cost` must stop being read. */
  over(cost: number): boolean {
    return cost >= this.connectionLimit || (this.total >= this.totalLimit && cost >= MIN_SHARE);
  }

  /** Whether a paused connection holding `cost` may be read again (half the limits, so it does not flap). */
  under(cost: number): boolean {
    return cost < MIN_SHARE || (cost < this.connectionLimit / 2 && this.total < this.totalLimit / 2);
  }
}

/** What a metered transport provides. */
export interface Metered {
  /** Payload bytes written but not yet taken by the kernel. */
  readonly bufferedAmount: number;
  pauseReading(): void;
  resumeReading(): void;
}

/**
 * One connection's account. The transport calls {@link sent} after each send
 * whose write callback is {@link written} (one function per connection, so
 * the hot path allocates nothing), and {@link check} after each batch of
 * input it handled.
 */
export class OutboundMeter {
  /** Write callback for every send; bound once. */
  readonly written: () => void;
  readonly #budget: OutboundBudget;
  readonly #owner: Metered;
  /** Sends whose write callback has not run yet. */
  #sends = 0;
  /** What this connection last added to the budget's total. */
  #counted = 0;
  #paused = false;
  #closed = false;

  constructor(budget: OutboundBudget, owner: Metered) {
    this.#budget = budget;
    this.#owner = owner;
    this.written = () => this.#written();
  }

  /** Estimated memory held for the peer: payload bytes plus a fixed cost per unflushed send. */
  get cost(): number {
    return this.#owner.bufferedAmount + this.#sends * SEND_OVERHEAD;
  }

  /**
   * Nothing is held for the peer: no byte buffered, no send awaiting its
   * write. A send made now usually reaches the network at once, so it need
   * not be metered (no write callback): if it does stay buffered, its bytes
   * show in `bufferedAmount`, and every later send is metered until the
   * buffer empties.
   */
  get idle(): boolean {
    return this.#sends === 0 && this.#owner.bufferedAmount === 0;
  }

  /** Whether reading is paused. */
  get paused(): boolean {
    return this.#paused;
  }

  sent(): void {
    if (this.#closed) return;
    this.#sends++;
    this.#sync(this.cost);
  }

  /** After a batch of input: stops reading while this connection, or all of them, hold too much. */
  check(): void {
    if (this.#closed || this.#paused) return;
    const cost = this.cost;
    this.#sync(cost);
    if (!this.#budget.over(cost)) return;
    this.#paused = true;
    this.#owner.pauseReading();
  }

  /** The transport closed: its share leaves the budget; late write callbacks change nothing. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#budget.total -= this.#counted;
    this.#counted = 0;
    this.#sends = 0;
  }

  #written(): void {
    if (this.#closed || this.#sends === 0) return;
    this.#sends--;
    const cost = this.cost;
    this.#sync(cost);
    if (this.#paused && this.#budget.under(cost)) {
      this.#paused = false;
      this.#owner.resumeReading();
    }
  }

  #sync(cost: number): void {
    this.#budget.total += cost - this.#counted;
    this.#counted = cost;
  }
}
