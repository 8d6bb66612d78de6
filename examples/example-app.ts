/**
 * The WAMP side shared by the examples that show one runtime or framework (bun.ts, deno.ts,
 * fastify.ts, hono-*.ts, and the framework examples through hosted-app.ts): `example.hello`
 * greets from the host it names, `example.announce` publishes its arguments to `example.news`.
 * Runtime-neutral: nothing here imports from Node.
 */
import { Application, RPCRouteSet, TopicRouteSet } from '../src/index.js';

export function exampleApplication(host: string): Application {
  const app = new Application();
  app.addRPCRoutes(
    new RPCRouteSet()
      .route('example.hello', (request) => `Hello, ${String(request.args[0] ?? 'world')}, from ${host}`)
      .route('example.announce', (request) => {
        request.session.realm.publish('example.news', { args: request.args });
        return 'announced';
      }),
  );
  app.addTopicRoutes(new TopicRouteSet().route('example.news', {}));
  return app;
}
