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
import { fileURLToPath } from 'node:url';
import type { Application, CloseOptions } from '../src/index.js';
import { attach, type WebSocketOptions } from '../src/node/index.js';
import { bundlePage } from './page-bundle.js';

const require = createRequire(import.meta.url);

/** The files the example's HTTP server answers besides the WebSocket (and /demo.js, bundled at start). */
const PAGES: Record<string, { file: () => string; type: string }> = {
  '/': { file: () => fileURLToPath(new URL('./public/index.html', import.meta.url)), type: 'text/html; charset=utf-8' },
  '/favicon.svg': { file: () => fileURLToPath(new URL('./public/favicon.svg', import.meta.url)), type: 'image/svg+xml' },
  '/vendor/autobahn.min.js': { file: () => require.resolve('autobahn-browser/autobahn.min.js'), type: 'text/javascript' },
};

/** Everything the page uses comes from this server: its script, styles, icon and WebSocket. */
const HEADERS = {
  'Content-Security-Policy': "default-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-cache',
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
  const script = withPage ? await bundlePage() : undefined;
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (script !== undefined && path === '/demo.js') {
      response.writeHead(200, { ...HEADERS, 'Content-Type': 'text/javascript; charset=utf-8' }).end(script);
      return;
    }
    const page = withPage && Object.hasOwn(PAGES, path) ? PAGES[path] : undefined;
    if (page === undefined) {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Connect with a WAMP client to /ws\n');
      return;
    }
    readFile(page.file()).then(
      (body) => response.writeHead(200, { ...HEADERS, 'Content-Type': page.type }).end(body),
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
  const port = listenPort(process.env['PORT']);
  const running = await startExample(app, { ...startOptions, port, host }).catch((error: unknown) => {
    console.error(cannotListen(error, host, port));
    process.exit(1);
  });
  console.log(`${description}: WAMP at ws://${host}:${running.port}/ws (Ctrl+C to stop)`);
  if (options.withPage === true) console.log(`Open http://${host}:${running.port}/ in a browser to try it.`);
  stopOnSignals(running, afterClose);
}

/** PORT as a port number (default 8080); anything else ends the process with one line saying so. */
function listenPort(value: string | undefined): number {
  if (value === undefined || value === '') return 8080;
  const port = Number(value);
  if (/^\d+$/.test(value) && port <= 65_535) return port;
  console.error(`PORT must be a port number from 0 to 65535 (0: any free port), not ${JSON.stringify(value.slice(0, 40))}.`);
  process.exit(1);
}

/** One line saying why the server could not listen, and what to do about it: no stack trace. */
function cannotListen(error: unknown, host: string, port: number): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'EADDRINUSE') return `Port ${port} on ${host} is already in use: stop the program using it, or pick another port, e.g. PORT=${port === 8080 ? 8081 : 8080} npm start.`;
  if (code === 'EACCES') return `Not allowed to listen on port ${port} on ${host}: pick a port above 1023, e.g. PORT=8080 npm start.`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `HOST ${host} is not an address of this machine: try HOST=127.0.0.1 or HOST=0.0.0.0.`;
  return `Cannot listen on ${host}:${port}: ${error instanceof Error ? error.message : String(error)}.`;
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
