/**
 * Ties applications to the `close()` of a Node server they are attached to.
 * A WebSocket or RawSocket connection still counts as one of the server's
 * connections, so `server.close()` alone would wait for ever while WAMP
 * clients stay connected: the server's `close` first stops listening, as
 * always, then shuts the applications down gracefully (`app.close()`), whose
 * clients are told GOODBYE and disconnect, and the server's callback follows.
 * @module
 */
import type { Server as NetServer } from 'node:net';
import type { Application } from '../application.js';

interface Tie {
  /** One entry per attachment (an application may be attached on two paths). */
  readonly apps: Map<object, Application>;
  readonly original: NetServer['close'];
  readonly wrapper: NetServer['close'];
}

const ties = new WeakMap<NetServer, Tie>();

function install(server: NetServer): Tie {
  const original = server.close;
  const apps = new Map<object, Application>();
  const wrapper = function close(this: NetServer, callback?: (error?: Error) => void): NetServer {
    const closing = new Set(apps.values());
    untie(server);
    original.call(server, callback);
    for (const app of closing) {
      // checkApplication accepts anything with accept and addClosable; only an Application drains.
      if (typeof app.close !== 'function') continue;
      app.close().catch((error: unknown) => app.logger.error({ err: error }, 'closing the application with its server failed'));
    }
    return server;
  } as NetServer['close'];
  const tie = { apps, original, wrapper };
  ties.set(server, tie);
  server.close = wrapper;
  return tie;
}

function untie(server: NetServer): void {
  const tie = ties.get(server);
  if (tie === undefined) return;
  ties.delete(server);
  // Someone may have wrapped close after us: their wrapper stays, and calls ours, which then only closes.
  if (server.close === tie.wrapper) server.close = tie.original;
  tie.apps.clear();
}

/**
 * From now on `server.close()` also closes `app` (gracefully). Returns a
 * function that unties them, for when the endpoint is closed first.
 */
export function closeWithServer(app: Application, server: NetServer): () => void {
  const tie = ties.get(server) ?? install(server);
  const attachment = {};
  tie.apps.set(attachment, app);
  return () => {
    if (ties.get(server) !== tie) return;
    tie.apps.delete(attachment);
    if (tie.apps.size === 0) untie(server);
  };
}
