/**
 * The runtimes benchmark's server: `math.add` served by serverwamp on
 * whichever runtime runs this file: Node (serverwamp/node, through ws), Bun
 * (`Bun.serve`) or Deno (`Deno.serve`), both through serverwamp/web; on Node
 * with the argument `express`, attached to the server an Express 5 app's
 * `listen()` returns (what hosting beside a framework costs), and with the
 * argument `fastify`, through the Fastify plugin. Prints one JSON line with
 * its URL.
 * @module
 */
import { Application, RPCRouteSet } from '../src/index.js';
import { serveBun, serveDeno } from '../src/web/index.js';

const runtime = globalThis as any;
const app = new Application();
app.addRPCRoutes(new RPCRouteSet().route('math.add', { params: ['number1', 'number2'] }, ({ number1, number2 }) => Number(number1) + Number(number2)));

if (runtime.Bun !== undefined) {
  const wamp = serveBun(app, { path: '/ws' });
  const server = runtime.Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: wamp.fetch, websocket: wamp.websocket });
  console.log(JSON.stringify({ runtime: `Bun ${runtime.Bun.version}`, url: `ws://127.0.0.1:${server.port}/ws` }));
} else if (runtime.Deno !== undefined) {
  const wamp = serveDeno(app, { path: '/ws' });
  const server = runtime.Deno.serve({ hostname: '127.0.0.1', port: 0, onListen() {} }, wamp.fetch);
  console.log(JSON.stringify({ runtime: `Deno ${runtime.Deno.version.deno}`, url: `ws://127.0.0.1:${server.addr.port}/ws` }));
} else if (runtime.process.argv[2] === 'express') {
  const [{ attach }, { default: express }] = await Promise.all([import('../src/node/index.js'), import('express')]);
  const api = express();
  api.get('/api/hello', (_request, response) => void response.json({ hello: 'world' }));
  const server = api.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    console.log(JSON.stringify({ runtime: `Express 5 on Node ${runtime.process.version}`, url: `ws://127.0.0.1:${port}/ws` }));
  });
  attach(app, server, { path: '/ws' });
} else if (runtime.process.argv.includes('fastify')) {
  // The same Node server under Fastify 5 (serverwamp/fastify): what the plugin costs next to bare listen.
  const { default: Fastify } = await import('fastify');
  const { serverwamp } = await import('../src/fastify/index.js');
  const fastify = Fastify();
  await fastify.register(serverwamp(app), { path: '/ws' });
  await fastify.listen({ port: 0, host: '127.0.0.1' });
  console.log(JSON.stringify({ runtime: `Node ${runtime.process.version} + Fastify ${fastify.version}`, url: `ws://127.0.0.1:${(fastify.server.address() as { port: number }).port}/ws` }));
} else {
  const { listen } = await import('../src/node/index.js');
  const { url } = await listen(app, { port: 0, host: '127.0.0.1', path: '/ws' });
  console.log(JSON.stringify({ runtime: `Node ${runtime.process.version}`, url }));
}
