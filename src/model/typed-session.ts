/**
 * Typed server-side views: {@link typedCaller} types `session.call` from the
 * procedures a client declares it registers, and `session.sendEvent` from
 * the application's typed topics; {@link TopicPublishRest} types
 * `app.publish`. Types only, but for the one identity function.
 * @module
 */
import type { Nothing, TopicsOf } from '../api-shape.js';
import type { CallResult, EventPayload, SessionCallOptions } from './payloads.js';
import type { PublishOptions, Session } from './session.js';

/**
 * The value a client procedure answers: its return, `null` for none (sent as
 * one positional argument). It is `args[0]` of what a typed `session.call` resolves to.
 *
 * @example
 * ```ts
 * import type { ClientResult } from 'serverwamp';
 *
 * interface ClientAPI { 'ui.confirm': (question: string) => Promise<boolean>; 'ui.toast': (text: string) => void }
 * const sure: ClientResult<ClientAPI['ui.confirm']> = true; // boolean, the promise unwrapped
 * const none: ClientResult<ClientAPI['ui.toast']> = null;   // a procedure that returns nothing answers null
 * ```
 */
export type ClientResult<F> = F extends (...args: never[]) => infer R ? (Awaited<R> extends Nothing ? null : Awaited<R>) : never;

type ClientArgs<F> = F extends (...args: infer A) => unknown ? A : never;

/**
 * `session.call` options for a declared client procedure: its positional
 * arguments, typed, and every other {@link SessionCallOptions} member.
 *
 * @example
 * ```ts
 * import { typedCaller, type ClientCallOptions } from 'serverwamp';
 *
 * interface ClientAPI { 'ui.confirm': (question: string) => boolean }
 * const ask: ClientCallOptions<ClientAPI['ui.confirm']> = { args: ['Delete 3 files?'], timeout: 30_000 };
 * const { args: [sure] } = await typedCaller<ClientAPI>(session).call('ui.confirm', ask);
 * ```
 */
export type ClientCallOptions<F> = Omit<SessionCallOptions, 'args' | 'kwargs'> &
  ([] extends ClientArgs<F>
    ? {
        /** The client procedure's parameters, in order (may be left out: it takes none, or all are optional). */
        readonly args?: ClientArgs<F>;
      }
    : {
        /** The client procedure's parameters, in order, sent as the CALL's positional arguments. */
        readonly args: ClientArgs<F>;
      });

/**
 * A server-side publication of a typed topic: the event is the keyword
 * arguments, typed; the audience options (`exclude`, `eligible`, `retain`…) are as usual.
 *
 * @example
 * ```ts
 * import { Application, type TypedPublishOptions } from 'serverwamp';
 *
 * const app = new Application<unknown, AppAPI>();
 * const notice: TypedPublishOptions<AppAPI['topics']['chat.room']> = { kwargs: { from: 'server', text: 'restarting at 18:00' }, retain: true };
 * app.publish('chat.room', notice);
 * ```
 */
export type TypedPublishOptions<Event> = Omit<PublishOptions, 'args' | 'kwargs'> & {
  /** The event, as the topic declares it: sent as the EVENT's keyword arguments. */
  readonly kwargs: Event;
};

/**
 * `app.publish`'s options after the topic: typed (and required) for a typed
 * topic of the application's API, plain optional `PublishOptions` for any other.
 *
 * @example
 * ```ts
 * import { Application, type TopicPublishRest } from 'serverwamp';
 *
 * const app = new Application<unknown, AppAPI>();
 * const rest: TopicPublishRest<AppAPI, 'chat.room'> = [{ kwargs: { from: 'server', text: 'hello' } }];
 * app.publish('chat.room', ...rest);
 * app.publish('audit.deploys', { args: ['v2.1.0'] }); // not a typed topic: any payload
 * ```
 */
export type TopicPublishRest<API, U extends string> = U extends keyof TopicsOf<API>
  ? [options: TypedPublishOptions<TopicsOf<API>[U]>]
  : [options?: PublishOptions];

/**
 * What a typed `session.call` resolves to: the client's one value, as the only positional argument.
 *
 * @example
 * ```ts
 * import { typedCaller, type ClientCallResult } from 'serverwamp';
 *
 * interface ClientAPI { 'ui.confirm': (question: string) => boolean }
 * const reply: ClientCallResult<boolean> = await typedCaller<ClientAPI>(session).call('ui.confirm', { args: ['Proceed?'] });
 * const [sure] = reply.args; // boolean
 * ```
 */
export interface ClientCallResult<Value> extends Omit<CallResult, 'args'> {
  /** The YIELD's one positional argument: the client procedure's answer (`null` when it returned nothing). */
  readonly args: readonly [Value];
}

/**
 * A session whose `call` and `sendEvent` are typed: what {@link typedCaller} returns.
 *
 * @example
 * ```ts
 * import { typedCaller, type TypedServerSession } from 'serverwamp';
 *
 * // ClientAPI: what the browser registers; AppAPI: the application's typed topics
 * const browser: TypedServerSession<ClientAPI, AppAPI> = typedCaller<ClientAPI, AppAPI>(session);
 * browser.sendEvent('chat.room', { kwargs: { from: 'server', text: 'maintenance at 18:00' } });
 * const { args: [ok] } = await browser.call('ui.confirm', { args: ['Reload now?'] }); // boolean
 * ```
 */
export interface TypedServerSession<ClientAPI, API = Record<never, never>> extends Omit<Session, 'call' | 'sendEvent'> {
  /** {@link Session.call}, for a procedure of `ClientAPI`: resolves with its one value as `args[0]`. */
  call<U extends keyof ClientAPI & string>(
    procedure: U,
    ...options: [] extends ClientArgs<ClientAPI[U]> ? [options?: ClientCallOptions<ClientAPI[U]>] : [options: ClientCallOptions<ClientAPI[U]>]
  ): Promise<ClientCallResult<ClientResult<ClientAPI[U]>>>;
  /** {@link Session.sendEvent}, for a typed topic of `API`. */
  sendEvent<U extends keyof TopicsOf<API> & string>(topic: U, payload: Omit<EventPayload, 'kwargs'> & { readonly kwargs: TopicsOf<API>[U] }): boolean;
}

/**
 * The same session, typed: `call` from the procedures its client registers
 * (a function type per URI), `sendEvent` from the application's typed topics.
 * Nothing is checked at run time: a client that answers otherwise than the
 * typed facade does (one positional argument) is not caught here.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * interface ClientAPI { 'ui.confirm': (question: string) => boolean }
 * routes.route('files.delete', { params: { ids: z.array(z.string()) } }, async ({ ids }, { session }) => {
 *   const { args: [sure] } = await typedCaller<ClientAPI>(session).call('ui.confirm', { args: [`Delete ${ids.length} files?`] });
 *   return sure ? await files.delete(ids) : 0;
 * });
 * ```
 */
export function typedCaller<ClientAPI, API = Record<never, never>>(session: Session): TypedServerSession<ClientAPI, API> {
  return session as unknown as TypedServerSession<ClientAPI, API>;
}
