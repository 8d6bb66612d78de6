/**
 * {@link PeerConnections}: the application's `maxConnectionsPerAddress`,
 * counted over every adapter. Adapters ask before they upgrade or accept
 * (so a refusal costs no WebSocket), and `app.accept` counts, catching
 * connections that raced past the adapters' check or came from an adapter
 * that does not ask.
 * @module
 */

/** The key of a peer address: an IPv4-mapped IPv6 address is its IPv4 address. */
function keyOf(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

export class PeerConnections {
  readonly #max: number;
  /** Only addresses with a connection open: the map is bounded by the open connections. */
  readonly #open = new Map<string, number>();

  constructor(max: number) {
    this.#max = max;
  }

  /** Whether one more connection from `address` is within the limit. Unknown addresses (`''`) always are. */
  admits(address: string): boolean {
    return address === '' || (this.#open.get(keyOf(address)) ?? 0) < this.#max;
  }

  /** Counts a connection from `address` if it is within the limit; false if it is not. */
  add(address: string): boolean {
    if (address === '') return true;
    const key = keyOf(address);
    const open = this.#open.get(key) ?? 0;
    if (open >= this.#max) return false;
    this.#open.set(key, open + 1);
    return true;
  }

  /** A connection counted by `add` closed. */
  remove(address: string): void {
    if (address === '') return;
    const key = keyOf(address);
    const open = this.#open.get(key);
    if (open === undefined) return;
    if (open <= 1) this.#open.delete(key);
    else this.#open.set(key, open - 1);
  }
}
