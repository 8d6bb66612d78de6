/**
 * The diagnostics_channel tracing channels, as a subscriber sees them while
 * a raw client calls, cancels, publishes and answers server→client calls:
 * the events in order (start, end, error, asyncStart, asyncEnd), their
 * context, and the trace context (`_traceparent`) that reaches the client.
 */
import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it, type TestContext } from 'node:test';
import { Application, RPCProgressReport, RPCRouteSet, TopicRouteSet, TracingChannel, WampError } from '../src/index.js';
import { RawClient } from './helpers/raw-client.js';
import { serve } from './helpers/server.js';

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const OURS = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

type Event = { event: string; context: any };

/** Records every event of one tracing channel, with a snapshot of what matters at that moment. */
function record(t: TestContext, name: string, onStart?: (context: any) => void): Event[] {
  const events: Event[] = [];
  const channel = diagnostics.tracingChannel(name);
  const handlers = {
    start: (context: any) => {
      onStart?.(context);
      events.push({ event: 'start', context });
    },
    end: (context: any) => events.push({ event: 'end', context }),
    asyncStart: (context: any) => events.push({ event: 'asyncStart', context }),
    asyncEnd: (context: any) => events.push({ event: 'asyncEnd', context }),
    error: (context: any) => events.push({ event: 'error', context }),
  };
  channel.subscribe(handlers);
  t.after(() => channel.unsubscribe(handlers));
  return events;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await sleep(10);
  assert.ok(condition(), `timed out waiting for ${what}`);
}

function createApp(): Application {
  const app = new Application();
  const routes = new RPCRouteSet();
  routes.route('math.add', { params: ['a', 'b'] }, ({ a, b }) => Number(a) + Number(b));
  routes.route('math.slow', async () => {
    await sleep(20);
    return 'slow';
  });
  routes.route('math.fail', () => {
    throw new WampError('app.error.nope', { args: ['no'] });
  });
  routes.route('math.crash', async () => {
    await sleep(1);
    throw new Error('internal detail');
  });
  routes.route('cyclic', () => {
    const result: Record<string, unknown> = {};
    result['self'] = result;
    return result;
  });
  routes.route('stream', async function* () {
    yield new RPCProgressReport({ args: [1] });
    yield new RPCProgressReport({ args: [2] });
    return 'done';
  });
  routes.route('forever', ({ signal }) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))));
  app.addRPCRoutes(routes);
  const topics = new TopicRouteSet();
  topics.route('chat', { publish: (request) => request.forward() });
  app.addTopicRoutes(topics);
  return app;
}

async function client(url: string): Promise<{ raw: RawClient; sessionId: number }> {
  const raw = await RawClient.connect(url);
  const welcome = await raw.hello();
  assert.equal(welcome[0], 2);
  return { raw, sessionId: welcome[1] };
}

describe('tracing channels', () => {
  it('serverwamp:call reports a synchronous procedure as start, end, with the result and the caller trace context', async (t) => {
    const events = record(t, TracingChannel.CALL);
    const { url } = await serve(createApp(), t);
    const { raw, sessionId } = await client(url);
    raw.send([48, 1, { _traceparent: TRACEPARENT, _tracestate: 'k=v' }, 'math.add', [2, 3]]);
    assert.deepEqual(await raw.next(), [50, 1, {}, [5]]);
    assert.deepEqual(events.map((e) => e.event), ['start', 'end']);
    const context = events[0]!.context;
    assert.equal(events[1]!.context, context);
    assert.equal(context.procedure, 'math.add');
    assert.equal(context.route, 'math.add');
    assert.equal(context.realm, 'realm1');
    assert.equal(context.sessionId, sessionId);
    assert.equal(context.session.id, sessionId);
    assert.equal(context.requestId, 1);
    assert.deepEqual(context.args, [2, 3]);
    assert.equal(context.traceparent, TRACEPARENT);
    assert.equal(context.tracestate, 'k=v');
    assert.deepEqual(context.result, { args: [5], kwargs: undefined });
    assert.equal(context.error, undefined);
    raw.close();
  });

  it('serverwamp:call reports an asynchronous procedure as start, end, asyncStart, asyncEnd', async (t) => {
    const events = record(t, TracingChannel.CALL);
    const { url } = await serve(createApp(), t);
    const { raw } = await client(url);
    raw.send([48, 1, {}, 'math.slow']);
    assert.deepEqual(await raw.next(), [50, 1, {}, ['slow']]);
    assert.deepEqual(events.map((e) => e.event), ['start', 'end', 'asyncStart', 'asyncEnd']);
    assert.deepEqual(events[3]!.context.result, { args: ['slow'], kwargs: undefined });
    assert.equal(events[0]!.context.traceparent, undefined);
    raw.close();
  });

  it('serverwamp:call reports errors: the thrown value and the URI the caller saw', async (t) => {
    const events = record(t, TracingChannel.CALL);
    const { url } = await serve(createApp(), t);
    const { raw } = await client(url);
    raw.send([48, 1, {}, 'math.fail']);
    assert.equal((await raw.next())[4], 'app.error.nope');
    assert.deepEqual(events.map((e) => e.event), ['start', 'error', 'end']);
    assert.equal(events[1]!.context.errorURI, 'app.error.nope');
    assert.ok(events[1]!.context.error instanceof WampError);

    events.length = 0;
    raw.send([48, 2, {}, 'math.crash']);
    const reply = await raw.next();
    assert.equal(reply[4], 'wamp.error.runtime_error');
    assert.doesNotMatch(JSON.stringify(reply), /internal detail/);
    assert.deepEqual(events.map((e) => e.event), ['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
    assert.equal(events[2]!.context.errorURI, 'wamp.error.runtime_error');
    assert.equal((events[2]!.context.error as Error).message, 'internal detail');
    raw.close();
  });

  it('serverwamp:call reports a result that could not be serialized as the runtime_error the caller got', async (t) => {
    const events = record(t, TracingChannel.CALL);
    const { url } = await serve(createApp(), t);
    const { raw } = await client(url);
    raw.send([48, 1, {}, 'cyclic']);
    assert.equal((await raw.next())[4], 'wamp.error.runtime_error');
    assert.deepEqual(events.map((e) => e.event), ['start', 'error', 'end']);
    assert.equal(events[1]!.context.errorURI, 'wamp.error.runtime_error');
    assert.equal(events[1]!.context.result, undefined);
    assert.ok(events[1]!.context.error instanceof Error);
    raw.close();
  });

  it('serverwamp:call counts progressive results and ends with the final one', async (t) => {
    const events = record(t, TracingChannel.CALL);
    const { url } = await serve(createApp(), t);
    const { raw } = await client(url);
    raw.send([48, 1, { receive_progress: true }, 'stream']);
    assert.deepEqual(await raw.next(), [50, 1, { progress: true }, [1]]);
    assert.deepEqual(await raw.next(), [50, 1, { progress: true }, [2]]);
    assert.deepEqual(await raw.next(), [50, 1, {}, ['done']]);
    assert.deepEqual(events.map((e) => e.event), ['start', 'end', 'asyncStart', 'asyncEnd']);
    assert.equal(events[3]!.context.progress, 2);
    assert.deepEqual(events[3]!.context.result, { args: ['done'], kwargs: undefined });
    raw.close();
  });

  it('serverwamp:call reports a canceled call as an error with wamp.error.canceled, once', async (t) => {
    const events = record(t, TracingChannel.CALL);
    const { url } = await serve(createApp(), t);
    const { raw } = await client(url);
    raw.send([48, 1, {}, 'forever']);
    await until(() => events.length === 2, 'start and end');
    raw.send([49, 1, { mode: 'killnowait' }]);
    assert.equal((await raw.next())[4], 'wamp.error.canceled');
    await sleep(20); // the procedure's rejection after the abort must not report the call again
    assert.deepEqual(events.map((e) => e.event), ['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
    assert.equal(events[2]!.context.errorURI, 'wamp.error.canceled');
    raw.close();
  });

  it('serverwamp:call reports a timeout, and a call whose session ended, once each', async (t) => {
    const events = record(t, TracingChannel.CALL);
    const { url } = await serve(createApp(), t);
    const { raw } = await client(url);
    raw.send([48, 1, { timeout: 30 }, 'forever']);
    assert.equal((await raw.next(5000))[4], 'wamp.error.timeout');
    await until(() => events.length === 5, 'the timed-out call reported');
    assert.deepEqual(events.map((e) => e.event), ['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
    assert.equal(events[2]!.context.errorURI, 'wamp.error.timeout');

    events.length = 0;
    raw.send([48, 2, {}, 'forever']);
    await until(() => events.length === 2, 'start and end');
    raw.close();
    await until(() => events.length === 5, 'the abandoned call reported');
    await sleep(20);
    assert.deepEqual(events.map((e) => e.event), ['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
    assert.equal(events[2]!.context.errorURI, 'wamp.error.canceled');
  });

  it('a hostile or oversized _traceparent is ignored, and the call still answers', async (t) => {
    const events = record(t, TracingChannel.CALL);
    const { url } = await serve(createApp(), t);
    const { raw } = await client(url);
    const hostile: unknown[] = [
      'x'.repeat(1_000_000),
      `${TRACEPARENT}x`,
      '00-00000000000000000000000000000000-b7ad6b7169203331-01',
      'ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      TRACEPARENT.toUpperCase(),
      { toString: 'x' },
      ['00'],
      42,
    ];
    for (const [i, value] of hostile.entries()) {
      raw.send([48, i + 1, { _traceparent: value, _tracestate: 'y'.repeat(10_000) }, 'math.add', [1, 1]]);
      assert.deepEqual(await raw.next(), [50, i + 1, {}, [2]]);
    }
    const starts = events.filter((e) => e.event === 'start');
    assert.equal(starts.length, hostile.length);
    for (const start of starts) {
      assert.equal(start.context.traceparent, undefined);
      assert.equal(start.context.tracestate, undefined);
    }
    raw.close();
  });

  it('serverwamp:session.call carries the subscriber’s traceparent in INVOCATION.Details and reports the YIELD', async (t) => {
    const events = record(t, TracingChannel.SESSION_CALL, (context) => {
      context.traceparent = OURS;
      context.tracestate = 'a=1';
    });
    const app = createApp();
    const { url } = await serve(app, t);
    const { raw, sessionId } = await client(url);
    raw.send([64, 1, {}, 'client.echo']);
    const registered = await raw.next();
    assert.equal(registered[0], 65);
    const result = app.getSession(sessionId)!.call('client.echo', { args: ['hi'] });
    const invocation = await raw.next();
    assert.equal(invocation[0], 68);
    assert.deepEqual(invocation[3], { _traceparent: OURS, _tracestate: 'a=1' });
    assert.deepEqual(events.map((e) => e.event), ['start', 'end']);
    raw.send([70, invocation[1], {}, ['hi back']]);
    assert.deepEqual((await result).args, ['hi back']);
    assert.deepEqual(events.map((e) => e.event), ['start', 'end', 'asyncStart', 'asyncEnd']);
    const context = events[0]!.context;
    assert.equal(context.procedure, 'client.echo');
    assert.equal(context.route, 'client.echo');
    assert.equal(context.sessionId, sessionId);
    assert.equal(context.requestId, invocation[1]);
    assert.deepEqual(context.result.args, ['hi back']);

    events.length = 0;
    const failing = app.getSession(sessionId)!.call('client.echo');
    const second = await raw.next();
    raw.send([8, 68, second[1], {}, 'app.error.callee']);
    await assert.rejects(failing, { uri: 'app.error.callee' });
    assert.deepEqual(events.map((e) => e.event), ['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
    assert.equal(events[2]!.context.errorURI, 'app.error.callee');
    raw.close();
  });

  it('serverwamp:session.call never sends a traceparent a subscriber got wrong', async (t) => {
    const events = record(t, TracingChannel.SESSION_CALL, (context) => {
      context.traceparent = 'not a traceparent';
      context.tracestate = 'ok=1';
    });
    const app = createApp();
    const { url } = await serve(app, t);
    const { raw, sessionId } = await client(url);
    raw.send([64, 1, {}, 'client.echo']);
    await raw.next();
    void app.getSession(sessionId)!.call('client.echo').catch(() => {});
    assert.deepEqual((await raw.next())[3], {});
    assert.deepEqual(events.map((e) => e.event), ['start', 'end']);
    raw.close();
  });

  it('serverwamp:publish reports app.publish and a client PUBLISH, and EVENT.Details carry the trace context', async (t) => {
    const events = record(t, TracingChannel.PUBLISH, (context) => {
      if (context.sessionId === undefined) context.traceparent = OURS;
    });
    const app = createApp();
    const { url } = await serve(app, t);
    const { raw: subscriber } = await client(url);
    subscriber.send([32, 1, {}, 'chat']);
    const subscribed = await subscriber.next();
    assert.equal(subscribed[0], 33);

    const publicationId = app.publish('chat', { args: ['server'] });
    const event = await subscriber.next();
    assert.deepEqual(event, [36, subscribed[2], publicationId, { _traceparent: OURS }, ['server']]);
    assert.deepEqual(events.map((e) => e.event), ['start', 'end']);
    assert.equal(events[0]!.context.topic, 'chat');
    assert.equal(events[0]!.context.realm, undefined);
    assert.equal(events[0]!.context.queued, 1);

    events.length = 0;
    const { raw: publisher, sessionId } = await client(url);
    publisher.send([16, 7, { acknowledge: true, _traceparent: TRACEPARENT, _tracestate: 'k=v' }, 'chat', ['client']]);
    const published = await publisher.next();
    assert.equal(published[0], 17);
    const relayed = await subscriber.next();
    // No subscriber replaced it: the publisher's own trace context travels with the EVENT.
    assert.deepEqual(relayed[3], { _traceparent: TRACEPARENT, _tracestate: 'k=v' });
    assert.deepEqual(events.map((e) => e.event), ['start', 'end']);
    const context = events[0]!.context;
    assert.equal(context.sessionId, sessionId);
    assert.equal(context.realm, 'realm1');
    assert.equal(context.route, 'chat');
    assert.equal(context.traceparent, TRACEPARENT);
    assert.equal(context.publicationId, published[2]);
    subscriber.close();
    publisher.close();
  });
});
