/**
 * The Redis backplane: nodes of one application joined through Redis
 * pub/sub, each publication sent only to the nodes whose sessions subscribe
 * to a matching topic. Each node has an inbox channel; it writes its
 * interest (its subscriptions, per realm) to a key kept alive by a heartbeat,
 * lists itself among the live nodes, and announces changes on a control
 * channel. A publishing node sends a publication once to the inbox of each
 * other node whose interest matches it. Guarantees: docs/scaling.md.
 * @module
 */
import type { Backplane, BackplaneNode, RelayedPublication, TopicInterest } from '../events/backplane.js';
import { ServerwampError } from '../errors.js';
import { errorMessage, toRedisLink } from './detect.js';
import { decodeEnvelope, encodeEnvelope } from './envelope.js';
import { InterestSet } from './interest.js';
import { Peers } from './peers.js';
import type { RedisLink, RedisSubscriber } from './link.js';
import { DEFAULT_PREFIX, names, type Names } from './names.js';
import { newStats, type BackplaneHealth, type BackplaneStats } from './stats.js';

/**
 * Options of {@link redisBackplane}.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { Application } from 'serverwamp';
 * import { redisBackplane } from 'serverwamp/redis';
 *
 * const app = new Application({
 *   backplane: redisBackplane({ client: new Redis('redis://127.0.0.1:6379'), prefix: 'chat-app', nodeTimeout: 5000 }),
 * });
 * ```
 */
export interface RedisBackplaneOptions {
  /**
   * A connected node-redis v5 client (`createClient()` then `connect()`), an
   * ioredis client, or a {@link RedisLink}. The backplane opens one more
   * connection for pub/sub (`duplicate()`); the client itself stays the
   * application's, and is not closed by `app.close()`.
   */
  client: unknown;
  /** Prefix of every key and channel, to share a Redis between applications (default `'serverwamp:'`). */
  prefix?: string;
  /** Use sharded pub/sub (`SPUBLISH`/`SSUBSCRIBE`, Redis 7+), for Redis Cluster. Default false. */
  sharded?: boolean;
  /** How often a node renews its registration and checks its inbox, in ms (default 1000). */
  heartbeatInterval?: number;
  /** How long a node stays listed without a heartbeat, in ms (default 3 × `heartbeatInterval`). */
  nodeTimeout?: number;
}

/**
 * A listener for messages between two nodes other than publications (the requests of remote
 * sessions): the sending node's id and the message text. Tests listen with it; serverwamp's
 * remote sessions receive through `BackplaneNode.receive`.
 */
type NodeMessageHandler = (from: string, message: string) => void;

/**
 * The backplane, with what an application reads about it: what {@link redisBackplane} returns.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { Application } from 'serverwamp';
 * import { redisBackplane } from 'serverwamp/redis';
 *
 * const backplane = redisBackplane({ client: new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379') });
 * const app = new Application({ backplane });
 * await backplane.ready(); // inbox subscribed, node registered (rejects after 10 s)
 * console.log(backplane.health, backplane.nodes, backplane.stats.dropped);
 * console.log(backplane.nodesFor('chat.room', 'realm1')); // the nodes a publication would go to now
 * ```
 */
export interface RedisBackplane extends Backplane {
  /** Counters since start: what crossed, what was lost and why. */
  readonly stats: Readonly<BackplaneStats>;
  /** `'degraded'` while Redis is unreachable or this node's inbox misses its own check. */
  readonly health: BackplaneHealth;
  /** The other live nodes, by id. */
  readonly nodes: readonly string[];
  /** The other nodes a publication of `topic` in `realm` (every realm when absent) is sent to now: those subscribed to it. */
  nodesFor(topic: string, realm?: string): string[];
  /** Resolves once the inbox is subscribed and this node is registered (rejects after `timeout` ms). */
  ready(timeout?: number): Promise<void>;
  /**
   * @internal Sends `message` to node `nodeId`'s inbox; resolves to whether
   * it was received there. For node-to-node requests (remote sessions).
   */
  sendToNode(nodeId: string, message: string): Promise<boolean>;
  /** @internal Receives what other nodes send with {@link sendToNode}. */
  onNodeMessage(handler: NodeMessageHandler | undefined): void;
}

// What starts an inbox message.
const PUBLICATION = 'P';
const PING = 'H';
const NODE_MESSAGE = 'N';
/** Sessions written to, or removed from, the registry by one HSET or HDEL. */
const SESSIONS_PER_COMMAND = 500;

interface Control {
  readonly t: 'interest' | 'bye';
  readonly n: string;
}

function positive(value: number | undefined, fallback: number, key: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ServerwampError('ERR_INVALID_OPTION', `${key} must be a positive number of milliseconds`);
  }
  return value;
}

/**
 * Creates a Redis backplane for one application.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { redisBackplane } from 'serverwamp/redis';
 * const client = await createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' }).connect();
 * const app = new Application({ backplane: redisBackplane({ client }) });
 * ```
 */
export function redisBackplane(options: RedisBackplaneOptions): RedisBackplane {
  const link = toRedisLink(options.client, 'redisBackplane: client');
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  if (typeof prefix !== 'string') throw new ServerwampError('ERR_INVALID_OPTION', 'redisBackplane: prefix must be a string');
  const heartbeat = positive(options.heartbeatInterval, 1000, 'redisBackplane: heartbeatInterval');
  const timeout = positive(options.nodeTimeout, 3 * heartbeat, 'redisBackplane: nodeTimeout');
  return new RedisBackplaneImpl(link, names(prefix), options.sharded === true, heartbeat, timeout);
}

class RedisBackplaneImpl implements RedisBackplane {
  readonly #link: RedisLink;
  readonly #names: Names;
  readonly #sharded: boolean;
  readonly #heartbeatMs: number;
  readonly #timeoutMs: number;
  readonly #stats = newStats();
  readonly #local = new InterestSet();
  readonly #peers: Peers;
  #node: BackplaneNode | undefined;
  #subscriber: RedisSubscriber | undefined;
  #unwatch: (() => void) | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #closed = false;
  #beating = false;
  #flushQueued = false;
  #registered = false;
  #subscribed = false;
  #failing = false;
  /** The self-check sent last and not yet seen back; `undefined` once seen. */
  #pendingPing: string | undefined;
  #pings = 0;
  #nodeHandler: NodeMessageHandler | undefined;
  #waiters: (() => void)[] = [];
  /** This node's sessions, to register again after Redis lost them (a restart without persistence). */
  readonly #sessions = new Set<number>();
  /** Whether Redis may lack some of {@link #sessions}: they are written again at the next heartbeat. */
  #sessionsStale = true;
  /** Sessions opened, and closed, since the last write to Redis (see {@link #writeSessions}). */
  readonly #opened = new Set<number>();
  readonly #gone = new Set<number>();
  #writeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(link: RedisLink, names: Names, sharded: boolean, heartbeatMs: number, timeoutMs: number) {
    this.#link = link;
    this.#names = names;
    this.#sharded = sharded;
    this.#heartbeatMs = heartbeatMs;
    this.#timeoutMs = timeoutMs;
    this.#peers = new Peers((args) => this.#bounded(this.#live(args)), names, () => this.#stats.decodeErrors++);
  }

  get stats(): Readonly<BackplaneStats> {
    return { ...this.#stats };
  }

  get health(): BackplaneHealth {
    return this.#registered && this.#subscribed && !this.#failing && this.#link.ready && this.#subscriber?.ready === true ? 'ok' : 'degraded';
  }

  get nodes(): readonly string[] {
    return this.#peers.ids;
  }

  ready(ms = 10_000): Promise<void> {
    if (this.health === 'ok') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the Redis backplane was not ready within ${ms} ms`)), ms);
      this.#waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  start(node: BackplaneNode): Promise<void> {
    // Thrown, not rejected: `new Application` fails at once for this misuse.
    if (this.#node !== undefined) throw new ServerwampError('ERR_INVALID_OPTION', 'a Redis backplane serves one application: create one per Application');
    this.#node = node;
    for (const interest of node.interests()) this.#local.set(interest, true);
    this.#unwatch = this.#link.watch({ onError: (error) => this.#fail(error), onReady: () => void this.#beat() });
    this.#timer = setInterval(() => void this.#beat(), this.#heartbeatMs);
    return this.#connect();
  }

  async #connect(): Promise<void> {
    const subscriber = await this.#link.subscriber((channel, message) => this.#onMessage(channel, message), {
      onError: (error) => this.#fail(error),
      onReady: () => void this.#resubscribe(false),
    });
    if (this.#closed) return void (await subscriber.close());
    this.#subscriber = subscriber;
    await this.#resubscribe(true);
  }

  nodesFor(topic: string, realm?: string): string[] {
    return this.#peers.targets(topic, realm);
  }

  publish(publication: RelayedPublication): void {
    const targets = this.nodesFor(publication.topic, publication.realm);
    if (targets.length === 0) return;
    if (!this.#link.ready || this.#closed) {
      // Never into a client's offline queue: it would grow without bound and deliver late.
      this.#stats.dropped += targets.length;
      return;
    }
    const message = PUBLICATION + encodeEnvelope(publication);
    for (const nodeId of targets) {
      this.#send(this.#names.inbox(nodeId), message).then(
        (received) => {
          if (received) this.#stats.published++;
          else this.#stats.dropped++;
        },
        () => this.#stats.dropped++,
      );
    }
  }

  interest(change: TopicInterest, present: boolean): void {
    this.#local.set(change, present);
    if (this.#flushQueued || this.#closed) return;
    this.#flushQueued = true;
    // Changes made in one tick (a session leaving with many subscriptions) are announced once.
    queueMicrotask(() => {
      this.#flushQueued = false;
      void this.#announce();
    });
  }

  async sendToNode(nodeId: string, message: string): Promise<boolean> {
    if (!this.#link.ready || this.#node === undefined) return false;
    return this.#send(this.#names.inbox(nodeId), `${NODE_MESSAGE}${this.#node.nodeId}\n${message}`);
  }

  onNodeMessage(handler: NodeMessageHandler | undefined): void {
    this.#nodeHandler = handler;
  }

  sessionOpened(sessionId: number): void {
    this.#sessions.add(sessionId);
    this.#opened.add(sessionId);
    this.#writeSoon();
  }

  sessionClosed(sessionId: number): void {
    if (!this.#sessions.delete(sessionId)) return;
    // One that opened and closed within the same turn was never written.
    if (!this.#opened.delete(sessionId)) this.#gone.add(sessionId);
    this.#writeSoon();
  }

  #writeSoon(): void {
    this.#writeTimer ??= setTimeout(() => this.#writeSessions(), 0);
  }

  /**
   * Writes the sessions opened and closed since the last turn as one HSET and
   * one HDEL (in chunks): a burst of connections costs a few commands, not one
   * each queued ahead of the heartbeat (which then timed out and reported an
   * outage that was not one).
   */
  #writeSessions(): void {
    this.#writeTimer = undefined;
    const opened = [...this.#opened];
    const gone = [...this.#gone];
    this.#opened.clear();
    this.#gone.clear();
    const node = this.#node;
    if (node === undefined || !this.#link.ready || this.#closed) {
      if (opened.length > 0) this.#sessionsStale = true;
      return;
    }
    for (let i = 0; i < opened.length; i += SESSIONS_PER_COMMAND) {
      const fields = opened.slice(i, i + SESSIONS_PER_COMMAND).flatMap((id) => [String(id), node.nodeId]);
      this.#bounded(this.#link.command(['HSET', this.#names.sessions, ...fields])).catch((error: unknown) => {
        this.#sessionsStale = true;
        this.#fail(error);
      });
    }
    for (let i = 0; i < gone.length; i += SESSIONS_PER_COMMAND) {
      const ids = gone.slice(i, i + SESSIONS_PER_COMMAND).map(String);
      this.#bounded(this.#link.command(['HDEL', this.#names.sessions, ...ids])).catch((error: unknown) => this.#fail(error));
    }
  }

  async locateSession(sessionId: number): Promise<string | undefined> {
    const node = this.#node;
    if (node === undefined) return undefined;
    if (this.#sessions.has(sessionId)) return node.nodeId;
    // Never into the offline queue: the caller's operation must fail within its timeout.
    if (!this.#link.ready || this.#closed) throw new Error('Redis is unreachable');
    const holder = await this.#bounded(this.#link.command(['HGET', this.#names.sessions, String(sessionId)]));
    if (typeof holder !== 'string' || holder === node.nodeId) return undefined;
    if (this.#peers.ids.includes(holder)) return holder;
    // A node this one has not read yet (it just started) is listed with a registration not yet expired.
    const expires = await this.#bounded(this.#link.command(['ZSCORE', this.#names.nodes, holder]));
    if (expires !== null && expires !== undefined && Number(expires) > Date.now()) return holder;
    // A node that left the listing (it died): its entries are removed as they are found.
    this.#bounded(this.#link.command(['HDEL', this.#names.sessions, String(sessionId)])).catch(() => undefined);
    return undefined;
  }

  /** Registers every session of this node again, in chunks (after a reconnection). */
  async #registerSessions(node: BackplaneNode): Promise<void> {
    const ids = [...this.#sessions];
    for (let i = 0; i < ids.length; i += SESSIONS_PER_COMMAND) {
      const fields = ids.slice(i, i + SESSIONS_PER_COMMAND).flatMap((id) => [String(id), node.nodeId]);
      await this.#bounded(this.#live(['HSET', this.#names.sessions, ...fields]));
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    if (this.#writeTimer !== undefined) clearTimeout(this.#writeTimer);
    const gone = [...this.#sessions, ...this.#gone].map(String);
    const node = this.#node;
    if (node !== undefined && this.#link.ready) {
      try {
        await this.#bounded(
          Promise.all([
            this.#link.command(['DEL', this.#names.interest(node.nodeId)]),
            this.#link.command(['ZREM', this.#names.nodes, node.nodeId]),
            ...(gone.length === 0 ? [] : [this.#link.command(['HDEL', this.#names.sessions, ...gone])]),
            this.#send(this.#names.control, JSON.stringify({ t: 'bye', n: node.nodeId } satisfies Control)),
          ]),
        );
      } catch {
        // The registration expires by itself.
      }
    }
    await this.#subscriber?.close();
    this.#unwatch?.();
  }

  async #send(channel: string, message: string): Promise<boolean> {
    const receivers = await this.#link.command([this.#sharded ? 'SPUBLISH' : 'PUBLISH', channel, message]);
    return Number(receivers) > 0;
  }

  /**
   * A command of the heartbeat or an announcement: none is sent once the
   * backplane is closed (a heartbeat in flight at `app.close()` stops at its
   * next step rather than writing to a client the application is shutting).
   */
  #live(args: readonly string[]): Promise<unknown> {
    return this.#closed ? Promise.reject(new Error('the Redis backplane is closed')) : this.#link.command(args);
  }

  /**
   * A command of the heartbeat, announcements or close, rejected after a
   * while: a client may hold a command sent just before the connection
   * dropped in its queue and retry it for a long time, and the heartbeat
   * must not wait for it.
   */
  #bounded<T>(operation: Promise<T>): Promise<T> {
    const ms = Math.max(this.#heartbeatMs, 1000);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
    });
    return Promise.race([operation, expired]).finally(() => clearTimeout(timer));
  }

  #fail(error: unknown): void {
    // Commands still in flight at close fail as the application shuts its client: no outage.
    if (this.#closed) return;
    // A client reports every failed reconnection attempt: log the first of each outage only.
    if (!this.#failing) this.#node?.logger.warn({ err: errorMessage(error) }, 'Redis backplane degraded: remote publications are dropped until Redis answers');
    this.#failing = true;
  }

  #recovered(): void {
    if (this.#failing) this.#node?.logger.info('Redis backplane recovered');
    this.#failing = false;
    if (this.health !== 'ok') return;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }

  /** (Re)applies the subscription set: this node's inbox and the control channel. */
  async #resubscribe(first: boolean): Promise<void> {
    const subscriber = this.#subscriber;
    const node = this.#node;
    if (subscriber === undefined || node === undefined || this.#closed) return;
    if (!first) this.#stats.reconnects++;
    try {
      await this.#bounded(subscriber.subscribe(this.#names.inbox(node.nodeId), this.#sharded));
      await this.#bounded(subscriber.subscribe(this.#names.control, this.#sharded));
      this.#subscribed = true;
    } catch (error) {
      this.#subscribed = false;
      this.#fail(error);
      return;
    }
    // Control messages may have been missed while away: read every node's interest again.
    this.#peers.invalidate();
    this.#pendingPing = undefined;
    this.#sessionsStale = true;
    await this.#beat();
    // Tells the nodes already running that this one is here: without it they learnt of it only at
    // their next heartbeat, and a cluster-wide session list asked meanwhile left it out.
    await this.#announce();
  }

  /** Unsubscribes and subscribes again: for a subscription a client lost without saying so. */
  async #forceResubscribe(): Promise<void> {
    const subscriber = this.#subscriber;
    const node = this.#node;
    if (subscriber === undefined || node === undefined) return;
    try {
      await this.#bounded(subscriber.unsubscribe(this.#names.inbox(node.nodeId), this.#sharded));
      await this.#bounded(subscriber.unsubscribe(this.#names.control, this.#sharded));
    } catch (error) {
      this.#fail(error);
    }
    await this.#resubscribe(false);
  }

  /** Writes this node's interest and tells the others. */
  async #announce(): Promise<void> {
    const node = this.#node;
    if (node === undefined || !this.#link.ready || this.#closed) return;
    try {
      await this.#bounded(this.#register(node));
      await this.#bounded(this.#send(this.#names.control, JSON.stringify({ t: 'interest', n: node.nodeId } satisfies Control)));
    } catch (error) {
      this.#fail(error);
    }
  }

  async #register(node: BackplaneNode): Promise<void> {
    const expires = Date.now() + this.#timeoutMs;
    await this.#live(['SET', this.#names.interest(node.nodeId), JSON.stringify(this.#local.toRecord()), 'PX', String(this.#timeoutMs)]);
    await this.#live(['ZADD', this.#names.nodes, String(expires), node.nodeId]);
  }

  /** The heartbeat: renew this node, refresh the list of nodes, check this node's inbox. */
  async #beat(): Promise<void> {
    const node = this.#node;
    if (node === undefined || this.#beating || this.#closed) return;
    if (!this.#link.ready) {
      this.#registered = false;
      return;
    }
    this.#beating = true;
    try {
      if (!this.#subscribed && this.#subscriber?.ready === true) {
        // A subscription that failed or timed out: try again now that the connection is up. The
        // registration first: in a Redis Cluster the inbox's shard may be down while the
        // registration's answers, and a node that stopped renewing it while it retried left the
        // listing; the others then lost what they published for it without counting it as dropped.
        await this.#bounded(this.#register(node)).then(
          () => void (this.#registered = true),
          (error: unknown) => this.#fail(error),
        );
        this.#beating = false;
        await this.#resubscribe(false);
        return;
      }
      if (this.#pendingPing !== undefined && this.#subscribed) {
        // The last self-check never came back: the subscription is gone though the client may not know.
        this.#pendingPing = undefined;
        this.#beating = false;
        await this.#forceResubscribe();
        return;
      }
      if (this.#failing) {
        // After an outage the keys may be gone (a Redis Cluster master that came back empty while
        // this node's subscriptions, on other shards, never dropped, so nothing was resubscribed):
        // the session registry is written again, and every node's interest read again.
        this.#sessionsStale = true;
        this.#peers.invalidate();
      }
      await this.#bounded(this.#register(node));
      this.#registered = true;
      if (this.#sessionsStale) {
        // Cleared first: a registration failing meanwhile marks it stale again.
        this.#sessionsStale = false;
        await this.#registerSessions(node).catch((error: unknown) => {
          this.#sessionsStale = true;
          throw error;
        });
      }
      await this.#bounded(this.#live(['ZREMRANGEBYSCORE', this.#names.nodes, '-inf', String(Date.now())]));
      const listed = await this.#bounded(this.#live(['ZRANGE', this.#names.nodes, '0', '-1']));
      await this.#peers.refresh(Array.isArray(listed) ? listed.filter((id): id is string => typeof id === 'string' && id !== node.nodeId) : []);
      if (this.#subscribed) {
        const ping = `${node.nodeId}:${++this.#pings}`;
        this.#pendingPing = ping;
        await this.#bounded(this.#live([this.#sharded ? 'SPUBLISH' : 'PUBLISH', this.#names.inbox(node.nodeId), PING + ping]));
      }
      this.#recovered();
    } catch (error) {
      this.#fail(error);
    } finally {
      this.#beating = false;
    }
  }

  #onMessage(channel: string, message: string): void {
    try {
      if (channel === this.#names.control) this.#onControl(message);
      else this.#onInbox(message);
    } catch (error) {
      // Never into the client's event emitter: a throw there would surface as its 'error'.
      this.#stats.decodeErrors++;
      this.#node?.logger.warn({ err: errorMessage(error) }, 'Redis backplane ignored a malformed message');
    }
  }

  #onControl(message: string): void {
    const node = this.#node;
    const control = JSON.parse(message) as Partial<Control> | null;
    if (typeof control?.n !== 'string' || (control.t !== 'interest' && control.t !== 'bye')) throw new Error('not a control message');
    if (node === undefined || control.n === node.nodeId) return;
    if (control.t === 'bye') this.#peers.delete(control.n);
    else this.#peers.fetch(control.n).catch((error: unknown) => this.#fail(error));
  }

  #onInbox(message: string): void {
    const node = this.#node;
    if (node === undefined) return;
    switch (message[0]) {
      case PUBLICATION: {
        const publication = decodeEnvelope(message.slice(1));
        if (publication.origin === node.nodeId) return;
        this.#stats.delivered++;
        try {
          node.deliver(publication);
        } catch (error) {
          node.onError(error);
        }
        return;
      }
      case PING:
        if (message.slice(1) === this.#pendingPing) this.#pendingPing = undefined;
        return;
      case NODE_MESSAGE: {
        const newline = message.indexOf('\n');
        if (newline < 0) throw new Error('not a node message');
        const from = message.slice(1, newline);
        const body = message.slice(newline + 1);
        if (this.#nodeHandler !== undefined) this.#nodeHandler(from, body);
        else node.receive?.(from, body);
        return;
      }
      default:
        throw new Error('unknown inbox message');
    }
  }
}
