/**
 * What a node of the cluster part offers the harness (one per process, two
 * per system on one Redis), and the names both systems use.
 * @module
 */

export type ClusterSystem = 'serverwamp' | 'socketio';

export interface ClusterNode {
  /** Where JSON clients connect. */
  readonly url: string;
  /** Clients subscribed to the fan-out event on this node. */
  subscribers(): number;
  /** Whether a publication of the fan-out event or the probe made here reaches the other node's subscribers now. */
  reachesPeer(event: 'fanout' | 'probe'): boolean;
  /** Publishes the fan-out event (`EVENT_ARGS`, `EVENT_KWARGS`) once. */
  publish(): void;
  /** Publishes the latency event, carrying `seq` and `sentNs` (the shared monotonic clock). */
  publishProbe(seq: number, sentNs: number): void;
  close(): Promise<void>;
}

/** The latency probe's topic (WAMP) or room and event (socket.io). */
export const PROBE_TOPIC = 'bench.probe';
