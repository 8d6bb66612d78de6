/**
 * The parts of the Workers runtime (workerd) serverwamp uses, declared
 * structurally so that neither `@cloudflare/workers-types` nor the
 * `cloudflare:workers` module is needed to build or bundle it.
 * @module
 */
import { ServerwampError } from '../errors.js';
import type { StandardWebSocket } from '../web/standard-socket.js';

/**
 * A server-side WebSocket accepted with the hibernation API
 * (`ctx.acceptWebSocket`): its events arrive as methods of the Durable
 * Object, not as listeners.
 *
 * @example
 * ```ts
 * import type { HibernatableWebSocket } from 'serverwamp/cloudflare';
 *
 * // The object's own sockets, accepted with a tag other than serverwamp's: push the score to each.
 * function pushScore(ctx: DurableObjectState): void {
 *   const feed: HibernatableWebSocket[] = ctx.getWebSockets('feed');
 *   for (const ws of feed) if (ws.readyState === 1) ws.send(JSON.stringify(score));
 * }
 * ```
 */
export interface HibernatableWebSocket {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** Bytes queued by `send` and not yet written (real on workerd: it grows for a peer that does not read). */
  readonly bufferedAmount: number;
  /** Queues one message: a string as a text frame, bytes as a binary frame. */
  send(data: string | ArrayBuffer | Uint8Array): void;
  /** Starts the closing handshake with `code` (RFC 6455) and a `reason` of at most 123 bytes. */
  close(code?: number, reason?: string): void;
}

/**
 * What serverwamp uses of a Durable Object's `ctx` (`DurableObjectState`).
 *
 * @example
 * ```ts
 * import { serveDurableObject, type DurableObjectStateLike, type DurableObjectWamp } from 'serverwamp/cloudflare';
 *
 * // The runtime's DurableObjectState fits DurableObjectStateLike: pass the object's ctx as it is.
 * export class Room {
 *   readonly wamp: DurableObjectWamp;
 *   constructor(ctx: DurableObjectStateLike) {
 *     this.wamp = serveDurableObject(ctx, createApp(), { path: '/ws' });
 *   }
 * }
 * ```
 */
export interface DurableObjectStateLike {
  /** Hands the server end of a new socket to the runtime, so its events reach the object's methods even after hibernation. */
  acceptWebSocket(ws: HibernatableWebSocket, tags?: string[]): void;
  /** The accepted sockets still open (those with `tag`, if given), including an earlier instance's. */
  getWebSockets(tag?: string): HibernatableWebSocket[];
  /** The tags `ws` was accepted with (tells serverwamp's sockets from the object's own). */
  getTags?(ws: HibernatableWebSocket): string[];
}

/**
 * A Durable Object namespace binding (`env.ROOMS`), as far as the router uses it.
 *
 * @example
 * ```ts
 * import type { DurableObjectNamespaceLike } from 'serverwamp/cloudflare';
 *
 * // A Worker that routes itself (routeToDurableObject does this for you): one object per team.
 * function toTeam(rooms: DurableObjectNamespaceLike, request: Request, team: string): Promise<Response> {
 *   return rooms.get(rooms.idFromName(`team-${team}`)).fetch(request);
 * }
 * export default {
 *   fetch: (request: Request, env: Env) => toTeam(env.ROOMS, request, new URL(request.url).searchParams.get('team') ?? 'default'),
 * };
 * ```
 */
export interface DurableObjectNamespaceLike {
  /** The id of the object called `name` (the same name always gives the same object). */
  idFromName(name: string): unknown;
  /** A stub of the object with that id, created on first use. */
  get(id: unknown): {
    /** Sends `request` to the object's own `fetch` and resolves with its answer. */
    fetch(request: Request): Promise<Response>;
  };
}

/** The two ends of `new WebSocketPair()`: the client's goes into the 101 response, the server keeps the other. */
export interface WebSocketPairEnds<Server> {
  readonly client: unknown;
  readonly server: Server;
}

type WebSocketPairConstructor = new () => { 0: unknown; 1: unknown };

function pairConstructor(): WebSocketPairConstructor | undefined {
  return (globalThis as { WebSocketPair?: WebSocketPairConstructor }).WebSocketPair;
}

/** Throws `ERR_INVALID_OPTION` outside the Workers runtime (no `WebSocketPair`): at setup, not at the first client. */
export function requireWorkersRuntime(call: string): void {
  if (typeof pairConstructor() !== 'function') {
    throw new ServerwampError('ERR_INVALID_OPTION', `${call}: serverwamp/cloudflare runs on the Workers runtime (workerd); WebSocketPair is not available here`);
  }
}

/** A new `WebSocketPair` (the runtime was checked at setup). */
export function webSocketPair<Server extends HibernatableWebSocket | StandardWebSocket>(): WebSocketPairEnds<Server> {
  const pair = new (pairConstructor()!)();
  return { client: pair[0], server: pair[1] as Server };
}

/** The 101 that hands the client end to the runtime, answering exactly the negotiated subprotocol. */
export function upgradeResponse(client: unknown, protocol: string): Response {
  // `webSocket` is the Workers runtime's own ResponseInit member (status 101 is allowed only with it).
  const init = { status: 101, webSocket: client, headers: { 'sec-websocket-protocol': protocol } };
  return new Response(null, init as ResponseInit);
}

/**
 * The client's address where Cloudflare's edge tells it (`CF-Connecting-IP`,
 * which the edge overwrites whatever the client sent); `''` otherwise.
 */
export function connectingIp(request: Request): string {
  return request.headers.get('cf-connecting-ip') ?? '';
}
