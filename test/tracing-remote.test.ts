/**
 * Trace context across nodes: `app.session(id).call` for a session another
 * node holds. On two applications sharing the in-process backplane, with
 * serverwamp/opentelemetry, a procedure on node A calling a wampy callee on
 * node B makes one trace: A's SERVER span → A's CLIENT span for the request
 * (`serverwamp:remote.call`) → B's CLIENT span for the INVOCATION, whose
 * traceparent the callee receives. Without instrumentation, the call's own
 * `traceparent` option crosses to the client unchanged.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, beforeEach, describe, it, type TestContext } from 'node:test';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Application, createLocalBackplane, RPCRouteSet } from '../src/index.js';
import { instrumentOpenTelemetry, type OpenTelemetryInstrumentation } from '../src/opentelemetry/index.js';
import { connectAutobahn, connectWampy } from './helpers/clients.js';
import { within } from './helpers/pubsub.js';
import { serve } from './helpers/server.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const contextManager = new AsyncLocalStorageContextManager();
let instrumentation: OpenTelemetryInstrumentation;

async function spansSoon(count: number, kind: SpanKind): Promise<ReadableSpan[]> {
  const of = (): ReadableSpan[] => exporter.getFinishedSpans().filter((span) => span.kind === kind);
  for (let i = 0; i < 500 && of().length < count; i++) await sleep(10);
  return of();
}

/** Nodes A and B; A's procedure `relay` calls `client.echo` on the session `target()` names, which B holds. */
async function twoNodes(t: TestContext, target: () => number) {
  const hub = createLocalBackplane();
  const a = new Application({ backplane: hub.backplane() });
  const b = new Application({ backplane: hub.backplane() });
  a.addRPCRoutes(
    new RPCRouteSet().route('relay', async () => {
      const handle = await a.session(target());
      const result = await handle!.call('client.echo', { args: ['ping'] });
      return [trace.getActiveSpan()?.spanContext().spanId ?? null, result.args[0]];
    }),
  );
  const [{ url: urlA }, { url: urlB }] = await Promise.all([serve(a, t), serve(b, t)]);
  return { a, b, urlA, urlB };
}

describe('trace context across nodes (serverwamp:remote.call)', () => {
  before(() => {
    context.setGlobalContextManager(contextManager.enable());
    instrumentation = instrumentOpenTelemetry({ tracerProvider: provider });
  });
  after(() => {
    instrumentation.disable();
    context.disable();
  });
  beforeEach(() => exporter.reset());

  it("a call from node A's procedure to a wampy callee on node B is one trace, and the callee gets B's span as parent", async (t) => {
    let calleeId = 0;
    const { b, urlA, urlB } = await twoNodes(t, () => calleeId);
    const wampy = await connectWampy(urlB);
    t.after(() => wampy.disconnect());
    let invocationDetails: any;
    await wampy.register('client.echo', ({ argsList, details }: any) => {
      invocationDetails = details;
      return { argsList };
    });
    calleeId = Number(wampy.getSessionId());
    assert.ok(b.getSession(calleeId), 'the callee is on node B');

    const caller = await connectAutobahn(urlA);
    t.after(() => caller.close());
    const result = await within(caller.session.call('relay', [], {}, { _traceparent: TRACEPARENT } as never), 10_000, 'relay');
    const [procedureSpanId, echoed] = (result as { args: unknown[] }).args;
    assert.equal(echoed, 'ping');

    const [server] = await spansSoon(1, SpanKind.SERVER);
    const clients = await spansSoon(2, SpanKind.CLIENT);
    assert.equal(clients.length, 2, 'a CLIENT span on each node');
    const remote = clients.find((span) => span.attributes['serverwamp.node.id'] !== undefined)!;
    const invocation = clients.find((span) => span !== remote)!;
    assert.equal(server!.spanContext().traceId, TRACE_ID, "the caller's trace");
    assert.equal(server!.spanContext().spanId, procedureSpanId, 'the procedure ran in its SERVER span');

    assert.equal(remote.name, 'client.echo');
    assert.equal(remote.attributes['serverwamp.node.id'], b.nodeId);
    assert.equal(remote.attributes['wamp.session.id'], calleeId);
    assert.equal(remote.parentSpanContext?.spanId, server!.spanContext().spanId, "node A's request is a child of the procedure's span");

    assert.equal(invocation.spanContext().traceId, TRACE_ID, "node B's span continues the trace");
    assert.equal(invocation.parentSpanContext?.spanId, remote.spanContext().spanId, "node B's span is a child of node A's request");
    assert.equal(invocation.parentSpanContext?.isRemote, true);
    assert.equal(invocationDetails._traceparent, `00-${TRACE_ID}-${invocation.spanContext().spanId}-01`, "the callee's parent is node B's span");
  });

  it('a remote call that fails ends its span with the WAMP error', async (t) => {
    let calleeId = 0;
    const { urlA, urlB } = await twoNodes(t, () => calleeId);
    const wampy = await connectWampy(urlB);
    t.after(() => wampy.disconnect());
    calleeId = Number(wampy.getSessionId()); // registers nothing: client.echo is no_such_procedure
    const caller = await connectAutobahn(urlA);
    t.after(() => caller.close());
    await assert.rejects(within(caller.session.call('relay'), 10_000, 'relay'), (error: any) => error.error === 'wamp.error.no_such_procedure');
    const remote = (await spansSoon(1, SpanKind.CLIENT)).find((span) => span.attributes['serverwamp.node.id'] !== undefined);
    assert.ok(remote, 'the request made its span');
    assert.equal(remote.attributes['error.type'], 'wamp.error.no_such_procedure');
  });
});
