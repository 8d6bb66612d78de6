/** The host API (host-api.ts) as a plain `node:http`/`node:https` request listener. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { issueSession, SESSION_COOKIE, type SessionStore } from '../host-api.js';

export function plainHandler(kind: string, sessions: SessionStore): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const url = new URL(request.url ?? '/', 'http://host');
    // The "middleware": every answer says which host served it.
    response.setHeader('x-served-by', kind);
    if (request.method === 'GET' && url.pathname === '/api/hello') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ hello: 'world', host: kind }));
      return;
    }
    if (request.method === 'POST' && url.pathname === '/api/login') {
      const user = url.searchParams.get('user') ?? 'anonymous';
      const sid = issueSession(sessions, user);
      response.setHeader('set-cookie', `${SESSION_COOKIE}=${sid}; Path=/; HttpOnly; SameSite=Strict`);
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ user }));
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found\n');
  };
}
