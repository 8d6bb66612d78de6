/**
 * What the facade needs of a WAMP client library: one small driver per
 * library (autobahn-js, wampy), each bringing answers to a {@link Payload}
 * and errors to a {@link CallError}.
 * @module
 */
import type { Payload } from '../api-shape.js';

/** Options of one call, as the facade hands them to a driver. */
export interface DriverCallOptions {
  readonly onProgress?: (progress: Payload) => void;
  /** CALL.Options.timeout: the server gives the call up with `wamp.error.timeout`. */
  readonly timeout?: number;
  readonly signal?: AbortSignal;
}

/** A client's registered procedure, as the facade calls it: positional arguments in, one value out. */
export type Endpoint = (args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>) => unknown;

export interface Driver {
  call(uri: string, args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>, options: DriverCallOptions): Promise<Payload>;
  /** Resolves once subscribed, with the function that unsubscribes. */
  subscribe(uri: string, handler: (event: Payload) => void): Promise<() => Promise<void>>;
  /** Resolves once the server acknowledged the publication (the publisher is excluded, as WAMP's default). */
  publish(uri: string, kwargs: Readonly<Record<string, unknown>>): Promise<void>;
  /** Resolves once registered, with the function that unregisters. */
  register(uri: string, endpoint: Endpoint): Promise<() => Promise<void>>;
}
