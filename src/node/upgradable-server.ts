/**
 * Which Node servers can carry a WebSocket upgrade. Frameworks hand out the
 * union `http.Server | https.Server | http2.Http2Server | Http2SecureServer`
 * (`@hono/node-server`'s `serve()`), but WebSocket here is the HTTP/1.1
 * `Upgrade` (RFC 6455), not HTTP/2's extended CONNECT (RFC 8441): an HTTP/2
 * server only upgrades when it also speaks HTTP/1.1 (`allowHTTP1` on a
 * secure server, which then emits `upgrade` like `https.Server`).
 * @module
 */
import { Server as HTTPServer } from 'node:http';
import type { Http2SecureServer, Http2Server } from 'node:http2';
import { Server as HTTPSServer } from 'node:https';
import { Server as TLSServer } from 'node:tls';
import { ServerwampError } from '../errors.js';

/**
 * Every server `attach` takes: node:http, node:https, and node:http2 (secure, with `allowHTTP1`).
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { createSecureServer } from 'node:http2';
 * import { attach } from 'serverwamp/node';
 *
 * // HTTP/2 for the site; WebSocket upgrades need HTTP/1.1, so allowHTTP1 is required.
 * const secure = createSecureServer({ allowHTTP1: true, key: readFileSync('key.pem'), cert: readFileSync('cert.pem') });
 * attach(app, secure, { path: '/ws' });
 * secure.listen(443);
 * ```
 */
export type NodeHTTPServer = HTTPServer | HTTPSServer | Http2Server | Http2SecureServer;

/** `updateSettings` is the documented method both HTTP/2 server classes have, and HTTP/1 servers lack. */
function isHTTP2(server: object): boolean {
  return typeof (server as { updateSettings?: unknown }).updateSettings === 'function';
}

/** Whether a secure HTTP/2 server offers HTTP/1.1 in ALPN (what `allowHTTP1: true` does); unknown counts as yes. */
function offersHTTP1(server: TLSServer): boolean {
  const alpn = (server as { ALPNProtocols?: unknown }).ALPNProtocols;
  if (!(alpn instanceof Uint8Array)) return true;
  return new TextDecoder().decode(alpn).includes('http/1.1');
}

/**
 * `server` as a server that emits HTTP/1.1 upgrades, or `ERR_INVALID_ARGUMENT`
 * naming what to use instead: a cleartext HTTP/2 server never sees an
 * HTTP/1.1 request, and a secure one without `allowHTTP1` refuses them.
 */
export function upgradableServer(server: NodeHTTPServer, call: string): HTTPServer | HTTPSServer {
  if (server instanceof HTTPServer || server instanceof HTTPSServer || !isHTTP2(server)) return server as HTTPServer | HTTPSServer;
  if (server instanceof TLSServer && offersHTTP1(server)) return server as unknown as HTTPSServer;
  const fix = server instanceof TLSServer ? 'create it with http2.createSecureServer({ allowHTTP1: true, ... })' : 'serve HTTP/1.1 (node:http, the default of @hono/node-server) or http2.createSecureServer({ allowHTTP1: true, ... })';
  throw new ServerwampError(
    'ERR_INVALID_ARGUMENT',
    `${call}: this HTTP/2 server cannot upgrade to WebSocket, which needs HTTP/1.1; ${fix}`,
  );
}
