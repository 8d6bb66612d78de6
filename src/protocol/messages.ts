/**
 * Typed shapes of the messages a client may send to the server, as produced by
 * {@link parseClientMessage}. Absent `Arguments`/`ArgumentsKw` are normalised
 * to shared empty (frozen) values.
 * @module
 */
import type { MessageType } from './message-type.js';

/**
 * A WAMP `dict`: string keys, arbitrary values. A request's `kwargs` and
 * `options`, HELLO details and `authextra` are dicts.
 *
 * @example
 * ```ts
 * import { WampError, type Dict } from 'serverwamp';
 *
 * function stringKwarg(kwargs: Readonly<Dict>, key: string): string {
 *   const value = kwargs[key];
 *   if (typeof value !== 'string') throw new WampError('wamp.error.invalid_argument', { args: [`${key} must be a string`] });
 *   return value;
 * }
 * routes.route('docs.rename', (request) => stringKwarg(request.kwargs, 'title'));
 * ```
 */
export type Dict = Record<string, unknown>;

/** The application payload of a message. */
export interface Payload {
  readonly args: readonly unknown[];
  readonly kwargs: Readonly<Dict>;
}

export interface HelloMessage {
  readonly type: typeof MessageType.HELLO;
  readonly realm: string;
  readonly details: Dict;
}
export interface AuthenticateMessage {
  readonly type: typeof MessageType.AUTHENTICATE;
  readonly signature: string;
  readonly extra: Dict;
}
export interface AbortMessage extends Payload {
  readonly type: typeof MessageType.ABORT;
  readonly details: Dict;
  readonly reason: string;
}
export interface GoodbyeMessage {
  readonly type: typeof MessageType.GOODBYE;
  readonly details: Dict;
  readonly reason: string;
}
export interface ErrorMessage extends Payload {
  readonly type: typeof MessageType.ERROR;
  readonly requestType: number;
  readonly requestId: number;
  readonly details: Dict;
  readonly error: string;
}
export interface PublishMessage extends Payload {
  readonly type: typeof MessageType.PUBLISH;
  readonly requestId: number;
  readonly options: Dict;
  readonly topic: string;
}
export interface SubscribeMessage {
  readonly type: typeof MessageType.SUBSCRIBE;
  readonly requestId: number;
  readonly options: Dict;
  readonly topic: string;
}
export interface UnsubscribeMessage {
  readonly type: typeof MessageType.UNSUBSCRIBE;
  readonly requestId: number;
  readonly subscriptionId: number;
}
export interface CallMessage extends Payload {
  readonly type: typeof MessageType.CALL;
  readonly requestId: number;
  readonly options: Dict;
  readonly procedure: string;
}
export interface CancelMessage {
  readonly type: typeof MessageType.CANCEL;
  readonly requestId: number;
  readonly options: Dict;
}
export interface RegisterMessage {
  readonly type: typeof MessageType.REGISTER;
  readonly requestId: number;
  readonly options: Dict;
  readonly procedure: string;
}
export interface UnregisterMessage {
  readonly type: typeof MessageType.UNREGISTER;
  readonly requestId: number;
  readonly registrationId: number;
}
export interface YieldMessage extends Payload {
  readonly type: typeof MessageType.YIELD;
  readonly requestId: number;
  readonly options: Dict;
}

/** Every message a client may send. */
export type ClientMessage =
  | HelloMessage
  | AuthenticateMessage
  | AbortMessage
  | GoodbyeMessage
  | ErrorMessage
  | PublishMessage
  | SubscribeMessage
  | UnsubscribeMessage
  | CallMessage
  | CancelMessage
  | RegisterMessage
  | UnregisterMessage
  | YieldMessage;
