/**
 * What every benchmark server offers the harness, and the event every
 * fan-out target delivers.
 * @module
 */
import type { Codec } from '../wamp-client.js';

export type TargetName = 'serverwamp' | 'floor' | 'socketio' | 'router' | 'serverwamp-metrics';

/** A running benchmark server. */
export interface Target {
  /** The URL clients use, per codec (undefined: the codec is not served). */
  readonly urls: Partial<Record<Codec, string>>;
  /** Delivers the benchmark event once to every subscriber; absent if the target cannot publish. */
  readonly publish?: () => void;
  /** How many clients are subscribed to the benchmark event. */
  subscribers(): number;
  /** CPU time used by processes other than this one that serve the target (e.g. a router's callee). */
  helperCpu?(): Promise<number>;
}

/** The topic of the fan-out benchmark. */
export const EVENT_TOPIC = 'bench.tick';
/** The fan-out event's payload: a small, typical market-data tick. */
export const EVENT_ARGS: readonly unknown[] = ['ACME', 123.45];
export const EVENT_KWARGS: Readonly<Record<string, unknown>> = { volume: 1000, venue: 'XNAS', ts: 1_700_000_000_000 };
/** The subscription id the hand-written floor announces. */
export const FLOOR_SUBSCRIPTION_ID = 1;
