/**
 * Tracing with OpenTelemetry: the SDK with a console exporter, and
 * serverwamp/opentelemetry making a SERVER span per CALL (in the caller's
 * trace when it sends `_traceparent`), a PRODUCER span per publication and
 * a CLIENT span per call to a client. Run it:
 *
 *   node --import tsx examples/tracing.ts
 *
 * It serves ws://127.0.0.1:PORT/ws (PORT from the environment, 8080 by
 * default); with `--once` (on a free port) it also calls itself with wampy,
 * prints the spans and exits.
 */
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, ConsoleSpanExporter, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import WebSocket from 'ws';
import { Wampy } from 'wampy';
import { Application, RPCRouteSet, TopicRouteSet } from '../src/index.js';
import { instrumentOpenTelemetry } from '../src/opentelemetry/index.js';
import { isMainModule, startExample } from './serve.js';

/** Wires the OpenTelemetry SDK (console output unless another exporter is given) and serverwamp's spans. */
export function setUpTracing(exporter: SpanExporter = new ConsoleSpanExporter()): { shutdown(): Promise<void> } {
  // The procedure runs in its span's context only with a context manager registered.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const instrumentation = instrumentOpenTelemetry({ tracerProvider: provider, serverAddress: 'localhost' });
  return {
    async shutdown() {
      instrumentation.disable();
      await provider.shutdown();
      context.disable();
    },
  };
}

/** An application whose procedure publishes: its PRODUCER span is a child of the call's SERVER span. */
export function createTracedApp(): Application {
  const app = new Application();
  const procedures = new RPCRouteSet();
  procedures.route('greet', { params: ['name'] }, ({ name }) => {
    app.publish('greetings', { args: [`${String(name)} was greeted`] });
    return `Hello, ${String(name)}!`;
  });
  app.addRPCRoutes(procedures);
  app.addTopicRoutes(new TopicRouteSet().route('greetings', { publish: (request) => request.forward() }));
  return app;
}

if (isMainModule(import.meta.url)) {
  const tracing = setUpTracing();
  const app = createTracedApp();
  const once = process.argv.includes('--once');
  const running = await startExample(app, { port: Number(process.env['PORT'] ?? (once ? 0 : 8080)) });
  console.log(`Serving ws://127.0.0.1:${running.port}/ws; spans are printed below.`);
  const stop = async (): Promise<void> => {
    await running.close({ timeout: 2000 });
    await tracing.shutdown();
  };
  if (once) {
    const wampy = new Wampy(`ws://127.0.0.1:${running.port}/ws`, { realm: 'realm1', ws: WebSocket as never, autoReconnect: false });
    await wampy.connect();
    // A caller that is itself traced sends its span as _traceparent: the server's span joins its trace.
    const result = await wampy.call('greet', { argsList: ['Ada'] }, { _traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } as never);
    console.log('greet →', result.argsList?.[0]);
    await wampy.disconnect();
    await stop();
  } else {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop());
  }
}
