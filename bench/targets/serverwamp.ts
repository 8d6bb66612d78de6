/**
 * serverwamp serving `math.add`, exactly as the README's first example, and
 * the fan-out topic through its broker (`TopicRouteSet`, `app.publish`). It is
 * loaded from the compiled build (`tsc`, as users run it) when the harness
 * made one (BENCH_SERVERWAMP names its entry), else from the TypeScript source.
 * @module
 */
import type * as API from '../../src/index.js';
import { EVENT_ARGS, EVENT_KWARGS, EVENT_TOPIC, type Target } from './target.js';
import { listen } from '../../src/node/index.js';

const entry = process.env['BENCH_SERVERWAMP'] ?? new URL('../../src/index.js', import.meta.url).href;

/** `metrics`: the same server with `app.metrics` on, for the RPC part's overhead ratio. */
export async function start(metrics = false): Promise<Target> {
  const { Application, RPCRouteSet, TopicRouteSet } = (await import(entry)) as typeof API;
  const app = new Application(metrics ? { metrics: true } : {});
  const mathApi = new RPCRouteSet();
  mathApi.route('math.add', { params: ['number1', 'number2'] }, ({ number1, number2 }) => Number(number1) + Number(number2));
  app.addRPCRoutes(mathApi);
  let subscribers = 0;
  const events = new TopicRouteSet();
  events.route(EVENT_TOPIC, async function* () {
    subscribers++;
    yield;
    subscribers--;
  });
  app.addTopicRoutes(events);
  const { url } = await listen(app, { port: 0, host: '127.0.0.1', path: '/ws' });
  return {
    urls: { json: url, msgpack: url },
    publish() {
      app.publish(EVENT_TOPIC, { args: [...EVENT_ARGS], kwargs: { ...EVENT_KWARGS } });
    },
    subscribers: () => subscribers,
  };
}
