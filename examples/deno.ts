/**
 * serverwamp on Deno, natively (`Deno.serve` and `Deno.upgradeWebSocket`):
 * `deno run --allow-net --allow-read --allow-env --sloppy-imports examples/deno.ts`
 * (from the repository: `--sloppy-imports` resolves the sources' `.js`
 * specifiers to `.ts`), then connect a WAMP client to ws://127.0.0.1:8080/ws
 * (PORT from the environment). `GET /healthz` answers the application's
 * health; Ctrl-C closes it gracefully (GOODBYE to every session).
 */
import { serveDeno, type DenoServeInfo } from '../src/web/index.js';
import { exampleApplication } from './example-app.js';

/** The part of Deno's API this example uses (Deno's own types are not a dependency). */
declare const Deno: {
  serve(
    options: { hostname: string; port: number; onListen(address: { port: number }): void },
    handler: (request: Request, info: DenoServeInfo) => Response,
  ): { shutdown(): Promise<void> };
  env: { get(name: string): string | undefined };
  addSignalListener(signal: string, listener: () => void): void;
  exit(code: number): never;
};

const app = exampleApplication('Deno');

const wamp = serveDeno(app, { path: '/ws' });
const server = Deno.serve(
  {
    hostname: '127.0.0.1',
    port: Number(Deno.env.get('PORT') ?? 8080),
    onListen: ({ port }) => console.log(`WAMP on Deno at ws://127.0.0.1:${port}/ws`),
  },
  (request, info) => {
    if (new URL(request.url).pathname === '/healthz') {
      const health = app.health();
      return Response.json(health, { status: health.ready ? 200 : 503 });
    }
    return wamp.fetch(request, info);
  },
);

for (const signal of ['SIGINT', 'SIGTERM']) {
  Deno.addSignalListener(signal, () => {
    void app.close().then(async () => {
      await server.shutdown();
      Deno.exit(0);
    });
  });
}
