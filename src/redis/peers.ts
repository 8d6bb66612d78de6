/**
 * The other live nodes as one node knows them: their ids and interests,
 * read from Redis (the node list at each heartbeat, a node's interest when it
 * announces a change), and which of them a publication goes to.
 * @module
 */
import { InterestSet } from './interest.js';
import type { Names } from './names.js';

type Command = (args: readonly string[]) => Promise<unknown>;

export class Peers {
  readonly #byId = new Map<string, InterestSet>();
  readonly #command: Command;
  readonly #names: Names;
  readonly #onMalformed: () => void;
  /** Whether every node's interest is to be read again (see {@link invalidate}). */
  #stale = false;

  /** `command` runs a Redis command (bounded in time); `onMalformed` counts an unreadable interest. */
  constructor(command: Command, names: Names, onMalformed: () => void) {
    this.#command = command;
    this.#names = names;
    this.#onMalformed = onMalformed;
  }

  get ids(): string[] {
    return [...this.#byId.keys()];
  }

  /** The nodes whose interest matches `topic` in `realm` (any realm when undefined). */
  targets(topic: string, realm: string | undefined): string[] {
    const targets: string[] = [];
    for (const [nodeId, interest] of this.#byId) if (interest.matches(realm, topic)) targets.push(nodeId);
    return targets;
  }

  /**
   * After a reconnection, announcements may have been missed: the next {@link refresh} reads every
   * node's interest again. Until then the nodes keep their last known interest, so that a
   * publication made meanwhile is still sent (and counted if lost) rather than sent nowhere and
   * counted nowhere.
   */
  invalidate(): void {
    this.#stale = true;
  }

  delete(nodeId: string): void {
    this.#byId.delete(nodeId);
  }

  /** Keeps the nodes of `live` only, reading the interest of those not known yet. */
  async refresh(live: readonly string[]): Promise<void> {
    const alive = new Set(live);
    for (const id of this.#byId.keys()) if (!alive.has(id)) this.#byId.delete(id);
    const stale = this.#stale;
    // Cleared before reading: an invalidation while the reads are under way stands.
    this.#stale = false;
    const unknown = stale ? [...live] : live.filter((id) => !this.#byId.has(id));
    if (unknown.length === 0) return;
    // One GET per node, not an MGET: in Redis Cluster each node's key is in a slot of its own, and a multi-key command across slots fails (CROSSSLOT).
    const values = await Promise.all(unknown.map((id) => this.#command(['GET', this.#names.interest(id)]))).catch((error: unknown) => {
      if (stale) this.#stale = true;
      throw error;
    });
    unknown.forEach((id, i) => this.#set(id, values[i]));
  }

  /** Reads the interest of `nodeId` again (it announced a change). */
  async fetch(nodeId: string): Promise<void> {
    this.#set(nodeId, await this.#command(['GET', this.#names.interest(nodeId)]));
  }

  #set(nodeId: string, value: unknown): void {
    if (typeof value !== 'string') {
      // Its registration expired: it is gone.
      this.#byId.delete(nodeId);
      return;
    }
    try {
      this.#byId.set(nodeId, InterestSet.fromJSON(value));
    } catch {
      this.#onMalformed();
    }
  }
}
