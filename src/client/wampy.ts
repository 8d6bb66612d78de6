/**
 * The wampy driver. wampy resolves every answer as `{ argsList, argsDict }`
 * and cancels a call by its request id, read from `getOpStatus()` right
 * after the CALL is sent.
 * @module
 */
import type { Payload } from '../api-shape.js';
import { abortable } from './abort.js';
import type { Driver, DriverCallOptions, Endpoint } from './driver.js';
import { CallError } from './errors.js';
import { payload } from './payload.js';

type Dict = Readonly<Record<string, unknown>>;

interface WampyAnswer {
  readonly argsList?: unknown[];
  readonly argsDict?: Dict;
}

/** The part of a `Wampy` instance the facade uses. */
export interface WampyClient {
  getOpStatus(): { readonly reqId?: number };
  call(uri: string, payload?: unknown, options?: Dict): Promise<WampyAnswer>;
  cancel(reqId: number, options?: Dict): unknown;
  subscribe(topic: string, onEvent: (event: WampyAnswer) => void, options?: Dict): Promise<{ readonly subscriptionId?: number }>;
  unsubscribe(subscriptionIdOrKey: unknown, onEvent?: unknown): Promise<unknown>;
  publish(topic: string, payload?: unknown, options?: Dict): Promise<unknown>;
  register(uri: string, rpc: (invocation: WampyAnswer) => unknown, options?: Dict): Promise<unknown>;
  unregister(uri: string): Promise<unknown>;
}

/** Whether `client` looks like a wampy instance. */
export function isWampy(client: object): client is WampyClient {
  const c = client as Partial<Record<string, unknown>>;
  return typeof c['getOpStatus'] === 'function' && typeof c['call'] === 'function' && typeof c['cancel'] === 'function';
}

function toCallError(error: unknown): unknown {
  if (typeof error === 'object' && error !== null && typeof (error as { errorUri?: unknown }).errorUri === 'string') {
    const e = error as { errorUri: string; argsList?: unknown[]; argsDict?: Dict };
    return new CallError(e.errorUri, Array.isArray(e.argsList) ? e.argsList : [], typeof e.argsDict === 'object' && e.argsDict !== null ? e.argsDict : {});
  }
  return error;
}

function fromAnswer(answer: WampyAnswer | undefined): Payload {
  return payload(answer?.argsList, answer?.argsDict);
}

export function wampyDriver(wampy: WampyClient): Driver {
  return {
    call(uri, args, kwargs, options: DriverCallOptions) {
      let reqId: number | undefined;
      const wampOptions: Record<string, unknown> = {};
      if (options.timeout !== undefined) wampOptions['timeout'] = options.timeout;
      const onProgress = options.onProgress;
      if (onProgress !== undefined) wampOptions['progress_callback'] = (update: WampyAnswer) => onProgress(fromAnswer(update));
      return abortable(
        options.signal,
        () => {
          const pending = wampy.call(uri, { argsList: [...args], argsDict: { ...kwargs } }, wampOptions);
          reqId = wampy.getOpStatus().reqId;
          return pending.then(fromAnswer, (error: unknown) => Promise.reject(toCallError(error)));
        },
        () => {
          if (reqId !== undefined) wampy.cancel(reqId);
        },
      );
    },
    async subscribe(uri, handler) {
      const onEvent = (event: WampyAnswer): void => handler(fromAnswer(event));
      const subscribed = await wampy.subscribe(uri, onEvent).catch((e: unknown) => Promise.reject(toCallError(e)));
      return async () => {
        await wampy.unsubscribe(subscribed.subscriptionId, onEvent);
      };
    },
    async publish(uri, kwargs) {
      // wampy always asks for an acknowledgement.
      await wampy.publish(uri, { argsDict: { ...kwargs } }).catch((e: unknown) => Promise.reject(toCallError(e)));
    },
    async register(uri, endpoint: Endpoint) {
      await wampy
        .register(uri, async ({ argsList, argsDict }) => {
          try {
            return { argsList: [(await endpoint(argsList ?? [], argsDict ?? {})) ?? null] };
          } catch (error) {
            // wampy sends `error`, `argsList` and `argsDict` of what the procedure throws.
            if (error instanceof CallError) throw { error: error.uri, argsList: [...error.args], argsDict: { ...error.kwargs } };
            throw { error: 'wamp.error.runtime_error', argsList: [error instanceof Error ? error.message : String(error)] };
          }
        })
        .catch((e: unknown) => Promise.reject(toCallError(e)));
      return async () => {
        await wampy.unregister(uri);
      };
    },
  };
}
