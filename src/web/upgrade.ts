/**
 * The decision on one upgrade `Request`, for any host: serve it (with the
 * subprotocol to accept and the transport details) or refuse it with an
 * HTTP `Response` that names what was wrong.
 * @module
 */
import { negotiateProtocol, type Serializer } from '../serializers/index.js';
import type { TransportInfo } from '../transport-info.js';
import type { WebHost, WebSocketServeOptions } from './host.js';
import { offeredProtocols } from './negotiate.js';
import { webOriginCheck } from './origin.js';
import { transportInfoFromWebRequest, type PeerInfo } from './transport-info.js';

/**
 * An upgrade to perform: accept the WebSocket with `protocol`, then hand the socket to the adapter.
 *
 * @example
 * ```ts
 * import { webSocketEndpoint, type AcceptedUpgrade } from 'serverwamp/web';
 *
 * const wamp = webSocketEndpoint(app, { path: '/ws' });
 * function accept(request: Request, upgrade: AcceptedUpgrade): Response {
 *   // The host must answer exactly upgrade.protocol in Sec-WebSocket-Protocol.
 *   const { socket, response } = host.acceptWebSocket(request, { protocol: upgrade.protocol });
 *   wamp.serve(socket, upgrade);
 *   return response;
 * }
 * ```
 */
export interface AcceptedUpgrade {
  /** Always `true`: accept the WebSocket. */
  readonly accepted: true;
  /** The WAMP subprotocol to answer in `Sec-WebSocket-Protocol` (the host must send exactly this one). */
  readonly protocol: string;
  /** The serializer of `protocol`. */
  readonly serializer: Serializer;
  /** What the session will see as `transportInfo`. */
  readonly transportInfo: TransportInfo;
}

/**
 * An upgrade refused: answer `response` (it names the reason; 400, 403, 404, 426, 429 or 503).
 *
 * @example
 * ```ts
 * import { webSocketEndpoint, type RefusedUpgrade } from 'serverwamp/web';
 *
 * const wamp = webSocketEndpoint(app, { path: '/ws' });
 * function refusal(request: Request): Response | undefined {
 *   const decision = wamp.upgrade(request);
 *   if (decision.accepted) return undefined; // go on and accept the WebSocket
 *   const refused: RefusedUpgrade = decision;
 *   log.debug({ status: refused.response.status }, 'WAMP upgrade refused'); // 400, 403, 404, 426, 429 or 503
 *   return refused.response;
 * }
 * ```
 */
export interface RefusedUpgrade {
  /** Always `false`: answer `response`. */
  readonly accepted: false;
  /** The HTTP response naming why. */
  readonly response: Response;
}

/**
 * What `upgrade` decided for one request: accept (`accepted: true`) or answer `response`.
 *
 * @example
 * ```ts
 * import { webSocketEndpoint, type UpgradeDecision } from 'serverwamp/web';
 *
 * const wamp = webSocketEndpoint(app, { path: '/ws' });
 * function onUpgrade(request: Request, peerAddress: string): Response {
 *   const decision: UpgradeDecision = wamp.upgrade(request, { peerAddress });
 *   if (!decision.accepted) return decision.response;
 *   const { socket, response } = host.acceptWebSocket(request, { protocol: decision.protocol });
 *   wamp.serve(socket, decision);
 *   return response;
 * }
 * ```
 */
export type UpgradeDecision = AcceptedUpgrade | RefusedUpgrade;

function refused(status: number, message: string, headers: Record<string, string> = {}): RefusedUpgrade {
  const response = new Response(`${message}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers } });
  return { accepted: false, response };
}

/** A decider bound to one application and its options (checked once). */
export type UpgradeDecider = (request: Request, peer?: PeerInfo) => UpgradeDecision;

/**
 * How the host reads the offered subprotocols: by default as RFC 6455 says
 * (commas, optional spaces). Deno splits on `", "` only, and throws on any
 * protocol it does not find that way, so its adapter reads them as Deno does.
 */
export type OfferReader = (header: string | null) => string[];

/** Builds the upgrade decision for `host`; throws `ERR_INVALID_OPTION` for a malformed `allowedOrigins`. */
export function upgradeDecider(host: WebHost, options: WebSocketServeOptions, isClosed: () => boolean, readOffers: OfferReader = offeredProtocols): UpgradeDecider {
  const originAllowed = webOriginCheck(options.allowedOrigins);
  const supported = [...host.serializers.keys()].join(', ');
  return (request, peer = {}) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return refused(400, 'The request URL is not valid.');
    }
    if (options.path !== undefined && url.pathname !== options.path) return refused(404, 'No WebSocket endpoint here.');
    if (request.method !== 'GET' || request.headers.get('upgrade')?.toLowerCase() !== 'websocket') {
      return refused(426, 'This endpoint speaks WAMP over WebSocket: connect with a WAMP client.', { upgrade: 'websocket' });
    }
    if (!originAllowed(request)) return refused(403, 'This origin may not open WAMP connections here.');
    const serializer = negotiateProtocol(readOffers(request.headers.get('sec-websocket-protocol')), host.serializers);
    if (serializer === undefined) return refused(400, `This endpoint speaks WAMP; offer one of these WebSocket subprotocols: ${supported}`);
    if (isClosed()) return refused(503, 'This endpoint is closed.', { 'retry-after': '5' });
    // Last, so that only upgrades that would otherwise be served count as refused by a limit.
    const refusal = host.admit?.(peer.peerAddress ?? '');
    if (refusal !== undefined) return refused(refusal.status, refusal.message, { 'retry-after': '5' });
    return { accepted: true, protocol: serializer.protocol, serializer, transportInfo: transportInfoFromWebRequest(request, url, peer, serializer.protocol) };
  };
}
