// Typechecked under nodenext and bundler resolution, and run (as server.js after tsc) by the test.
import { Application, RPCRouteSet, type InferAPI, type RPCRequest } from 'serverwamp';
import type { TypedSession } from 'serverwamp/client';
import { listen } from 'serverwamp/node';
import { createSerializers, type Serializer } from 'serverwamp/adapter';
import type { DurableObjectServeOptions } from 'serverwamp/cloudflare';
import type { HonoContextLike, HonoWampHandler } from 'serverwamp/hono';

const routes = new RPCRouteSet();
routes.route('math.add', { params: ['a', 'b'] }, ({ a, b }, request: RPCRequest) => {
  void request.session.id;
  return Number(a) + Number(b);
});
// The typed client's types resolve from the package: a typed call's result is the procedure's return.
const typed = new RPCRouteSet().route('math.double', { params: ['x'] }, ({ x }) => Number(x) * 2);
type DoubleResult = Awaited<ReturnType<TypedSession<InferAPI<typeof typed>>['call']>>;
const doubled: DoubleResult = 4;
void doubled;
const app = new Application();
app.addRPCRoutes(routes);
// The Workers subpath's types resolve too (its code needs the Workers runtime).
const cloudflare: DurableObjectServeOptions = { path: '/ws', keepAwake: true };
void cloudflare;

// serverwamp/hono's types resolve without Hono installed (it reads the context structurally).
const honoRoute: ((c: HonoContextLike) => Response) | undefined = undefined as HonoWampHandler | undefined;
void honoRoute;

const { url } = await listen(app, { host: '127.0.0.1', port: 0, path: '/ws' });
const protocols: string[] = [...createSerializers().values()].map((serializer: Serializer) => serializer.protocol);
process.stdout.write(`${JSON.stringify({ url, protocols })}\n`);
