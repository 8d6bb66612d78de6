/**
 * `serverwamp/web`: serves an application on web-standard hosts, natively:
 * `Bun.serve`, `Deno.serve`, or any host that hands out standard
 * `WebSocket`s for upgrade `Request`s. Runtime-neutral: no Node. See
 * docs/serving-web.md.
 * @module
 */
export { serveBun, type BunWamp, type BunServerLike, type BunSocketLike, type BunSocketData, type BunWebSocketHandlers } from './bun.js';
export { serveDeno, type DenoWamp, type DenoServeOptions, type DenoServeInfo, type DenoUpgradeWebSocket } from './deno.js';
export { webSocketEndpoint, type WebWamp } from './generic.js';
export type { WebHost, WebSocketServeOptions } from './host.js';
export type { WebAllowedOrigins } from './origin.js';
export type { StandardWebSocket } from './standard-socket.js';
export type { PeerInfo } from './transport-info.js';
export type { AcceptedUpgrade, RefusedUpgrade, UpgradeDecision } from './upgrade.js';
