/**
 * `serverwamp/node`: serving an `Application` on Node.js, over
 * WebSocket (on `ws`) and RawSocket (TCP, TLS, Unix sockets), separately or
 * on one port. The root entry `serverwamp` stays free of Node built-ins.
 *
 * @example
 * ```ts
 * import { Application } from 'serverwamp';
 * import { listen } from 'serverwamp/node';
 *
 * const app = new Application();
 * const { url } = await listen(app, { port: 8080 }); // ws://127.0.0.1:8080/ws
 * ```
 * @module
 */
export { attach, webSocketEndpoint, listen, type AttachOptions, type ListenOptions, type ListeningServer } from './serve-websocket.js';
export type { NodeHTTPServer } from './upgradable-server.js';
export { attachRawSocket, rawSocketEndpoint, listenRawSocket, type ListenRawSocketOptions, type ListeningRawSocketServer } from './serve-rawsocket.js';
export type { WebSocketOptions, WebSocketEndpoint } from './websocket.js';
export type { RawSocketOptions, RawSocketEndpoint } from './rawsocket.js';
export type { AllowedOrigins } from './origin.js';
