/**
 * A Hono app on Deno, natively (`Deno.serve`), with WAMP as one of its
 * routes: `deno run --allow-net --allow-read --allow-env --sloppy-imports
 * examples/hono-deno.ts` (from the repository: `--sloppy-imports` resolves the
 * sources' `.js` specifiers to `.ts`), then connect a WAMP client to
 * ws://127.0.0.1:8080/ws (PORT from the environment). Hono answers `GET /`
 * and `GET /healthz`; `upgradeWAMP` serves `/ws`. Ctrl-C closes it
 * gracefully (GOODBYE to every session).
 */
import { Hono } from 'hono';
import { Application, RPCRouteSet, TopicRouteSet } from '../src/index.js';
import { upgradeWAMP } from '../src/hono/index.js';

/** The part of Deno's API this example uses (Deno's own types are not a dependency). */
declare const Deno: {
  serve(
    options: { hostname: string; port: number; onListen(address: { port: number }): void },
    handler: (request: Request, info: unknown) => Response | Promise<Response>,
  ): { shutdown(): Promise<void> };
  env: { get(name: string): string | undefined };
  addSignalListener(signal: string, listener: () => void): void;
  exit(code: number): never;
};

const app = new Application();
const routes = new RPCRouteSet();
routes.route('example.hello', (request) => `Hello, ${String(request.args[0] ?? 'world')}, from Hono on Deno`);
routes.route('example.announce', (request) => {
  request.session.realm.publish('example.news', { args: request.args });
  return 'announced';
});
app.addRPCRoutes(routes);
app.addTopicRoutes(new TopicRouteSet().route('example.news', {}));

const web = new Hono()
  .get('/', (c) => c.text('Hono beside WAMP: connect a WAMP client to /ws'))
  .get('/healthz', (c) => {
    const health = app.health();
    return c.json(health, health.ready ? 200 : 503);
  })
  .get('/ws', upgradeWAMP(app));

const server = Deno.serve(
  { hostname: '127.0.0.1', port: Number(Deno.env.get('PORT') ?? 8080), onListen: ({ port }) => console.log(`WAMP on Deno (Hono) at ws://127.0.0.1:${port}/ws`) },
  web.fetch,
);

for (const signal of ['SIGINT', 'SIGTERM']) {
  Deno.addSignalListener(signal, () => {
    void app.close().then(async () => {
      await server.shutdown();
      Deno.exit(0);
    });
  });
}
