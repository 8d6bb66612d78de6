/**
 * The scale-out contract: a {@link Backplane} joins the applications of
 * several processes or machines, so that a publication on one reaches the
 * subscribers of all. It carries {@link RelayedPublication}s, plain data
 * (JSON and msgpack safe): topic, payload, a serializable audience, publisher
 * disclosure and the retain flag. Types only.
 * @module
 */
import type { Publication } from './delivery.js';
import type { Logger } from '../logger.js';
import type { MatchPolicy } from '../protocol/uri.js';

/**
 * One subscription of this node, as a backplane needs to know it to send
 * this node only what its sessions subscribe to: per realm, a topic or
 * pattern and its match policy.
 *
 * @example
 * ```ts
 * import type { Backplane, TopicInterest } from 'serverwamp';
 *
 * // A driver that routes by interest announces this node's subscriptions to the others.
 * const channel = new BroadcastChannel('serverwamp-interests');
 * const backplane: Pick<Backplane, 'interest'> = {
 *   interest({ realm, topic, match }: TopicInterest, present: boolean) {
 *     channel.postMessage({ want: present, realm, topic, match }); // e.g. '', 'chat.', 'prefix'
 *   },
 * };
 * ```
 */
export interface TopicInterest {
  /** The realm's URI, `''` for the default realm. */
  readonly realm: string;
  /** The topic URI, or the pattern of a prefix or wildcard subscription. */
  readonly topic: string;
  /** How `topic` matches: `exact`, `prefix` or `wildcard`. */
  readonly match: MatchPolicy;
}

/**
 * A publication on its way between nodes.
 *
 * @example
 * ```ts
 * import type { Backplane, RelayedPublication } from 'serverwamp';
 *
 * const channel = new BroadcastChannel('serverwamp');
 * const backplane: Backplane = {
 *   start(node) {
 *     channel.onmessage = ({ data }: MessageEvent<string>) => node.deliver(JSON.parse(data) as RelayedPublication);
 *   },
 *   // { origin, realm?, topic, publicationId, payload, audience?, details?, retain? }: plain data, JSON-safe.
 *   publish: (publication: RelayedPublication) => channel.postMessage(JSON.stringify(publication)),
 *   close: () => channel.close(),
 * };
 * ```
 */
export interface RelayedPublication extends Publication {
  /** The node it was made on ({@link BackplaneNode.nodeId}): a node ignores its own. */
  readonly origin: string;
  /** The realm's URI, `''` for the default realm; absent for every realm (`app.publish`). */
  readonly realm?: string;
}

/**
 * What an application gives its backplane when it starts.
 *
 * @example
 * ```ts
 * import type { Backplane, BackplaneNode } from 'serverwamp';
 *
 * const channel = new BroadcastChannel('serverwamp');
 * const backplane: Backplane = {
 *   start(node: BackplaneNode) {
 *     node.logger.info({ nodeId: node.nodeId }, 'joining the other nodes');
 *     channel.onmessage = ({ data }) => node.deliver(data);   // a node ignores its own publications
 *     channel.onmessageerror = (event) => node.onError(event); // logged by the application
 *   },
 *   publish: (publication) => channel.postMessage(publication),
 *   close: () => channel.close(),
 * };
 * ```
 */
export interface BackplaneNode {
  /** Unique per application instance: the origin of its publications, for echo suppression. */
  readonly nodeId: string;
  /** The application's logger, for the driver's own records. */
  readonly logger: Logger;
  /**
   * Delivers a publication from another node to this node's subscribers, and
   * only to them (it is never relayed again). A publication whose `origin` is
   * this node is ignored.
   */
  deliver(publication: RelayedPublication): void;
  /** Reports a failure of the backplane that no call returned (a lost connection…): it is logged. */
  onError(error: unknown): void;
  /**
   * Every (realm, topic, match) this node's sessions subscribe to now: what a
   * backplane that routes by interest announces when it (re)connects.
   */
  interests(): Iterable<TopicInterest>;
  /**
   * A message another node sent this node with {@link Backplane.sendToNode}
   * (remote sessions). Its content is not trusted: the application decodes
   * it defensively.
   */
  receive?(from: string, message: string): void;
}

/**
 * A backplane driver, given to `new Application({ backplane })`. The
 * application calls `start` once, when constructed; `publish` for each
 * publication made on it, fire and forget (a rejection or throw is logged and
 * the local delivery still happens), after storing it if retained and before
 * delivering it to its own subscribers, so that a driver that writes at once
 * lets the other nodes deliver while this one does; `close` from `app.close()`.
 *
 * @example
 * ```ts
 * import { Application, type Backplane } from 'serverwamp';
 *
 * // A sketch: applications in worker threads of one process, joined by a BroadcastChannel
 * // (no interest routing, no remote sessions). serverwamp/redis's redisBackplane is the real driver.
 * function broadcastBackplane(name: string): Backplane {
 *   const channel = new BroadcastChannel(name);
 *   return {
 *     start(node) {
 *       channel.onmessage = ({ data }) => node.deliver(data);
 *     },
 *     publish: (publication) => channel.postMessage(publication),
 *     close: () => channel.close(),
 *   };
 * }
 * const app = new Application({ backplane: broadcastBackplane('serverwamp') });
 * ```
 */
export interface Backplane {
  /** Called once by `new Application`: from then on deliver what other nodes publish to `node`. */
  start(node: BackplaneNode): void | PromiseLike<void>;
  /** Relays one publication of this node to the others; called once the retained store has it. */
  publish(publication: RelayedPublication): void | PromiseLike<void>;
  /** Called by `app.close()`: stop relaying and release connections. */
  close(): void | PromiseLike<void>;
  /**
   * Optional: told synchronously when this node's first subscription to a
   * (realm, topic, match) is made (`present` true) and when its last one
   * ends (false), so that a backplane can ask other nodes for only what this
   * node's sessions want. A backplane that sends everything everywhere leaves
   * it out.
   */
  interest?(change: TopicInterest, present: boolean): void;
  /**
   * Optional, with the four members below (remote sessions, docs/scaling.md):
   * sends `message` to node `nodeId`'s inbox, once, never retried; resolves
   * to whether that node received it (false for an unknown or dead node, or
   * while the backplane is down). The receiving node gets it through
   * {@link BackplaneNode.receive}. Requests and their answers are correlated
   * above the backplane: a backplane only carries text to one node.
   */
  sendToNode?(nodeId: string, message: string): Promise<boolean>;
  /** The session registry: a session was welcomed on this node. */
  sessionOpened?(sessionId: number): void;
  /** The session registry: a session of this node ended. */
  sessionClosed?(sessionId: number): void;
  /**
   * The node (possibly this one) that holds `sessionId`, or undefined if no
   * live node does. Rejects when the registry cannot be reached.
   */
  locateSession?(sessionId: number): Promise<string | undefined>;
  /** The other live nodes, by id (for the cluster-wide session meta API). */
  readonly nodes?: readonly string[];
  /**
   * Optional: `'degraded'` while the backplane cannot reach the other nodes;
   * remote requests waiting for a reply then fail rather than wait for one
   * that may be lost.
   */
  readonly health?: 'ok' | 'degraded';
}
