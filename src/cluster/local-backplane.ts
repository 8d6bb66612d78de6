/**
 * An in-process backplane: applications in one process, joined as if they
 * ran on separate nodes. For tests and for trying a cluster design before
 * running one; a real driver (Redis…) implements the same {@link Backplane}.
 * @module
 */
import type { Backplane, BackplaneNode, RelayedPublication } from '../events/backplane.js';

/**
 * A hub of in-process backplanes: each application gets its own from {@link LocalBackplaneHub.backplane}.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { Application, createLocalBackplane, type LocalBackplaneHub } from 'serverwamp';
 *
 * const hub: LocalBackplaneHub = createLocalBackplane();
 * const a = new Application({ backplane: hub.backplane() }); // one backplane per application
 * const b = new Application({ backplane: hub.backplane() });
 * assert.equal(hub.size, 2);
 * await b.close(); // leaves the hub
 * ```
 */
export interface LocalBackplaneHub {
  /** A new backplane on this hub, for one application. */
  backplane(): Backplane;
  /** How many applications are started on the hub. */
  readonly size: number;
}

/**
 * Creates a hub. What one member publishes reaches every other started member
 * in a later microtask, as over a network: never synchronously inside the
 * publisher's call, never back to the publisher, in publication order.
 *
 * @example
 * ```ts
 * const hub = createLocalBackplane();
 * const a = new Application({ backplane: hub.backplane() });
 * const b = new Application({ backplane: hub.backplane() });
 * a.publish('news', { args: ['hello'] }); // b's subscribers get it too
 * ```
 */
export function createLocalBackplane(): LocalBackplaneHub {
  const members = new Set<BackplaneNode>();
  // The session registry: which started member holds each session.
  const holders = new Map<number, BackplaneNode>();
  const byId = (nodeId: string): BackplaneNode | undefined => [...members].find((member) => member.nodeId === nodeId);
  return {
    get size() {
      return members.size;
    },
    backplane(): Backplane {
      let node: BackplaneNode | undefined;
      return {
        start(started) {
          node = started;
          members.add(started);
        },
        publish(publication: RelayedPublication) {
          for (const member of members) {
            if (member === node) continue;
            // A copy for each: no two nodes share objects, as across processes.
            const copy = structuredClone(publication);
            queueMicrotask(() => {
              try {
                member.deliver(copy);
              } catch (error) {
                member.onError(error);
              }
            });
          }
        },
        close() {
          if (node === undefined) return;
          members.delete(node);
          for (const [id, holder] of holders) if (holder === node) holders.delete(id);
        },
        sendToNode(nodeId: string, message: string) {
          const target = byId(nodeId);
          const from = node;
          if (target === undefined || from === undefined || !members.has(from)) return Promise.resolve(false);
          queueMicrotask(() => {
            try {
              target.receive?.(from.nodeId, message);
            } catch (error) {
              target.onError(error);
            }
          });
          return Promise.resolve(true);
        },
        sessionOpened(sessionId: number) {
          if (node !== undefined) holders.set(sessionId, node);
        },
        sessionClosed(sessionId: number) {
          if (holders.get(sessionId) === node) holders.delete(sessionId);
        },
        locateSession(sessionId: number) {
          return Promise.resolve(holders.get(sessionId)?.nodeId);
        },
        get nodes() {
          return [...members].filter((member) => member !== node).map((member) => member.nodeId);
        },
      };
    },
  };
}
