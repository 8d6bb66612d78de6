/**
 * Metrics next to WAMP: one HTTP server carries the WebSocket at `/ws` and a
 * Prometheus scrape endpoint at `/metrics`. Run it with
 * `node --import tsx examples/metrics.ts`, call `math.add` or subscribe to
 * `ticks` with any WAMP client, then `curl localhost:8080/metrics`.
 */
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Application, RPCRouteSet, ServerMetrics, TopicRouteSet, WampError, type LoggerLike } from '../src/index.js';
import { attach } from '../src/node/index.js';
import { isMainModule } from './serve.js';

export function createMetricsApp(logger?: LoggerLike): Application {
  // Off by default; declared error URIs keep their name in the `error` label, any other becomes (other).
  const app = new Application({ metrics: { errorURIs: ['app.error.division_by_zero'] }, ...(logger === undefined ? {} : { logger }) });
  const routes = new RPCRouteSet();
  routes.route('math.add', { params: ['a', 'b'] }, ({ a, b }) => Number(a) + Number(b));
  routes.route('math.divide', { params: ['a', 'b'] }, ({ a, b }) => {
    if (Number(b) === 0) throw new WampError('app.error.division_by_zero');
    return Number(a) / Number(b);
  });
  // One label value for every user id: the route's pattern, not the URI called.
  routes.wildcardRoute('users..profile', (request) => ({ id: request.procedure.split('.')[1] }));
  app.addRPCRoutes(routes);
  const topics = new TopicRouteSet();
  topics.route('ticks', {});
  app.addTopicRoutes(topics);
  return app;
}

export interface RunningMetricsExample {
  readonly server: Server;
  readonly port: number;
  close(): Promise<void>;
}

export async function startMetricsExample(app: Application, port = 0, host = '127.0.0.1'): Promise<RunningMetricsExample> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === '/metrics' && request.method === 'GET' && app.metrics !== undefined) {
      response.writeHead(200, { 'Content-Type': ServerMetrics.contentType }).end(app.metrics.prometheus());
      return;
    }
    response.writeHead(404, { 'Content-Type': 'text/plain' }).end('WAMP at /ws, metrics at /metrics\n');
  });
  attach(app, server, { path: '/ws' });
  server.listen(port, host);
  await once(server, 'listening');
  return {
    server,
    port: (server.address() as AddressInfo).port,
    async close() {
      await app.close({ timeout: 1000 });
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

if (isMainModule(import.meta.url)) {
  const app = createMetricsApp();
  const host = process.env['HOST'] ?? 'localhost';
  const running = await startMetricsExample(app, Number(process.env['PORT'] ?? 8080), host);
  const timer = setInterval(() => app.publish('ticks', { args: [Date.now()] }), 1000);
  console.log(`WAMP at ws://${host}:${running.port}/ws, metrics at http://${host}:${running.port}/metrics (Ctrl+C to stop)`);
  const stop = (): void => {
    clearInterval(timer);
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
