/**
 * A node-redis v5 cluster (`createCluster()`) as a {@link RedisLink}. Unlike
 * a single client, it needs each command's first key to route it to the
 * shard of that key's slot, and it reports the errors of its shards'
 * connections as `'node-error'`. Its pub/sub connection (a `duplicate()`)
 * sends each `SSUBSCRIBE` to the shard of the channel.
 * @module
 */
import calculateSlot from 'cluster-key-slot';
import { ServerwampError } from '../errors.js';
import type { LinkEvents, RedisLink, RedisSubscriber } from './link.js';
import { nodeRedisSubscriber, type NodeRedisPubSub } from './node-redis.js';

type Handler = (...args: never[]) => void;

/**
 * The part of a node-redis v5 cluster used here (structural: no import of `redis`).
 * {@link nodeRedisClusterLink} takes the cluster as an `object`; a client with `getRandomNode`
 * besides a single client's members is taken for a cluster. node-redis's own method types do not
 * fit this interface, so a cluster is not annotated with it.
 */
export interface NodeRedisCluster extends NodeRedisPubSub {
  /** Whether the cluster client is connected. */
  readonly isOpen: boolean;
  /** node-redis cluster's `sendCommand`: sends one command to the node owning `firstKey`. */
  sendCommand(firstKey: string | undefined, isReadonly: boolean | undefined, args: string[]): Promise<unknown>;
  /** node-redis cluster's `duplicate`: a new cluster client (the subscriber). */
  duplicate(): NodeRedisCluster;
  /** Only a cluster has it: tells a cluster from a single client. */
  getRandomNode(): unknown;
  /** node-redis cluster's `getSlotMaster`: the master serving a slot, with its connection once opened. */
  getSlotMaster?(slot: number): { readonly client?: { readonly isReady: boolean } } | undefined;
  /** node-redis cluster's masters, with their connections once opened. */
  readonly masters?: readonly { readonly client?: { readonly isReady: boolean } }[];
  /** node-redis cluster's slot map: `rediscover(client)` reads the slots again from that node. */
  readonly _slots?: { rediscover?(startWith: unknown): Promise<unknown> };
}

export function isNodeRedisCluster(client: object): client is NodeRedisCluster {
  const c = client as Partial<NodeRedisCluster>;
  return typeof c.sendCommand === 'function' && typeof c.sSubscribe === 'function' && typeof c.duplicate === 'function' && typeof c.getRandomNode === 'function';
}

/**
 * The key a command is routed by: the script's first key for `EVAL`, else
 * the first argument (a key or, for `PUBLISH`/`SPUBLISH`, the channel,
 * whose slot picks the shard of a shard channel). Every command the
 * backplane and the retained store send has its key there.
 */
function firstKey(args: readonly string[]): string | undefined {
  const name = args[0]?.toUpperCase();
  if (name === 'EVAL' || name === 'EVALSHA') return Number(args[2]) > 0 ? args[3] : undefined;
  return args[1];
}

/**
 * Whether the master serving `key` is known to be unreachable: its connection is open but not
 * ready (reconnecting). node-redis holds a command for such a master in its queue until it is
 * back, unbounded: a publication would be delivered late (instead of dropped and counted), a
 * retained write or read would wait.
 */
function masterDown(cluster: NodeRedisCluster, key: string): boolean {
  try {
    const client = cluster.getSlotMaster?.(calculateSlot(key))?.client;
    return client !== undefined && !client.isReady;
  } catch {
    // Slots not known yet: node-redis routes the command itself.
    return false;
  }
}

/** At most one slot refresh per cluster client in this time (ms), however many commands find a master down. */
const REDISCOVER_EVERY_MS = 500;
const rediscovered = new WeakMap<object, number>();

/**
 * Reads the cluster's slots again from a master that answers, when a command finds its slot's
 * master down. node-redis refreshes its slot map only on a MOVED reply, and a command for a dead
 * master never gets one: after a failover to its replica, the cluster kept sending that slot's
 * commands to the dead master's address (refused at once here), so the node stayed degraded until
 * the old master came back, forever if it never did. Rate-limited; nothing if no master answers
 * (the next command tries again).
 */
function rediscoverSoon(cluster: NodeRedisCluster): void {
  const slots = cluster._slots;
  if (typeof slots?.rediscover !== 'function') return;
  const now = Date.now();
  if (now - (rediscovered.get(cluster) ?? -Infinity) < REDISCOVER_EVERY_MS) return;
  const from = cluster.masters?.find((master) => master.client?.isReady === true)?.client;
  if (from === undefined) return;
  rediscovered.set(cluster, now);
  // A failed refresh is reported by node-redis as the cluster's 'error' (watched); the next command retries.
  slots.rediscover(from).catch(() => undefined);
}

/** Rejects at once, and refreshes the slot map, when `key`'s master is down (see {@link masterDown}). */
function refuseIfDown(cluster: NodeRedisCluster, key: string | undefined): Promise<never> | undefined {
  if (key === undefined || !masterDown(cluster, key)) return undefined;
  rediscoverSoon(cluster);
  return Promise.reject(new Error(`the Redis Cluster master of ${JSON.stringify(key)} is unreachable`));
}

/**
 * Not `'node-error'`: the cluster keeps a connection to every master and reports each failed
 * reconnection to any of them, also to a master holding nothing the backplane uses (the retained
 * store's keys, other applications' keys). Taken as an outage, one such master down made the
 * backplane flap between degraded and recovered at every heartbeat, with a warning each time.
 * A shard the backplane does use fails its heartbeat (registration, node list, or the self-check
 * on its inbox's shard), which degrades it until a heartbeat succeeds.
 */
function watchCluster(cluster: NodeRedisPubSub, events: LinkEvents): () => void {
  const onError = (error: unknown): void => events.onError(error);
  const onReady = (): void => events.onReady();
  cluster.on('error', onError as Handler);
  cluster.on('connect', onReady);
  return () => {
    cluster.off('error', onError as Handler);
    cluster.off('connect', onReady);
  };
}

/**
 * Adapts a connected node-redis v5 cluster. Typed loosely (`object`), as the
 * clients' own method types do not fit a structural interface; anything else
 * throws `ServerwampError` `ERR_INVALID_OPTION`.
 *
 * @example
 * ```ts
 * import { createCluster } from 'redis';
 * import { nodeRedisClusterLink } from 'serverwamp/redis';
 *
 * const cluster = createCluster({ rootNodes: [{ url: 'redis://127.0.0.1:7000' }] });
 * await cluster.connect();
 * const link = nodeRedisClusterLink(cluster); // what redisBackplane({ client }) does for you
 * ```
 */
export function nodeRedisClusterLink(cluster: object): RedisLink {
  if (!isNodeRedisCluster(cluster)) {
    throw new ServerwampError('ERR_INVALID_OPTION', 'nodeRedisClusterLink: the client must be a connected node-redis v5 cluster (`createCluster()`)');
  }
  return {
    // A cluster has no `isReady`: open means it knows its shards; a command to a shard that is down fails (and degrades the backplane).
    get ready() {
      return cluster.isOpen;
    },
    command: (args) => {
      const key = firstKey(args);
      return refuseIfDown(cluster, key) ?? cluster.sendCommand(key, false, [...args]);
    },
    watch: (events) => watchCluster(cluster, events),
    async subscriber(listener, events): Promise<RedisSubscriber> {
      const sub = cluster.duplicate();
      const subscriber = await nodeRedisSubscriber(sub, (s) => s.isOpen, listener, events, watchCluster);
      // The subscriber is a cluster client of its own, with its own slot map: an SSUBSCRIBE for a
      // slot whose master failed over waited on the dead master's connection, and the backplane's
      // retries never reached the new master until this client refreshed its slots.
      return {
        get ready() {
          return subscriber.ready;
        },
        subscribe: (channel, sharded) => (sharded ? refuseIfDown(sub, channel) : undefined) ?? subscriber.subscribe(channel, sharded),
        unsubscribe: (channel, sharded) => (sharded ? refuseIfDown(sub, channel) : undefined) ?? subscriber.unsubscribe(channel, sharded),
        close: () => subscriber.close(),
      };
    },
  };
}
