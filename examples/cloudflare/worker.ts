/**
 * serverwamp on Cloudflare Workers: one Durable Object per chat room, each
 * hosting its own application; the Worker sends `/ws?room=<name>` upgrades
 * to the room's object. Deploy with `wrangler deploy` (wrangler.toml next to
 * this file), or run locally with workerd as test/examples-cloudflare.test.ts
 * does. In your own project, import from 'serverwamp' and
 * 'serverwamp/cloudflare' instead of the sources.
 */
import { Application, RPCRouteSet, TopicRouteSet } from '../../src/index.js';
import { routeToDurableObject, WampDurableObject, type DurableObjectServeOptions } from '../../src/cloudflare/index.js';

/** A room: its members call `room.say`, and everyone subscribed to `room.chat` hears it. */
export class Room extends WampDurableObject {
  protected createApplication(): Application {
    const app = new Application();
    const routes = new RPCRouteSet();
    routes.route('room.hello', (request) => `Hello, ${String(request.args[0] ?? 'world')}, from a Durable Object`);
    routes.route('room.say', (request) => {
      const text = String(request.args[0] ?? '').slice(0, 500);
      request.session.realm.publish('room.chat', { args: [text], kwargs: { from: request.session.id } });
      return 'said';
    });
    routes.route('room.members', () => [...app.sessions].length);
    app.addRPCRoutes(routes);
    app.addTopicRoutes(new TopicRouteSet().route('room.chat', {}));
    return app;
  }

  protected override serveOptions(): DurableObjectServeOptions {
    // Sessions live in memory: the object stays awake while one is open (the default, said here for the reader).
    return { path: '/ws', keepAwake: true };
  }
}

// Every distinct name is a Durable Object: accept short, plain room names only.
const ROOM_NAME = /^[a-z0-9-]{1,32}$/;
const rooms = routeToDurableObject({
  binding: 'ROOMS',
  path: '/ws',
  objectName: (_request, url) => ROOM_NAME.exec(url.searchParams.get('room') ?? 'lobby')?.[0],
});

export default {
  fetch(request: Request, env: unknown): Response | Promise<Response> {
    if (new URL(request.url).pathname === '/') return new Response('WAMP rooms: connect to /ws?room=<name>\n');
    return rooms.fetch(request, env);
  },
};
