/**
 * Runs an example application: serves it at ws://HOST:PORT/ws (PORT and HOST
 * from the environment, default localhost:8080), optionally with a web page
 * at `/`, and closes it cleanly on SIGINT/SIGTERM.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import type { Application, CloseOptions } from '../src/index.js';
import { attach, type WebSocketOptions } from '../src/node/index.js';

const require = createRequire(import.meta.url);

/** What the example's HTTP server answers besides the WebSocket. */
const PAGES: Record<string, { file: () => string; type: string }> = {
  '/': { file: () => new URL('./public/index.html', import.meta.url).pathname, type: 'text/html; charset=utf-8' },
  '/vendor/autobahn.min.js': { file: () => require.resolve('autobahn-browser/autobahn.min.js'), type: 'text/javascript' },
};

/** Whether `moduleUrl` is the script node was started with (not imported by a test). */
export function isMainModule(moduleUrl: string): boolean {
  const script = process.argv[1];
  return script !== undefined && (moduleUrl === `file://${script}` || moduleUrl.endsWith(script.replace(/^.*\//, '/')));
}

export interface RunningExample {
  readonly server: Server;
  readonly port: number;
  /** Shuts the application down gracefully (see `app.close`), then the HTTP server. */
  close(options?: CloseOptions): Promise<void>;
}

/** Starts an HTTP server with WAMP at `/ws` and, if `withPage`, the demo page at `/`. */
export async function startExample<Context>(
  app: Application<Context>,
  options: WebSocketOptions & { port?: number; host?: string; withPage?: boolean } = {},
): Promise<RunningExample> {
  const { port = 0, host = '127.0.0.1', withPage = false, ...wsOptions } = options;
  const server = createServer((request, response) => {
    const page = withPage ? PAGES[new URL(request.url ?? '/', 'http://localhost').pathname] : undefined;
    if (page === undefined) {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Connect with a WAMP client to /ws\n');
      return;
    }
    readFile(page.file()).then(
      (body) => response.writeHead(200, { 'Content-Type': page.type }).end(body),
      () => response.writeHead(500).end(),
    );
  });
  attach(app, server, { path: '/ws', ...wsOptions });
  server.listen(port, host);
  await once(server, 'listening');
  return {
    server,
    port: (server.address() as AddressInfo).port,
    async close(closeOptions?: CloseOptions) {
      // Draining closes the WAMP endpoint too; what remains are plain HTTP connections.
      await app.close(closeOptions);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Serves `app` until Ctrl+C and prints its address with `description`;
 * `afterClose` runs once the application has drained (e.g. to disconnect
 * from Redis).
 */
export async function serveExample<Context>(
  app: Application<Context>,
  description: string,
  options: WebSocketOptions & { withPage?: boolean; afterClose?: (() => Promise<void>) | undefined } = {},
): Promise<void> {
  const { afterClose, ...startOptions } = options;
  const host = process.env['HOST'] ?? 'localhost';
  const running = await startExample(app, { ...startOptions, port: Number(process.env['PORT'] ?? 8080), host });
  console.log(`${description}: WAMP at ws://${host}:${running.port}/ws (Ctrl+C to stop)`);
  if (options.withPage === true) console.log(`Open http://${host}:${running.port}/ in a browser to try it.`);
  stopOnSignals(running, afterClose);
}

/** How long calls in flight may take to finish when the example is stopped (DRAIN_TIMEOUT_MS, default 10 s). */
const drainTimeout = Number(process.env['DRAIN_TIMEOUT_MS'] ?? 10_000);

/**
 * SIGINT (Ctrl+C) and SIGTERM drain the application, then exit; a second
 * signal exits at once. Each step is printed.
 */
function stopOnSignals(running: RunningExample, afterClose: (() => Promise<void>) | undefined): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      console.log(`${signal} again: exiting without waiting for the drain`);
      process.exit(1);
    }
    stopping = true;
    console.log(
      `${signal}: draining. New sessions and calls are refused; calls in flight have ${drainTimeout / 1000} s to finish ` +
        '(then they are canceled); then every session is told GOODBYE (wamp.close.system_shutdown).',
    );
    const started = Date.now();
    const close = async (): Promise<void> => {
      await running.close({ timeout: drainTimeout });
      await afterClose?.();
    };
    close().then(
      () => {
        console.log(`Drained in ${Date.now() - started} ms; exiting.`);
        process.exit(0);
      },
      (error: unknown) => {
        console.error('The drain failed:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
