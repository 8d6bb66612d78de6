/**
 * What an application holds in its tables, counted (see `inspectApplication`
 * in `serverwamp/testing`): for tests and soak runs, which check that every
 * count returns to its baseline once the clients have gone.
 * @module
 */

/**
 * One session's tables; an {@link ApplicationTables} holds their sums over the live sessions.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { inspectApplication, type SessionTables } from 'serverwamp/testing';
 *
 * // After a test's calls have settled, none is left in flight either way:
 * const { callsInFlight, serverCalls }: SessionTables = inspectApplication(app);
 * assert.deepEqual({ callsInFlight, serverCalls }, { callsInFlight: 0, serverCalls: 0 });
 * ```
 */
export interface SessionTables {
  /** The client's CALLs the dealer is running (the in-flight table). */
  callsInFlight: number;
  /** The server's `session.call`s waiting for the client (pending INVOCATIONs). */
  serverCalls: number;
  /** The client's registrations, with those still being authorized. */
  registrations: number;
  /** The client's subscriptions, with those still being opened. */
  subscriptions: number;
}

/**
 * An application's tables; the session tables are summed over its live sessions. What
 * `inspectApplication` in `serverwamp/testing` returns.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { connectTestPeer, inspectApplication, type ApplicationTables } from 'serverwamp/testing';
 *
 * const before: ApplicationTables = inspectApplication(app);
 * const peer = connectTestPeer(app);
 * assert.equal(inspectApplication(app).connections, before.connections + 1);
 * peer.disconnect();
 * assert.deepEqual(inspectApplication(app), before); // nothing leaked
 * ```
 */
export interface ApplicationTables extends SessionTables {
  /** Connections the application serves, established or not. */
  connections: number;
  /** Established sessions, in every realm. */
  sessions: number;
  /** Sessions in the realms' session meta API directories. */
  metaSessions: number;
  /** Distinct (topic, match) subscriptions in the realms' brokers. */
  realmSubscriptions: number;
  /** Bytes queued for every connection, as the outbound budget last counted them. */
  outboundBytes: number;
  /** Operations on remote sessions awaiting a reply, and those run here for other nodes. */
  remoteRequests: number;
}

export function emptySessionTables(): SessionTables {
  return { callsInFlight: 0, serverCalls: 0, registrations: 0, subscriptions: 0 };
}

export function addSessionTables(total: SessionTables, one: SessionTables): void {
  total.callsInFlight += one.callsInFlight;
  total.serverCalls += one.serverCalls;
  total.registrations += one.registrations;
  total.subscriptions += one.subscriptions;
}
