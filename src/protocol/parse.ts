/**
 * Validation of incoming messages by type and length (WAMP spec "Messages").
 * Anything malformed throws a {@link ProtocolViolation} whose message names
 * the problem; the session engine turns it into
 * `ABORT wamp.error.protocol_violation`.
 * @module
 */
import { toId } from './ids.js';
import { MessageType, messageTypeName } from './message-type.js';
import type { ClientMessage, Dict } from './messages.js';
import { OptionSpecs, optionProblem, rolesProblem, uriRule, type OptionSpec } from './option-specs.js';

/** A message broke the protocol; `message` is safe to show the peer. */
export class ProtocolViolation extends Error {
  override readonly name = 'ProtocolViolation';
}

const EMPTY_ARGS: readonly unknown[] = Object.freeze([]);
const EMPTY_KWARGS: Readonly<Dict> = Object.freeze(Object.create(null) as Dict);

/** Whether `value` is a WAMP dict (a plain map, not a list or bytes). */
export function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

function fail(what: string): never {
  throw new ProtocolViolation(what);
}

function arity(msg: readonly unknown[], name: string, min: number, max: number): void {
  if (msg.length < min || msg.length > max) {
    const expected = min === max ? `${min}` : `${min} to ${max}`;
    fail(`${name} must have ${expected} elements, got ${msg.length}`);
  }
}

function id(value: unknown, field: string): number {
  const n = toId(value);
  if (n === undefined) fail(`${field} must be an ID (an integer from 1 to 2^53)`);
  return n;
}

function dict(value: unknown, field: string): Dict {
  if (!isDict(value)) fail(`${field} must be a dict`);
  return value;
}

/** A dict whose spec-defined keys have the spec's types. */
function options(value: unknown, field: string, rules: OptionSpec): Dict {
  const checked = dict(value, field);
  const problem = optionProblem(rules, checked, field);
  if (problem !== undefined) fail(problem);
  return checked;
}

function uri(value: unknown, field: string): string {
  if (!uriRule.valid(value)) fail(`${field} must be ${uriRule.expected}`);
  return value as string;
}

function str(value: unknown, field: string): string {
  if (typeof value !== 'string') fail(`${field} must be a string`);
  return value;
}

function args(value: unknown, field: string): readonly unknown[] {
  if (value === undefined) return EMPTY_ARGS;
  if (!Array.isArray(value)) fail(`${field} must be a list`);
  return value;
}

function kwargs(value: unknown, field: string): Readonly<Dict> {
  if (value === undefined) return EMPTY_KWARGS;
  return dict(value, field);
}

function hello(value: unknown): Dict {
  const details = options(value, 'HELLO.Details', OptionSpecs.HELLO);
  const problem = rolesProblem(details['roles']);
  if (problem !== undefined) fail(problem);
  const authextra = details['authextra'];
  if (authextra !== undefined) options(authextra, 'HELLO.Details.authextra', OptionSpecs.HELLO_AUTHEXTRA);
  return details;
}

/**
 * Parses one decoded message from a client. Throws {@link ProtocolViolation}
 * for anything that is not a well-formed client-to-server message.
 */
export function parseClientMessage(msg: unknown): ClientMessage {
  if (!Array.isArray(msg)) fail('a WAMP message must be a list');
  if (msg.length === 0) fail('a WAMP message must not be empty');
  const type = msg[0];
  if (typeof type !== 'number' || !Number.isInteger(type)) fail('the message type must be an integer');
  switch (type) {
    case MessageType.HELLO:
      arity(msg, 'HELLO', 3, 3);
      return { type, realm: str(msg[1], 'HELLO.Realm'), details: hello(msg[2]) };
    case MessageType.AUTHENTICATE:
      arity(msg, 'AUTHENTICATE', 3, 3);
      return {
        type,
        signature: str(msg[1], 'AUTHENTICATE.Signature'),
        extra: options(msg[2], 'AUTHENTICATE.Extra', OptionSpecs.AUTHENTICATE),
      };
    case MessageType.ABORT:
      arity(msg, 'ABORT', 3, 5);
      return {
        type,
        details: options(msg[1], 'ABORT.Details', OptionSpecs.ABORT),
        reason: uri(msg[2], 'ABORT.Reason'),
        args: args(msg[3], 'ABORT.Arguments'),
        kwargs: kwargs(msg[4], 'ABORT.ArgumentsKw'),
      };
    case MessageType.GOODBYE:
      arity(msg, 'GOODBYE', 3, 3);
      return {
        type,
        details: options(msg[1], 'GOODBYE.Details', OptionSpecs.GOODBYE),
        reason: uri(msg[2], 'GOODBYE.Reason'),
      };
    case MessageType.ERROR: {
      arity(msg, 'ERROR', 5, 7);
      const requestType = msg[1];
      if (typeof requestType !== 'number' || !Number.isInteger(requestType)) {
        fail('ERROR.REQUEST.Type must be an integer');
      }
      return {
        type,
        requestType,
        requestId: id(msg[2], 'ERROR.REQUEST.Request'),
        details: options(msg[3], 'ERROR.Details', OptionSpecs.ERROR),
        error: uri(msg[4], 'ERROR.Error'),
        args: args(msg[5], 'ERROR.Arguments'),
        kwargs: kwargs(msg[6], 'ERROR.ArgumentsKw'),
      };
    }
    case MessageType.PUBLISH:
      arity(msg, 'PUBLISH', 4, 6);
      return {
        type,
        requestId: id(msg[1], 'PUBLISH.Request'),
        options: options(msg[2], 'PUBLISH.Options', OptionSpecs.PUBLISH),
        topic: str(msg[3], 'PUBLISH.Topic'),
        args: args(msg[4], 'PUBLISH.Arguments'),
        kwargs: kwargs(msg[5], 'PUBLISH.ArgumentsKw'),
      };
    case MessageType.SUBSCRIBE:
      arity(msg, 'SUBSCRIBE', 4, 4);
      return {
        type,
        requestId: id(msg[1], 'SUBSCRIBE.Request'),
        options: options(msg[2], 'SUBSCRIBE.Options', OptionSpecs.SUBSCRIBE),
        topic: str(msg[3], 'SUBSCRIBE.Topic'),
      };
    case MessageType.UNSUBSCRIBE:
      arity(msg, 'UNSUBSCRIBE', 3, 3);
      return {
        type,
        requestId: id(msg[1], 'UNSUBSCRIBE.Request'),
        subscriptionId: id(msg[2], 'UNSUBSCRIBE.Subscription'),
      };
    case MessageType.CALL:
      arity(msg, 'CALL', 4, 6);
      return {
        type,
        requestId: id(msg[1], 'CALL.Request'),
        options: options(msg[2], 'CALL.Options', OptionSpecs.CALL),
        procedure: str(msg[3], 'CALL.Procedure'),
        args: args(msg[4], 'CALL.Arguments'),
        kwargs: kwargs(msg[5], 'CALL.ArgumentsKw'),
      };
    case MessageType.CANCEL:
      arity(msg, 'CANCEL', 3, 3);
      return { type, requestId: id(msg[1], 'CANCEL.Request'), options: options(msg[2], 'CANCEL.Options', OptionSpecs.CANCEL) };
    case MessageType.REGISTER:
      arity(msg, 'REGISTER', 4, 4);
      return {
        type,
        requestId: id(msg[1], 'REGISTER.Request'),
        options: options(msg[2], 'REGISTER.Options', OptionSpecs.REGISTER),
        procedure: str(msg[3], 'REGISTER.Procedure'),
      };
    case MessageType.UNREGISTER:
      arity(msg, 'UNREGISTER', 3, 3);
      return {
        type,
        requestId: id(msg[1], 'UNREGISTER.Request'),
        registrationId: id(msg[2], 'UNREGISTER.Registration'),
      };
    case MessageType.YIELD:
      arity(msg, 'YIELD', 3, 5);
      return {
        type,
        requestId: id(msg[1], 'YIELD.Request'),
        options: options(msg[2], 'YIELD.Options', OptionSpecs.YIELD),
        args: args(msg[3], 'YIELD.Arguments'),
        kwargs: kwargs(msg[4], 'YIELD.ArgumentsKw'),
      };
    default:
      if (Object.values(MessageType).includes(type as never)) {
        fail(`${messageTypeName(type)} (${type}) is not a message a client may send`);
      }
      fail(`unknown message type ${type}`);
  }
}
