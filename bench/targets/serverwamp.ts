/**
 * serverwamp serving `math.add`, exactly as the README's first example.
 * @module
 */
import { Application, RPCRouteSet } from '../../src/index.js';
import type { Target } from './target.js';

export async function start(): Promise<Target> {
  const app = new Application();
  const mathApi = new RPCRouteSet();
  mathApi.route('math.add', { params: ['number1', 'number2'] }, ({ number1, number2 }) => Number(number1) + Number(number2));
  app.addRPCRoutes(mathApi);
  const { url } = await app.listen({ port: 0, host: '127.0.0.1', path: '/ws' });
  return {
    urls: { json: url, msgpack: url },
    // Fan-out needs the broker (issue 2), not yet on main.
    subscribers: () => 0,
  };
}
