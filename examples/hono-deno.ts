/**
 * A Hono app on Deno, natively (`Deno.serve`), with WAMP as one of its
 * routes: `deno run --allow-net --allow-read --allow-env --sloppy-imports
 * examples/hono-deno.ts` (from the repository: `--sloppy-imports` resolves the
 * sources' `.js` specifiers to `.ts`), then connect a WAMP client to
 * ws://127.0.0.1:8080/ws (PORT from the environment). Hono answers `GET /`
 * and `GET /healthz`; `upgradeWAMP` serves `/ws`. Ctrl-C closes it
 * gracefully (GOODBYE to every session).
 */
import { upgradeWAMP } from '../src/hono/index.js';
import { exampleApplication } from './example-app.js';
import { honoBeside } from './hono-app.js';

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

const app = exampleApplication('Hono on Deno');

const web = honoBeside(app).get('/ws', upgradeWAMP(app));

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
