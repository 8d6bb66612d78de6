/**
 * {@link SessionDirectory}: the established sessions of an application (and,
 * for the session meta API, of a realm), by id, authid and authrole.
 *
 * It answers for this node's sessions only, synchronously: `app.getSession`
 * and `app.sessions` return live `Session` objects, which exist in one
 * process. A cluster-wide view (docs/scaling.md) asks each node's directory over the
 * backplane and merges the answers, rather than making this one remote.
 * @module
 */
import type { Session } from './model/session.js';

/**
 * Which sessions a {@link SessionDirectory.query} selects; absent fields do not restrict.
 *
 * @example
 * ```ts
 * import { Application, MemorySessionDirectory, type SessionQuery } from 'serverwamp';
 *
 * const sessionDirectory = new MemorySessionDirectory();
 * const app = new Application({ sessionDirectory });
 * const staff: SessionQuery = { authroles: ['admin', 'support'] }; // add authid to narrow to one user
 * for (const session of sessionDirectory.query(staff)) session.sendEvent('staff.notice', { args: ['Deploy at 18:00'] });
 * ```
 */
export interface SessionQuery {
  /** Only the sessions with this authid. */
  readonly authid?: string;
  /** Sessions with any of these authroles. */
  readonly authroles?: readonly string[];
}

/**
 * The established sessions of an application or realm.
 *
 * @example
 * ```ts
 * import { Application, MemorySessionDirectory, type Session, type SessionDirectory } from 'serverwamp';
 *
 * // A directory that also remembers the most sessions this node held at once.
 * class PeakDirectory extends MemorySessionDirectory implements SessionDirectory {
 *   peak = 0;
 *   override add(session: Session): void {
 *     super.add(session);
 *     this.peak = Math.max(this.peak, this.size);
 *   }
 * }
 * const app = new Application({ sessionDirectory: new PeakDirectory() });
 * ```
 */
export interface SessionDirectory {
  /** A session was welcomed. */
  add(session: Session): void;
  /** A session ended; returns whether it was in the directory. */
  delete(session: Session): boolean;
  /** The session with this id, if any. */
  get(id: number): Session | undefined;
  /** How many sessions there are. */
  readonly size: number;
  /** Every session of this node, in no particular order. */
  values(): IterableIterator<Session>;
  /** The sessions `query` selects. */
  query(query: SessionQuery): Session[];
}

/**
 * The in-memory {@link SessionDirectory}: a map by id; authid and authrole queries scan it.
 *
 * @example
 * ```ts
 * const sessionDirectory = new MemorySessionDirectory(); // the default
 * const app = new Application({ sessionDirectory });
 * sessionDirectory.query({ authroles: ['admin'] }); // this node's admin sessions
 * ```
 */
export class MemorySessionDirectory implements SessionDirectory {
  readonly #byId = new Map<number, Session>();

  add(session: Session): void {
    this.#byId.set(session.id, session);
  }

  delete(session: Session): boolean {
    // Only the session itself leaves: never another one that happened to reuse its id.
    if (this.#byId.get(session.id) !== session) return false;
    return this.#byId.delete(session.id);
  }

  get(id: number): Session | undefined {
    return this.#byId.get(id);
  }

  get size(): number {
    return this.#byId.size;
  }

  /** Every session of this node, in the order they were added. */
  values(): IterableIterator<Session> {
    return this.#byId.values();
  }

  query(query: SessionQuery): Session[] {
    const roles = query.authroles === undefined ? undefined : new Set(query.authroles);
    const found: Session[] = [];
    for (const session of this.#byId.values()) {
      if (query.authid !== undefined && session.authid !== query.authid) continue;
      if (roles !== undefined && !roles.has(session.authrole)) continue;
      found.push(session);
    }
    return found;
  }
}
