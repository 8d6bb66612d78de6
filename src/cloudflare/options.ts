/**
 * Options of the Workers adapters, checked when they are handed over.
 * @module
 */
import { ServerwampError } from '../errors.js';
import type { WebSocketServeOptions } from '../web/host.js';

/**
 * Options of {@link serveWorker} and {@link serveDurableObject}.
 *
 * @example
 * ```ts
 * import { serveWorker } from 'serverwamp/cloudflare';
 *
 * // workerd reached through your own proxy, which sets X-Real-IP (not Cloudflare's edge).
 * const wamp = serveWorker(() => createApp(), {
 *   path: '/ws',
 *   peerAddress: (request) => request.headers.get('x-real-ip') ?? '',
 * });
 * ```
 */
export interface CloudflareServeOptions extends WebSocketServeOptions {
  /**
   * The peer's address for `transportInfo.peerAddress` and
   * `limits.maxConnectionsPerAddress`. Default: the `CF-Connecting-IP`
   * header, which Cloudflare's edge sets; on a workerd that clients reach
   * directly, that header is whatever the client sent (return `''`, or what
   * your own proxy sets).
   */
  peerAddress?: (request: Request) => string;
}

/**
 * Options of {@link serveDurableObject}.
 *
 * @example
 * ```ts
 * import type { Application } from 'serverwamp';
 * import { WampDurableObject, type DurableObjectServeOptions } from 'serverwamp/cloudflare';
 *
 * export class Room extends WampDurableObject<Env> {
 *   protected createApplication(): Application {
 *     return createApp();
 *   }
 *   protected override serveOptions(): DurableObjectServeOptions {
 *     return { path: '/ws', maxPayload: 64 * 1024, allowedOrigins: ['https://chat.example.com'], keepAwake: true };
 *   }
 * }
 * ```
 */
export interface DurableObjectServeOptions extends CloudflareServeOptions {
  /**
   * Keep the Durable Object in memory while a WAMP connection is open
   * (default `true`). serverwamp sessions live in memory: an object that
   * hibernates loses them, and its sockets are then closed with 1012 so that
   * clients reconnect. `false` lets the runtime hibernate the object after
   * about 10 s without messages; only for clients that reconnect and
   * re-subscribe on their own. See docs/serving-cloudflare.md.
   */
  keepAwake?: boolean;
}

const KNOWN = new Set(['path', 'maxPayload', 'allowedOrigins', 'peerAddress', 'keepAwake']);

/** Throws `ERR_INVALID_OPTION` for an unknown key or a value of the wrong type. */
export function checkCloudflareOptions(call: string, options: object, allowed: readonly string[] = [...KNOWN]): void {
  if (typeof options !== 'object' || options === null) throw new ServerwampError('ERR_INVALID_OPTION', `${call}: options must be an object`);
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) throw new ServerwampError('ERR_INVALID_OPTION', `${call}: ${key} is not an option (${allowed.join(', ')})`);
  }
  const { peerAddress, keepAwake, maxPayload, path } = options as DurableObjectServeOptions;
  if (peerAddress !== undefined && typeof peerAddress !== 'function') throw new ServerwampError('ERR_INVALID_OPTION', `${call}: peerAddress must be a function of the request`);
  if (keepAwake !== undefined && typeof keepAwake !== 'boolean') throw new ServerwampError('ERR_INVALID_OPTION', `${call}: keepAwake must be a boolean`);
  if (maxPayload !== undefined && (!Number.isInteger(maxPayload) || maxPayload < 1)) throw new ServerwampError('ERR_INVALID_OPTION', `${call}: maxPayload must be a positive integer`);
  if (path !== undefined && (typeof path !== 'string' || !path.startsWith('/'))) throw new ServerwampError('ERR_INVALID_OPTION', `${call}: path must start with /`);
}
