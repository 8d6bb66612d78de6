/**
 * The autobahn-js driver. autobahn resolves a RESULT as `null`, its one
 * positional argument, or a `Result` holding `args` and `kwargs`, depending
 * on the counts; the driver brings all three back to a payload.
 * @module
 */
import type { Payload } from '../api-shape.js';
import { abortable } from './abort.js';
import type { Driver, DriverCallOptions, Endpoint } from './driver.js';
import { CallError } from './errors.js';
import { payload } from './payload.js';

type Dict = Readonly<Record<string, unknown>>;

/** autobahn's promises: when.js ones take a progress callback as `then`'s third argument; calls can be canceled. */
interface AutobahnPromise<T> extends PromiseLike<T> {
  then<A = T, B = never>(
    onFulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
    onProgress?: (update: unknown) => void,
  ): PromiseLike<A | B>;
  cancel?(options?: Dict): void;
}

/** The part of an autobahn-js `Session` the facade uses. */
export interface AutobahnSession {
  readonly isOpen: boolean;
  call(procedure: string, args?: unknown[], kwargs?: Dict, options?: Dict): AutobahnPromise<unknown>;
  subscribe(topic: string, handler: (args?: unknown[], kwargs?: Dict) => void, options?: Dict): PromiseLike<unknown>;
  unsubscribe(subscription: unknown): PromiseLike<unknown>;
  publish(topic: string, args?: unknown[], kwargs?: Dict, options?: Dict): PromiseLike<unknown> | null | undefined;
  register(procedure: string, endpoint: (args?: unknown[], kwargs?: Dict) => unknown, options?: Dict): PromiseLike<unknown>;
  unregister(registration: unknown): PromiseLike<unknown>;
}

/** Whether `client` looks like an autobahn-js session. */
export function isAutobahnSession(client: object): client is AutobahnSession {
  const c = client as Partial<Record<string, unknown>>;
  return 'isOpen' in c && typeof c['call'] === 'function' && typeof c['subscribe'] === 'function' && typeof c['register'] === 'function';
}

/**
 * autobahn's `Result`: its own class, which a session does not expose and a
 * minified build renames, so it is told by its shape. A decoded argument is
 * never one: deserializers make plain objects, arrays and values.
 */
function isWrapped(value: unknown): value is { args?: unknown[]; kwargs?: Dict } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto !== Object.prototype && proto !== null && Array.isArray((value as { args?: unknown }).args) && 'kwargs' in value;
}

function fromAnswer(value: unknown): Payload {
  if (isWrapped(value)) return payload(value.args, value.kwargs);
  return value === null || value === undefined ? payload([], undefined) : payload([value], undefined);
}

function toCallError(error: unknown): unknown {
  if (typeof error === 'object' && error !== null && typeof (error as { error?: unknown }).error === 'string') {
    const e = error as { error: string; args?: unknown[]; kwargs?: Dict };
    return new CallError(e.error, Array.isArray(e.args) ? e.args : [], typeof e.kwargs === 'object' && e.kwargs !== null ? e.kwargs : {});
  }
  return error;
}

export function autobahnDriver(session: AutobahnSession): Driver {
  return {
    call(uri, args, kwargs, options: DriverCallOptions) {
      let pending: AutobahnPromise<unknown> | undefined;
      const wampOptions: Record<string, unknown> = {};
      if (options.timeout !== undefined) wampOptions['timeout'] = options.timeout;
      if (options.onProgress !== undefined) wampOptions['receive_progress'] = true;
      const onProgress = options.onProgress;
      return abortable(
        options.signal,
        () =>
          new Promise<Payload>((resolve, reject) => {
            pending = session.call(uri, [...args], kwargs, wampOptions);
            pending.then(
              (value) => resolve(fromAnswer(value)),
              (error: unknown) => reject(toCallError(error)),
              onProgress === undefined ? undefined : (update) => onProgress(fromAnswer(update)),
            );
          }),
        () => pending?.cancel?.(),
      );
    },
    async subscribe(uri, handler) {
      const subscription = await session.subscribe(uri, (args, kwargs) => handler(payload(args, kwargs))).then(undefined, (e: unknown) => Promise.reject(toCallError(e)));
      return async () => {
        await session.unsubscribe(subscription);
      };
    },
    async publish(uri, kwargs) {
      await Promise.resolve(session.publish(uri, [], kwargs, { acknowledge: true })).then(undefined, (e: unknown) => Promise.reject(toCallError(e)));
    },
    async register(uri, endpoint: Endpoint) {
      // autobahn sends a plain return value as one positional argument, which is the facade's convention.
      const registration = await session
        .register(uri, async (args, kwargs) => {
          try {
            return (await endpoint(args ?? [], kwargs ?? {})) ?? null;
          } catch (error) {
            // Only autobahn's own Error class carries a URI (one a session does not expose): anything
            // else goes as wamp.error.runtime_error with the thrown value, so a message goes, not an object.
            if (typeof error === 'object' && error !== null && typeof (error as { error?: unknown }).error === 'string') throw error;
            throw error instanceof Error ? error.message : error;
          }
        })
        .then(undefined, (e: unknown) => Promise.reject(toCallError(e)));
      return async () => {
        await session.unregister(registration);
      };
    },
  };
}
