/**
 * serverwamp on Bun, natively (`Bun.serve`, no Node compatibility layer):
 * `bun examples/bun.ts`, then connect a WAMP client to ws://127.0.0.1:8080/ws
 * (PORT from the environment; 0 picks a free port). `GET /healthz` answers
 * the application's health; Ctrl-C closes it gracefully (GOODBYE to every session).
 */
import { serveBun, type BunWamp } from '../src/web/index.js';
import { exampleApplication } from './example-app.js';

/** The part of Bun's API this example uses (Bun's own types are not a dependency). */
declare const Bun: {
  serve(options: { hostname: string; port: number; fetch: (request: Request, server: any) => Response | undefined; websocket: BunWamp['websocket'] }): {
    port: number;
    stop(closeActiveConnections?: boolean): void;
  };
  env: Record<string, string | undefined>;
};
declare const process: { on(signal: string, listener: () => void): void; exit(code: number): never };

const app = exampleApplication('Bun');

const wamp = serveBun(app, { path: '/ws' });
const server = Bun.serve({
  hostname: '127.0.0.1',
  port: Number(Bun.env['PORT'] ?? 8080),
  fetch(request, bun) {
    if (new URL(request.url).pathname === '/healthz') {
      const health = app.health();
      return Response.json(health, { status: health.ready ? 200 : 503 });
    }
    return wamp.fetch(request, bun);
  },
  websocket: wamp.websocket,
});
console.log(`WAMP on Bun at ws://127.0.0.1:${server.port}/ws`);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    void app.close().then(() => {
      server.stop(true);
      process.exit(0);
    });
  });
}
