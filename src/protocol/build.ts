/**
 * Builders for every message the server sends. Empty `Arguments` and
 * `ArgumentsKw` are left out, as the spec recommends; `Arguments` is sent as
 * `[]` when only `ArgumentsKw` is present.
 * @module
 */
import { MessageType } from './message-type.js';
import type { Dict } from './messages.js';

/** A message ready for a serializer. */
export type WampMessage = unknown[];

function hasKeys(obj: Readonly<Dict> | undefined): obj is Readonly<Dict> {
  if (obj === undefined) return false;
  for (const _ in obj) return true;
  return false;
}

/** Appends `args`/`kwargs` to `msg` following the "omit if empty" rule. */
export function appendPayload(msg: WampMessage, args?: readonly unknown[], kwargs?: Readonly<Dict>): WampMessage {
  if (hasKeys(kwargs)) {
    msg.push(args ?? [], kwargs);
  } else if (args !== undefined && args.length > 0) {
    msg.push(args);
  }
  return msg;
}

export const build = {
  welcome(sessionId: number, details: Dict): WampMessage {
    return [MessageType.WELCOME, sessionId, details];
  },
  abort(reason: string, details: Dict = {}, args?: readonly unknown[], kwargs?: Dict): WampMessage {
    return appendPayload([MessageType.ABORT, details, reason], args, kwargs);
  },
  challenge(authMethod: string, extra: Dict): WampMessage {
    return [MessageType.CHALLENGE, authMethod, extra];
  },
  goodbye(reason: string, details: Dict = {}): WampMessage {
    return [MessageType.GOODBYE, details, reason];
  },
  error(
    requestType: number,
    requestId: number,
    error: string,
    args?: readonly unknown[],
    kwargs?: Readonly<Dict>,
    details: Dict = {},
  ): WampMessage {
    return appendPayload([MessageType.ERROR, requestType, requestId, details, error], args, kwargs);
  },
  published(requestId: number, publicationId: number): WampMessage {
    return [MessageType.PUBLISHED, requestId, publicationId];
  },
  subscribed(requestId: number, subscriptionId: number): WampMessage {
    return [MessageType.SUBSCRIBED, requestId, subscriptionId];
  },
  unsubscribed(requestId: number): WampMessage {
    return [MessageType.UNSUBSCRIBED, requestId];
  },
  /** The revocation form of UNSUBSCRIBED, only for peers announcing `subscription_revocation`. */
  subscriptionRevoked(subscriptionId: number, reason?: string): WampMessage {
    const details: Dict = { subscription: subscriptionId };
    if (reason !== undefined) details['reason'] = reason;
    return [MessageType.UNSUBSCRIBED, 0, details];
  },
  event(
    subscriptionId: number,
    publicationId: number,
    details: Dict,
    args?: readonly unknown[],
    kwargs?: Readonly<Dict>,
  ): WampMessage {
    return appendPayload([MessageType.EVENT, subscriptionId, publicationId, details], args, kwargs);
  },
  result(requestId: number, details: Dict, args?: readonly unknown[], kwargs?: Readonly<Dict>): WampMessage {
    return appendPayload([MessageType.RESULT, requestId, details], args, kwargs);
  },
  registered(requestId: number, registrationId: number): WampMessage {
    return [MessageType.REGISTERED, requestId, registrationId];
  },
  unregistered(requestId: number): WampMessage {
    return [MessageType.UNREGISTERED, requestId];
  },
  invocation(
    requestId: number,
    registrationId: number,
    details: Dict,
    args?: readonly unknown[],
    kwargs?: Readonly<Dict>,
  ): WampMessage {
    return appendPayload([MessageType.INVOCATION, requestId, registrationId, details], args, kwargs);
  },
  /** Only for callees announcing `call_canceling`: autobahn-js and wampy treat it as a protocol violation. */
  interrupt(requestId: number, options: Dict): WampMessage {
    return [MessageType.INTERRUPT, requestId, options];
  },
};
