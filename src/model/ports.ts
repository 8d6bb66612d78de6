/**
 * Ports: what the per-session parts of rpc/ and events/ need from the
 * engine's session beyond what handlers see. The engine implements them on
 * objects it already has (the session, the connection), so a port costs no
 * memory per session.
 * @module
 */
import type { WampMessage } from '../protocol/build.js';
import type { Authorizer } from './authorization.js';
import type { RealmRef } from './session.js';
import type { Session } from './session.js';

/** A realm as the per-session parts read it: with its authorizer, looked up at each request. */
interface AuthorizingRealm extends RealmRef {
  readonly authorizer: Authorizer | undefined;
}

/** A session as its calls, subscriptions and registrations drive it. */
export interface SessionLink extends Session {
  readonly realm: AuthorizingRealm;
  /** Encodes and sends one message unless the session has ended; returns whether it was sent. Throws if it cannot be serialized. */
  send(message: WampMessage): boolean;
  /**
   * Queues an already encoded EVENT through the connection's outbox, which
   * drops it (or closes a slow consumer) past the event bound. Returns
   * whether it was queued.
   */
  queueEvent(frame: string | Uint8Array, topic: string, publicationId: number, utf8?: UTF8Frame): boolean;
}

/** A text frame's UTF-8 encoding, made once and shared by every transport that sends text as bytes. */
export interface UTF8Frame {
  readonly bytes: Uint8Array;
}
