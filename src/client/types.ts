/**
 * The typed session's types: what `call`, `callResult`, `subscribe`,
 * `publish` and `register` accept and resolve to, read from an API type
 * (`InferAPI` on the server) and a declared client API.
 * @module
 */
import type { ListResult, Payload, ProcedureSpec, ProceduresOf, TopicsOf } from '../api-shape.js';

/** The procedure URIs of an API (template literal types for prefix and wildcard routes). */
export type ProcedureURI<API> = keyof ProceduresOf<API> & string;
/** The typed topic URIs of an API. */
export type TopicURI<API> = keyof TopicsOf<API> & string;

/** The entry of procedure `U`. */
export type SpecOf<API, U extends string> = ProceduresOf<API>[U & keyof ProceduresOf<API>] extends infer S extends ProcedureSpec ? S : never;
/** The event of topic `U`: the EVENT's keyword arguments. */
export type EventOf<API, U extends string> = TopicsOf<API>[U & keyof TopicsOf<API>];

/** Options of one call. */
export type CallOptions<Progress = never> = {
  /** CALL.Options.timeout, in milliseconds: the server gives the call up with `wamp.error.timeout`. */
  readonly timeout?: number;
  /** Cancels the call: CANCEL is sent and the promise rejects with a `CallError` for `wamp.error.canceled`. */
  readonly signal?: AbortSignal;
} & ([Progress] extends [never]
  ? {
      /** Not for a procedure that sends no progress reports. */
      readonly onProgress?: undefined;
    }
  : {
      /** Receives each progress report (asks for them: `receive_progress`). */
      readonly onProgress?: (progress: Progress) => void;
    });

/** Arguments by name (an object) or by position (an array); left out when every parameter may be. */
type CallRest<S extends ProcedureSpec> = Record<never, never> extends S['kwargs']
  ? [params?: S['kwargs'] | S['args'], options?: CallOptions<S['progress']>]
  : [params: S['kwargs'] | S['args'], options?: CallOptions<S['progress']>];

/** `call` takes no procedure whose result is positional arguments: its one-item form is a single value on the wire. */
type ValueCallRest<S extends ProcedureSpec> = S['value'] extends ListResult ? [useCallResult: ListResult] : CallRest<S>;

/** Removes the subscription (UNSUBSCRIBE) or the registration (UNREGISTER). */
export type Unsubscribe = () => Promise<void>;

/** The implementation of a client procedure declared as a function type: it may answer with a promise. */
export type ClientImplementation<F> = F extends (...args: infer A) => infer R ? (...args: A) => R | Promise<Awaited<R>> : never;

/**
 * A typed view of an autobahn-js session or a wampy instance.
 *
 * @typeParam API - the server's API: `InferAPI<typeof routes, typeof topics>`.
 * @typeParam ClientAPI - the procedures this client registers for the server to call.
 */
export interface TypedSession<API, ClientAPI = Record<never, never>> {
  /**
   * Calls a procedure and resolves with its value: a single positional
   * argument, the keyword arguments as an object, or `null` for nothing.
   * A procedure returning a list (or an `RPCResult`) is called with {@link callResult}.
   *
   * @example
   * ```ts
   * const sum = await api.call('math.add', { number1: 2, number2: 3 }); // number
   * const same = await api.call('math.add', [2, 3]);
   * ```
   */
  call<U extends ProcedureURI<API>>(uri: U, ...rest: ValueCallRest<SpecOf<API, U>>): Promise<SpecOf<API, U>['value']>;
  /**
   * Calls a procedure and resolves with the RESULT's arguments, `{ args, kwargs }`:
   * a list-returning procedure's list is `args`, whatever its length.
   *
   * @example
   * ```ts
   * const { args: files } = await api.callResult('files.list', { folder: '/' }); // string[]
   * ```
   */
  callResult<U extends ProcedureURI<API>>(uri: U, ...rest: CallRest<SpecOf<API, U>>): Promise<SpecOf<API, U>['result']>;
  /**
   * Subscribes to a topic; `handler` receives each event (its keyword
   * arguments) and the whole payload. Resolves once subscribed, with the unsubscribe function.
   *
   * @example
   * ```ts
   * const stop = await api.subscribe('chat.room', (message) => show(message.from, message.text));
   * ```
   */
  subscribe<U extends TopicURI<API>>(uri: U, handler: (event: EventOf<API, U>, payload: Payload) => void): Promise<Unsubscribe>;
  /** Publishes an event (as keyword arguments); resolves when the server acknowledged it. */
  publish<U extends TopicURI<API>>(uri: U, event: EventOf<API, U>): Promise<void>;
  /**
   * Registers a procedure declared in `ClientAPI`, for the server's `session.call`:
   * it receives the positional arguments and answers one value.
   *
   * @example
   * ```ts
   * await api.register('ui.confirm', (question) => window.confirm(question));
   * ```
   */
  register<U extends keyof ClientAPI & string>(uri: U, implementation: ClientImplementation<ClientAPI[U]>): Promise<Unsubscribe>;
}
