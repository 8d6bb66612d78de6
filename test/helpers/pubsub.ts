/**
 * A uniform subscribe/publish over autobahn-js and wampy sessions opened by
 * `connectClient`, plus a deferred for waiting on server-side handlers.
 */
import type { UniformClient } from './clients.js';

export interface ReceivedEvent {
  args: unknown[];
  kwargs: Record<string, unknown>;
  /** EVENT.Details (wampy) or autobahn's event details (`topic`, `publication`, `publisher`). */
  details: Record<string, any>;
}

export interface ClientSubscription {
  id: number;
  unsubscribe(): Promise<void>;
}

/** Subscribes; rejects with `{ error, args }` as the client reported it. */
export async function subscribe(
  client: UniformClient,
  topic: string,
  onEvent: (event: ReceivedEvent) => void,
  options: Record<string, unknown> = {},
): Promise<ClientSubscription> {
  if (client.name.startsWith('autobahn')) {
    const session = client.raw.session;
    try {
      const subscription = await session.subscribe(
        topic,
        (args: unknown[] | undefined, kwargs: Record<string, unknown> | undefined, details: any) =>
          onEvent({ args: args ?? [], kwargs: kwargs ?? {}, details }),
        options,
      );
      return { id: subscription.id, unsubscribe: () => session.unsubscribe(subscription) };
    } catch (error: any) {
      throw { error: error.error, args: error.args ?? [] };
    }
  }
  const wampy = client.raw;
  try {
    const result = await wampy.subscribe(
      topic,
      (event: any) => onEvent({ args: event.argsList ?? [], kwargs: event.argsDict ?? {}, details: event.details ?? {} }),
      // wampy keys subscriptions by their options but unsubscribes without them: pass none unless needed.
      Object.keys(options).length > 0 ? options : undefined,
    );
    return { id: result.subscriptionId, unsubscribe: async () => void (await wampy.unsubscribe(result.subscriptionId)) };
  } catch (error: any) {
    throw { error: error.errorUri, args: error.argsList ?? [] };
  }
}

/** Publishes with acknowledgement; resolves to the publication id (autobahn) or undefined (wampy does not report it). */
export async function publish(
  client: UniformClient,
  topic: string,
  args: unknown[] = [],
  kwargs: Record<string, unknown> = {},
  options: Record<string, unknown> = {},
): Promise<number | undefined> {
  if (client.name.startsWith('autobahn')) {
    try {
      const publication = await client.raw.session.publish(topic, args, kwargs, { acknowledge: true, ...options });
      return publication.id;
    } catch (error: any) {
      throw { error: error.error, args: error.args ?? [] };
    }
  }
  try {
    await client.raw.publish(topic, { argsList: args, argsDict: kwargs }, options);
    return undefined;
  } catch (error: any) {
    throw { error: error.errorUri, args: error.argsList ?? [] };
  }
}

/** Collects events and lets a test wait until a number of them arrived. */
export class EventLog {
  readonly events: ReceivedEvent[] = [];
  readonly #waiters: Array<{ count: number; resolve: () => void }> = [];

  readonly push = (event: ReceivedEvent): void => {
    this.events.push(event);
    for (const waiter of [...this.#waiters]) {
      if (this.events.length >= waiter.count) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };

  /** Resolves once `count` events have arrived in total (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs = 5000): Promise<void> {
    if (this.events.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${this.events.length} of ${count} events arrived`)), timeoutMs);
      this.#waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Rejects if `promise` does not settle within `ms` (a safety net, not a timing assertion). */
export function within<T>(promise: Promise<T>, ms = 5000, what = 'the operation'): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
