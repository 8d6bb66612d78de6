/**
 * A Hono app on Bun, natively (`Bun.serve`), with WAMP as one of its routes:
 * `bun examples/hono-bun.ts`, then connect a WAMP client to
 * ws://127.0.0.1:8080/ws (PORT from the environment; 0 picks a free port).
 * Hono answers `GET /` and `GET /healthz`; `upgradeWAMP` serves `/ws`, and
 * its `websocket` handlers go to `Bun.serve`. Ctrl-C closes it gracefully
 * (GOODBYE to every session).
 */
import { upgradeWAMP } from '../src/hono/index.js';
import { exampleApplication } from './example-app.js';
import { honoBeside } from './hono-app.js';

/** The part of Bun's API this example uses (Bun's own types are not a dependency). */
declare const Bun: {
  serve(options: { hostname: string; port: number; fetch: (request: Request, server: any) => Response | Promise<Response>; websocket: unknown }): {
    port: number;
    stop(closeActiveConnections?: boolean): void;
  };
  env: Record<string, string | undefined>;
};
declare const process: { on(signal: string, listener: () => void): void; exit(code: number): never };

const app = exampleApplication('Hono on Bun');

const wamp = upgradeWAMP(app);
const web = honoBeside(app).get('/ws', wamp);

const server = Bun.serve({ hostname: '127.0.0.1', port: Number(Bun.env['PORT'] ?? 8080), fetch: web.fetch, websocket: wamp.websocket });
console.log(`WAMP on Bun (Hono) at ws://127.0.0.1:${server.port}/ws`);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    void app.close().then(() => {
      server.stop(true);
      process.exit(0);
    });
  });
}
