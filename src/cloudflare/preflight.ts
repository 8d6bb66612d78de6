/**
 * The checks a Worker makes before any work for a request: a URL it can
 * read, the WAMP path, and a WebSocket upgrade. The routing Worker wakes no
 * Durable Object, and a plain Worker makes no application, for a request
 * that fails them.
 * @module
 */

function answer(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(`${message}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers } });
}

/** The request's URL, or the refusal to answer (400, 404 or 426, as serverwamp/web's endpoints do). */
export function preflight(request: Request, path: string | undefined): URL | Response {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return answer(400, 'The request URL is not valid.');
  }
  if (path !== undefined && url.pathname !== path) return answer(404, 'No WebSocket endpoint here.');
  if (request.method !== 'GET' || request.headers.get('upgrade')?.toLowerCase() !== 'websocket') {
    return answer(426, 'This endpoint speaks WAMP over WebSocket: connect with a WAMP client.', { upgrade: 'websocket' });
  }
  return url;
}

/** A 404 for a request the application does not serve. */
export function notFound(message: string): Response {
  return answer(404, message);
}
