/**
 * The typed session's types: what `call`, `callResult`, `subscribe`,
 * `publish` and `register` accept and resolve to, read from an API type
 * (`InferAPI` on the server) and a declared client API.
 * @module
 */
import type { ListResult, Payload, ProcedureSpec, ProceduresOf, TopicsOf } from '../api-shape.js';

/**
 * The procedure URIs of an API (template literal types for prefix and wildcard routes): what a
 * helper that takes a procedure of the server's API accepts.
 *
 * @example
 * ```ts
 * import type { ProcedureURI } from 'serverwamp/client';
 *
 * type Procedure = ProcedureURI<AppAPI>; // 'math.add' | 'files.list' | 'export.run'
 * const preload: Procedure[] = ['files.list']; // a URI the server does not serve does not compile
 * ```
 */
export type ProcedureURI<API> = keyof ProceduresOf<API> & string;
/**
 * The typed topic URIs of an API: those its topic route sets declare with an `event` schema.
 *
 * @example
 * ```ts
 * import type { EventOf, TopicURI } from 'serverwamp/client';
 *
 * // A helper of the app's own that accepts only the API's topics, with their events typed:
 * function follow<T extends TopicURI<AppAPI>>(topic: T, handler: (event: EventOf<AppAPI, T>) => void) {
 *   return api.subscribe(topic, handler);
 * }
 * const stop = await follow('chat.room', (message) => show(message.from, message.text));
 * ```
 */
export type TopicURI<API> = keyof TopicsOf<API> & string;

/**
 * What the API says of procedure `U`: its parameters (`kwargs`, `args`), its progress reports
 * (`progress`) and what `call` (`value`) and `callResult` (`result`) resolve to.
 *
 * @example
 * ```ts
 * import type { SpecOf } from 'serverwamp/client';
 *
 * type AddParams = SpecOf<AppAPI, 'math.add'>['kwargs']; // { number1: number; number2: number }
 * type Sum = SpecOf<AppAPI, 'math.add'>['value'];        // number
 * const params: AddParams = { number1: 2, number2: 3 };
 * const sum: Sum = await api.call('math.add', params);
 * ```
 */
export type SpecOf<API, U extends string> = ProceduresOf<API>[U & keyof ProceduresOf<API>] extends infer S extends ProcedureSpec ? S : never;
/**
 * The event of topic `U`: the EVENT's keyword arguments, typed from the topic's `event` schema.
 *
 * @example
 * ```ts
 * import type { EventOf } from 'serverwamp/client';
 *
 * type ChatMessage = EventOf<AppAPI, 'chat.room'>; // { from: string; text: string }
 * const render = (message: ChatMessage) => show(message.from, message.text);
 * await api.subscribe('chat.room', render);
 * await api.publish('chat.room', { from: 'me', text: 'hi' } satisfies ChatMessage);
 * ```
 */
export type EventOf<API, U extends string> = TopicsOf<API>[U & keyof TopicsOf<API>];

/**
 * Options of one call, the last argument of `call` and `callResult`; `Progress` is the procedure's
 * progress report type (`onProgress` is accepted only for a procedure that reports progress).
 *
 * @example
 * ```ts
 * import type { CallOptions } from 'serverwamp/client';
 *
 * // Shared by the calls of one screen: given up after 5 s, or canceled when the user leaves it.
 * const options: CallOptions = { timeout: 5_000, signal: controller.signal };
 * const sum = await api.call('math.add', { number1: 2, number2: 3 }, options);
 * ```
 */
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

/**
 * `call` takes no procedure whose result is positional arguments: its one-item form is a single
 * value on the wire. The parameter's type is the message the compiler shows for such a call.
 */
type ValueCallRest<S extends ProcedureSpec> = S['value'] extends ListResult
  ? [useCallResult: 'serverwamp: this procedure returns positional arguments; call it with callResult']
  : CallRest<S>;

/**
 * Removes the subscription (UNSUBSCRIBE) or the registration (UNREGISTER): what `subscribe` and
 * `register` resolve to.
 *
 * @example
 * ```ts
 * import type { Unsubscribe } from 'serverwamp/client';
 *
 * const stops: Unsubscribe[] = [
 *   await api.subscribe('chat.room', (message) => show(message.from, message.text)),
 *   await api.register('ui.confirm', (question) => window.confirm(question)),
 * ];
 * // Leaving the page:
 * await Promise.all(stops.map((stop) => stop()));
 * ```
 */
export type Unsubscribe = () => Promise<void>;

/**
 * The implementation of a client procedure declared as a function type (in `ClientAPI`), as
 * `register` takes it: the same parameters, and it may answer with a promise.
 *
 * @example
 * ```ts
 * import type { ClientImplementation } from 'serverwamp/client';
 *
 * // ClientAPI declares 'ui.confirm': (question: string) => boolean; this one answers later.
 * const confirm: ClientImplementation<ClientAPI['ui.confirm']> = async (question) => window.confirm(question);
 * await api.register('ui.confirm', confirm);
 * ```
 */
export type ClientImplementation<F> = F extends (...args: infer A) => infer R ? (...args: A) => R | Promise<Awaited<R>> : never;

/**
 * A typed view of an autobahn-js session or a wampy instance, as `typedSession` returns it:
 * the type to pass around in the client's own code.
 *
 * @example
 * ```ts
 * import { typedSession, type TypedSession } from 'serverwamp/client';
 *
 * // The app's own code takes the typed view, so it is checked against the server's API:
 * async function add(api: TypedSession<AppAPI>, a: number, b: number): Promise<number> {
 *   return api.call('math.add', { number1: a, number2: b });
 * }
 * connection.onopen = (session) => void add(typedSession<AppAPI>(session), 2, 3);
 * ```
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
