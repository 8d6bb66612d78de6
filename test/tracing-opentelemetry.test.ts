/**
 * serverwamp/opentelemetry with the OpenTelemetry SDK's in-memory exporter:
 * real autobahn-js and wampy calls make SERVER spans with the RPC semantic
 * conventions' attributes, a caller's `_traceparent` becomes the span's
 * parent, errors set `error.type` to the WAMP error URI, and server→client
 * calls and publications make CLIENT and PRODUCER spans whose trace context
 * the client receives in INVOCATION and EVENT details.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, beforeEach, describe, it } from 'node:test';
import { context, diag, DiagLogLevel, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Application, RPCRouteSet, TopicRouteSet, WampError, type Session } from '../src/index.js';
import { instrumentOpenTelemetry, type OpenTelemetryInstrumentation } from '../src/opentelemetry/index.js';
import { CLIENTS, connectAutobahn, connectClient, connectWampy } from './helpers/clients.js';
import { RawClient } from './helpers/raw-client.js';
import { serve } from './helpers/server.js';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const PARENT_ID = 'b7ad6b7169203331';
const TRACEPARENT = `00-${TRACE_ID}-${PARENT_ID}-01`;
const TRACEPARENT_FORMAT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/;

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const contextManager = new AsyncLocalStorageContextManager();
let instrumentation: OpenTelemetryInstrumentation;

function spans(kind?: SpanKind): ReadableSpan[] {
  return exporter.getFinishedSpans().filter((span) => kind === undefined || span.kind === kind);
}

async function spansSoon(count: number, kind?: SpanKind): Promise<ReadableSpan[]> {
  for (let i = 0; i < 500 && spans(kind).length < count; i++) await sleep(10);
  return spans(kind);
}

/** The procedure session.call-s back to its caller, to test a CLIENT span inside a SERVER span. */
let callBack: ((session: Session) => Promise<unknown>) | undefined;

function createApp(): Application {
  const app = new Application();
  const routes = new RPCRouteSet();
  routes.route('math.add', { params: ['a', 'b'] }, ({ a, b }) => Number(a) + Number(b));
  routes.route('math.fail', async () => {
    await sleep(1);
    throw new WampError('app.error.nope', { args: ['no'] });
  });
  routes.prefixRoute('files', (request) => request.procedure);
  routes.route('nested', async (request) => {
    const inner = trace.getActiveSpan();
    const result = await callBack!(request.session);
    app.publish('news', { args: ['inside'] });
    return [inner?.spanContext().spanId ?? null, result];
  });
  app.addRPCRoutes(routes);
  const topics = new TopicRouteSet();
  topics.route('news', { publish: (request) => request.forward() });
  app.addTopicRoutes(topics);
  return app;
}

describe('serverwamp/opentelemetry', () => {
  before(() => {
    context.setGlobalContextManager(contextManager.enable());
    instrumentation = instrumentOpenTelemetry({ tracerProvider: provider, serverAddress: 'wamp.example', serverPort: 8080 });
  });
  after(() => {
    instrumentation.disable();
    context.disable();
  });
  beforeEach(() => exporter.reset());

  for (const kind of CLIENTS.filter((c) => c.serializer !== 'cbor')) {
    it(`${kind.client}/${kind.serializer}: a CALL makes a SERVER span with the RPC conventions' attributes`, async (t) => {
      const { url } = await serve(createApp(), t);
      const client = await connectClient(url, kind);
      t.after(() => client.close());
      assert.deepEqual((await client.call('math.add', [2, 3])).args, [5]);
      const [span] = await spansSoon(1, SpanKind.SERVER);
      assert.ok(span);
      assert.equal(span.name, 'math.add');
      assert.equal(span.attributes['rpc.system.name'], 'wamp');
      assert.equal(span.attributes['rpc.method'], 'math.add');
      assert.equal(span.attributes['rpc.method_original'], undefined);
      assert.equal(span.attributes['server.address'], 'wamp.example');
      assert.equal(span.attributes['server.port'], 8080);
      assert.equal(span.attributes['network.peer.address'], '127.0.0.1');
      assert.equal(span.attributes['wamp.realm'], 'realm1');
      assert.equal(span.status.code, SpanStatusCode.UNSET);
      assert.equal(span.parentSpanContext, undefined);
    });

    it(`${kind.client}/${kind.serializer}: a CALL with _traceparent makes a span in the caller's trace`, async (t) => {
      const { url } = await serve(createApp(), t);
      const client = await connectClient(url, kind);
      t.after(() => client.close());
      await client.call('math.add', [1, 1], {}, { _traceparent: TRACEPARENT, _tracestate: 'vendor=1' });
      const [span] = await spansSoon(1, SpanKind.SERVER);
      assert.equal(span!.spanContext().traceId, TRACE_ID);
      assert.equal(span!.parentSpanContext?.spanId, PARENT_ID);
      assert.equal(span!.parentSpanContext?.isRemote, true);
      assert.equal(span!.spanContext().traceState?.get('vendor'), '1');
    });

    it(`${kind.client}/${kind.serializer}: an error sets error.type to the WAMP error URI`, async (t) => {
      const { url } = await serve(createApp(), t);
      const client = await connectClient(url, kind);
      t.after(() => client.close());
      await assert.rejects(client.call('math.fail'), { error: 'app.error.nope' });
      const [span] = await spansSoon(1, SpanKind.SERVER);
      assert.equal(span!.attributes['error.type'], 'app.error.nope');
      assert.equal(span!.status.code, SpanStatusCode.ERROR);
    });
  }

  it('a prefix route: rpc.method is the route, rpc.method_original the URI called', async (t) => {
    const { url } = await serve(createApp(), t);
    const client = await connectAutobahn(url);
    t.after(() => client.close());
    assert.equal(await client.session.call('files.read'), 'files.read');
    const [span] = await spansSoon(1, SpanKind.SERVER);
    assert.equal(span!.name, 'files');
    assert.equal(span!.attributes['rpc.method'], 'files');
    assert.equal(span!.attributes['rpc.method_original'], 'files.read');
  });

  it('wampy: session.call inside a procedure makes a CLIENT span, child of the SERVER span, and wampy receives its traceparent', async (t) => {
    const app = createApp();
    const { url } = await serve(app, t);
    const wampy = await connectWampy(url);
    t.after(() => wampy.disconnect());
    let invocationDetails: any;
    let eventDetails: any;
    await wampy.register('client.echo', ({ argsList, details }: any) => {
      invocationDetails = details;
      return { argsList };
    });
    await wampy.subscribe('news', ({ details }: any) => {
      eventDetails = details;
    });
    callBack = (session) => session.call('client.echo', { args: ['ping'] }).then((result) => result.args[0]);
    const result = await wampy.call('nested', { argsList: [] });
    const server = (await spansSoon(1, SpanKind.SERVER))[0]!;
    const client = (await spansSoon(1, SpanKind.CLIENT))[0]!;
    const producer = (await spansSoon(1, SpanKind.PRODUCER))[0]!;
    // The procedure ran inside its span.
    assert.equal(result.argsList?.[0], server.spanContext().spanId);
    assert.equal(result.argsList?.[1], 'ping');
    assert.equal(client.name, 'client.echo');
    assert.equal(client.attributes['rpc.system.name'], 'wamp');
    assert.equal(client.attributes['rpc.method'], 'client.echo');
    assert.equal(client.parentSpanContext?.spanId, server.spanContext().spanId);
    assert.equal(client.spanContext().traceId, server.spanContext().traceId);
    assert.match(invocationDetails._traceparent, TRACEPARENT_FORMAT);
    assert.equal(invocationDetails._traceparent.split('-')[2], client.spanContext().spanId);
    for (let i = 0; i < 200 && eventDetails === undefined; i++) await sleep(10);
    assert.equal(producer.name, 'publish news');
    assert.equal(producer.attributes['messaging.system'], 'wamp');
    assert.equal(producer.attributes['messaging.destination.name'], 'news');
    assert.equal(producer.parentSpanContext?.spanId, server.spanContext().spanId);
    assert.equal(eventDetails._traceparent.split('-')[2], producer.spanContext().spanId);
  });

  it('autobahn-js: a procedure and a subscription it holds work with _traceparent in INVOCATION and EVENT details', async (t) => {
    const app = createApp();
    const { url } = await serve(app, t);
    const client = await connectAutobahn(url);
    t.after(() => client.close());
    const received: unknown[] = [];
    await client.session.register('client.echo', (args: unknown[]) => args[0]);
    await client.session.subscribe('news', (args: unknown[]) => received.push(args[0]));
    callBack = (session) => session.call('client.echo', { args: ['pong'] }).then((result) => result.args[0]);
    const result = await client.session.call('nested');
    assert.equal(result.args[1], 'pong');
    for (let i = 0; i < 200 && received.length === 0; i++) await sleep(10);
    assert.deepEqual(received, ['inside']);
    assert.equal((await spansSoon(1, SpanKind.CLIENT)).length, 1);
    assert.equal(client.connection.isOpen, true);
  });

  it("a client's PUBLISH with _traceparent: the PRODUCER span is in the publisher's trace, and subscribers get its traceparent", async (t) => {
    const { url } = await serve(createApp(), t);
    const subscriber = await RawClient.connect(url);
    await subscriber.hello();
    subscriber.send([32, 1, {}, 'news']);
    await subscriber.next();
    const publisher = await connectWampy(url);
    t.after(() => publisher.disconnect());
    await publisher.publish('news', { argsList: ['hello'] }, { acknowledge: true, _traceparent: TRACEPARENT } as never);
    const event = await subscriber.next();
    const [producer] = await spansSoon(1, SpanKind.PRODUCER);
    assert.equal(producer!.spanContext().traceId, TRACE_ID);
    assert.equal(producer!.parentSpanContext?.spanId, PARENT_ID);
    assert.equal(event[3]._traceparent, `00-${TRACE_ID}-${producer!.spanContext().spanId}-01`);
    subscriber.close();
  });

  it('hostile _traceparent values start a new trace and never fail the call', async (t) => {
    const { url } = await serve(createApp(), t);
    const raw = await RawClient.connect(url);
    await raw.hello();
    const values: unknown[] = ['z'.repeat(100_000), `00-${TRACE_ID}-${PARENT_ID}-01-extra`, `01-${TRACE_ID}-${PARENT_ID}-01x`, { a: 1 }, null, 7];
    for (const [i, value] of values.entries()) {
      raw.send([48, i + 1, { _traceparent: value, _tracestate: 'Ω'.repeat(100) }, 'math.add', [1, 2]]);
      assert.deepEqual(await raw.next(), [50, i + 1, {}, [3]]);
    }
    const server = await spansSoon(values.length, SpanKind.SERVER);
    assert.equal(server.length, values.length);
    for (const span of server) assert.equal(span.parentSpanContext, undefined);
    raw.close();
  });

  it('a tracer that throws costs spans, never the process or the call', async (t) => {
    const broken = { getTracer: () => ({ startSpan: () => { throw new Error('tracer broke'); } }) } as never;
    const failing = instrumentOpenTelemetry({ tracerProvider: broken });
    t.after(() => failing.disable());
    const reported: unknown[] = [];
    diag.setLogger({ error: (...args: unknown[]) => reported.push(args), warn() {}, info() {}, debug() {}, verbose() {} }, DiagLogLevel.ERROR);
    t.after(() => diag.disable());
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown): void => void uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    t.after(() => process.off('uncaughtException', onUncaught));
    const { url } = await serve(createApp(), t);
    const client = await connectAutobahn(url);
    t.after(() => client.close());
    assert.equal(await client.session.call('math.add', [2, 2]), 4);
    await sleep(20);
    assert.deepEqual(uncaught, []);
    assert.ok(reported.length > 0, 'the failure went to the OpenTelemetry diagnostic logger');
    assert.equal((await spansSoon(1, SpanKind.SERVER)).length, 1, 'the working instrumentation still made its span');
  });

  it('package.json maps serverwamp/opentelemetry to built files, with @opentelemetry/api an optional peer', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    assert.deepEqual(pkg.exports['./opentelemetry'], { types: './dist/opentelemetry/index.d.ts', import: './dist/opentelemetry/index.js', default: './dist/opentelemetry/index.js' });
    assert.ok(pkg.peerDependencies['@opentelemetry/api']);
    assert.deepEqual(pkg.peerDependenciesMeta['@opentelemetry/api'], { optional: true });
    assert.equal(pkg.dependencies['@opentelemetry/api'], undefined);
  });

  it('disable() stops the spans; instrumentOpenTelemetry refuses bad options with ERR_INVALID_OPTION', async (t) => {
    assert.throws(() => instrumentOpenTelemetry({ tracerProvider: {} as never }), { name: 'ServerwampError', code: 'ERR_INVALID_OPTION' });
    assert.throws(() => instrumentOpenTelemetry({ serverPort: 70000 }), { code: 'ERR_INVALID_OPTION' });
    const second = instrumentOpenTelemetry({ tracerProvider: provider });
    assert.equal(second.active, true);
    second.disable();
    second.disable();
    const { url } = await serve(createApp(), t);
    const client = await connectAutobahn(url);
    t.after(() => client.close());
    await client.session.call('math.add', [1, 1]);
    assert.equal((await spansSoon(1, SpanKind.SERVER)).length, 1, 'the first instrumentation still works, the disabled one made nothing');
  });
});
