/**
 * The messages of remote sessions between nodes, as text for
 * `Backplane.sendToNode`: MessagePack in base64, so payload bytes and BigInt
 * cross unchanged. Decoding trusts nothing: another node's message may be
 * foreign, corrupt or from another version, and anything malformed is
 * refused with {@link WireError}.
 * @module
 */
import { decodeBase64, encodeBase64 } from '../serializers/base64.js';
import { packMsgpack, unpackMsgpack } from '../serializers/msgpack.js';

/** The operations a node asks another to perform on one of its sessions, or on its realm's sessions. */
export type Operation = 'event' | 'close' | 'abort' | 'call' | 'meta';

export type WireMessage =
  /** A request: executed at most once by the receiving node. */
  | { readonly kind: 'request'; readonly id: number; readonly op: Operation; readonly params: readonly unknown[] }
  /** The answer to request `id`: `ok` with a value, or a failure (see {@link Failure}). */
  | { readonly kind: 'reply'; readonly id: number; readonly ok: boolean; readonly value: unknown }
  /** A progressive result of call `id`. */
  | { readonly kind: 'progress'; readonly id: number; readonly args: readonly unknown[]; readonly kwargs: Readonly<Record<string, unknown>> }
  /** The requester gave call `id` up (timeout or signal). */
  | { readonly kind: 'cancel'; readonly id: number };

/** A failed operation, as carried in a reply: a WAMP error, or a serverwamp misuse error by code. */
export type Failure = readonly ['wamp', string, readonly unknown[] | null, Record<string, unknown> | null] | readonly ['serverwamp', string, string];

class WireError extends Error {
  override readonly name = 'WireError';
}

const VERSION = 1;
const KINDS = { request: 'q', reply: 'r', progress: 'p', cancel: 'c' } as const;
const OPERATIONS: ReadonlySet<string> = new Set<Operation>(['event', 'close', 'abort', 'call', 'meta']);

export function encodeWire(message: WireMessage): string {
  let body: unknown[];
  switch (message.kind) {
    case 'request':
      body = [message.op, message.params];
      break;
    case 'reply':
      body = [message.ok, message.value ?? null];
      break;
    case 'progress':
      body = [message.args, message.kwargs];
      break;
    case 'cancel':
      body = [];
  }
  return encodeBase64(packMsgpack([VERSION, KINDS[message.kind], message.id, ...body]));
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || ArrayBuffer.isView(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Decodes what {@link encodeWire} wrote. Throws {@link WireError}, nothing else. */
export function decodeWire(text: string): WireMessage {
  let value: unknown;
  try {
    value = unpackMsgpack(decodeBase64(text));
  } catch {
    throw new WireError('not base64 MessagePack');
  }
  if (!Array.isArray(value) || value[0] !== VERSION) throw new WireError('not a message of this version');
  const [, kind, id, a, b] = value as unknown[];
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) throw new WireError('bad request id');
  switch (kind) {
    case KINDS.request:
      if (typeof a !== 'string' || !OPERATIONS.has(a) || !Array.isArray(b)) throw new WireError('bad request');
      return { kind: 'request', id, op: a as Operation, params: b };
    case KINDS.reply:
      if (typeof a !== 'boolean') throw new WireError('bad reply');
      return { kind: 'reply', id, ok: a, value: b };
    case KINDS.progress:
      if (!Array.isArray(a) || !isPlainObject(b)) throw new WireError('bad progress');
      return { kind: 'progress', id, args: a, kwargs: b };
    case KINDS.cancel:
      return { kind: 'cancel', id };
    default:
      throw new WireError('unknown message kind');
  }
}
