/**
 * The HTTP health path of `listen` (`health: '/healthz'`): `app.health()` as
 * a small JSON body, 200 while the application is ready and 503 otherwise,
 * so a load balancer's probe stops sending clients as soon as a drain starts.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Application } from '../application.js';

/** Answers one request for the health path. */
export function answerHealth(app: Application, request: IncomingMessage, response: ServerResponse): void {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('Use GET or HEAD\n');
    return;
  }
  const health = app.health();
  const body = JSON.stringify(health);
  response.writeHead(health.ready ? 200 : 503, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    // A cached answer would keep a draining node in rotation.
    'Cache-Control': 'no-store',
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}
