/**
 * The runtimes benchmark's server on workerd: `math.add` served by one
 * Durable Object (serverwamp/cloudflare), behind the routing Worker, as a
 * room of a real deployment would be. Bundled and started by
 * test/helpers/workerd.ts.
 * @module
 */
import { Application, RPCRouteSet } from '../src/index.js';
import { routeToDurableObject, WampDurableObject } from '../src/cloudflare/index.js';

export class BenchRoom extends WampDurableObject {
  protected createApplication(): Application {
    const app = new Application();
    app.addRPCRoutes(new RPCRouteSet().route('math.add', { params: ['number1', 'number2'] }, ({ number1, number2 }) => Number(number1) + Number(number2)));
    return app;
  }
}

export default routeToDurableObject({ binding: 'ROOMS', path: '/ws' });
