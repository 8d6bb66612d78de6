// Typechecked under nodenext and bundler resolution, and run (as server.js after tsc) by the test.
import { Application, RPCRouteSet, type RPCRequest } from 'serverwamp';
import { listen } from 'serverwamp/node';
import { createSerializers, type Serializer } from 'serverwamp/adapter';
import type { HonoContextLike, HonoWampHandler } from 'serverwamp/hono';

const routes = new RPCRouteSet();
routes.route('math.add', { params: ['a', 'b'] }, ({ a, b }, request: RPCRequest) => {
  void request.session.id;
  return Number(a) + Number(b);
});
const app = new Application();
app.addRPCRoutes(routes);

// serverwamp/hono's types resolve without Hono installed (it reads the context structurally).
const honoRoute: ((c: HonoContextLike) => Response) | undefined = undefined as HonoWampHandler | undefined;
void honoRoute;

const { url } = await listen(app, { host: '127.0.0.1', port: 0, path: '/ws' });
const protocols: string[] = [...createSerializers().values()].map((serializer: Serializer) => serializer.protocol);
process.stdout.write(`${JSON.stringify({ url, protocols })}\n`);
