/**
 * Where the backplane's state lives in Redis, under one prefix: each node's
 * inbox channel and interest key, the list of live nodes, the control channel.
 * @module
 */

/** The default prefix of every key and channel. */
export const DEFAULT_PREFIX = 'serverwamp:';

export interface Names {
  readonly control: string;
  /** Sorted set: node id → when its registration expires (ms since the epoch). */
  readonly nodes: string;
  inbox(nodeId: string): string;
  interest(nodeId: string): string;
}

export function names(prefix: string): Names {
  return {
    control: `${prefix}control`,
    nodes: `${prefix}nodes`,
    // A hash tag per node: with sharded pub/sub, each inbox goes to the shard of its own slot.
    inbox: (nodeId) => `${prefix}inbox:{${nodeId}}`,
    interest: (nodeId) => `${prefix}interest:${nodeId}`,
  };
}
