/**
 * Metrics labels stay bounded whatever clients send: URIs they call, error
 * URIs raised on their behalf, auth methods they offer and malformed frames
 * each collapse into a fixed set of label values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Application, Realm, RPCRouteSet, WampError, silentLogger, type MetricFamily } from '../src/index.js';
import { RawClient } from './helpers/raw-client.js';
import { serve } from './helpers/server.js';

const HELLO = [1, 'realm1', { roles: { caller: {} } }];

async function joined(url: string, realm = 'realm1'): Promise<RawClient> {
  const client = await RawClient.connect(url);
  client.send([1, realm, { roles: { caller: {} } }]);
  const welcome = await client.next();
  assert.equal(welcome[0], 2, `expected WELCOME, got ${JSON.stringify(welcome)}`);
  return client;
}

/** Sends `count` CALLs made by `call(i)` in order, then reads their `count` replies. */
async function callMany(client: RawClient, count: number, call: (i: number) => [string, unknown[]]): Promise<any[][]> {
  const replies: any[][] = [];
  for (let start = 0; start < count; start += 500) {
    const end = Math.min(count, start + 500);
    for (let i = start; i < end; i++) {
      const [procedure, args] = call(i);
      client.send([48, i + 1, {}, procedure, args]);
    }
    for (let i = start; i < end; i++) replies.push(await client.next(10_000));
  }
  return replies;
}

function family(families: MetricFamily[], name: string): MetricFamily {
  const found = families.find((f) => f.name === name);
  assert.ok(found, `no metric ${name}`);
  return found;
}

test('10,000 unknown URIs, URIs under one wildcard route and 2,000 distinct error URIs keep a handful of series', async (t) => {
  const app = new Application({ logger: silentLogger, metrics: { errorURIs: ['app.error.declared'] } });
  const routes = new RPCRouteSet();
  routes.wildcardRoute('user..get', () => 'ok');
  routes.route('fail', (request) => {
    throw new WampError(String(request.args[0]));
  });
  app.addRPCRoutes(routes);
  const { url } = await serve(app, t);
  const client = await joined(url);

  const unknown = await callMany(client, 10_000, (i) => [`nothing.here.n${i}`, []]);
  assert.ok(unknown.every((reply) => reply[0] === 8 && reply[4] === 'wamp.error.no_such_procedure'));
  const routed = await callMany(client, 1000, (i) => [`user.u${i}.get`, []]);
  assert.ok(routed.every((reply) => reply[0] === 50));
  const raised = await callMany(client, 2001, (i) => ['fail', [i === 2000 ? 'app.error.declared' : i % 2 === 0 ? `app.error.e${i}` : `wamp.error.x${i}`]]);
  assert.ok(raised.every((reply) => reply[0] === 8));
  client.ws.close();

  const metrics = app.metrics!;
  const families = metrics.snapshot();
  const calls = family(families, 'serverwamp_calls_total');
  const series = calls.series.map((s) => `${s.labels['procedure']} ${s.labels['outcome']} ${s.labels['error']}`).sort();
  assert.deepEqual(series, [
    '(unknown) error wamp.error.no_such_procedure',
    'fail error (other)',
    'fail error app.error.declared',
    'user..get ok ',
  ]);
  assert.equal(metrics.value('serverwamp_calls_total', { procedure: '(unknown)' }), 10_000);
  assert.equal(metrics.value('serverwamp_calls_total', { procedure: 'user..get', outcome: 'ok' }), 1000);
  assert.equal(metrics.value('serverwamp_calls_total', { procedure: 'fail', error: '(other)' }), 2000);
  assert.equal(metrics.value('serverwamp_calls_total', { procedure: 'fail', error: 'app.error.declared' }), 1);
  // Durations only for calls that ran, one series per route.
  assert.deepEqual(family(families, 'serverwamp_call_duration_seconds').series.map((s) => s.labels['procedure']).sort(), ['fail', 'user..get']);
  assert.equal(metrics.value('serverwamp_call_duration_seconds', { procedure: 'user..get' }), 1000);

  const text = metrics.prometheus();
  assert.ok(text.length < 20_000, `exposition is ${text.length} characters`);
  assert.doesNotMatch(text, /nothing\.here|user\.u\d|app\.error\.e\d|wamp\.error\.x\d/);
});

test('a family holds at most maxSeries series: past it, new label sets share one (overflow) series', async (t) => {
  // Realm names are the application's, so bounded; a tiny maxSeries shows the cap that backs every family.
  const app = new Application({ logger: silentLogger, metrics: { maxSeries: 2 } });
  for (const name of ['r1', 'r2', 'r3', 'r4']) app.addRealm(new Realm(name));
  const { url } = await serve(app, t);
  for (const name of ['r1', 'r2', 'r3', 'r4']) (await joined(url, name)).ws.close();
  const sessions = family(app.metrics!.snapshot(), 'serverwamp_sessions_total');
  assert.deepEqual(sessions.series.map((s) => `${s.labels['realm']}=${'value' in s ? s.value : ''}`).sort(), [
    '(overflow)=2',
    'r1=1',
    'r2=1',
  ]);
});

test('sessions of the default realm are labelled (default), whatever realm name the client asked for', async (t) => {
  const app = new Application({ logger: silentLogger, metrics: true });
  const { url } = await serve(app, t);
  const clients = [];
  for (let i = 0; i < 50; i++) clients.push(await joined(url, `client.chosen.r${i}`));
  const open = family(app.metrics!.snapshot(), 'serverwamp_sessions_open');
  assert.deepEqual(
    open.series.map((s) => [s.labels, 'value' in s ? s.value : -1]),
    [[{ realm: '(default)', transport: 'websocket' }, 50]],
  );
  for (const client of clients) {
    client.ws.close();
    await client.closed;
  }
  const deadline = Date.now() + 10_000;
  while (app.metrics!.value('serverwamp_sessions_open') !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.equal(app.metrics!.value('serverwamp_sessions_open'), 0);
  assert.equal(app.metrics!.value('serverwamp_sessions_total'), 50);
});

test('authentication failures are labelled by method and reason class, never by what the client offered', async (t) => {
  const app = new Application({ logger: silentLogger, metrics: true });
  const realm = new Realm('secure');
  realm.setTicketAuthenticator(() => undefined);
  app.addRealm(realm);
  const { url } = await serve(app, t);
  for (let i = 0; i < 20; i++) {
    const client = await RawClient.connect(url);
    client.send([1, 'secure', { roles: { caller: {} }, authmethods: [`made.up.m${i}`, 'ticket'], authid: `user${i}` }]);
    const challenge = await client.next();
    assert.equal(challenge[0], 4);
    client.send([5, 'wrong ticket', {}]);
    const abort = await client.next();
    assert.equal(abort[0], 3);
    await client.closed;
  }
  for (let i = 0; i < 20; i++) {
    const client = await RawClient.connect(url);
    client.send([1, 'secure', { roles: { caller: {} }, authmethods: [`made.up.m${i}`] }]);
    assert.equal((await client.next())[0], 3);
    await client.closed;
  }
  const failures = family(app.metrics!.snapshot(), 'serverwamp_auth_failures_total');
  const series = failures.series.map((s) => `${s.labels['method']} ${s.labels['reason']} ${'value' in s ? s.value : ''}`).sort();
  assert.equal(series.length, 2, series.join('; '));
  assert.match(series[1]!, /^ticket wamp\.error\.authentication_failed 20$/);
  assert.match(series[0]!, /^none wamp\.error\.[a-z_]+ 20$/);
});

test('protocol violations are counted by kind: undecodable, malformed, unexpected', async (t) => {
  const app = new Application({ logger: silentLogger, metrics: true });
  const { url } = await serve(app, t);
  const undecodable = await RawClient.connect(url);
  undecodable.sendRaw('{not json');
  await undecodable.closed;
  const malformed = await RawClient.connect(url);
  malformed.send([1, 'realm1', 'not a dict']);
  await malformed.closed;
  const unexpected = await joined(url);
  unexpected.send(HELLO);
  await unexpected.closed;
  const metrics = app.metrics!;
  assert.equal(metrics.value('serverwamp_protocol_violations_total', { kind: 'undecodable' }), 1);
  assert.equal(metrics.value('serverwamp_protocol_violations_total', { kind: 'malformed' }), 1);
  assert.equal(metrics.value('serverwamp_protocol_violations_total', { kind: 'unexpected' }), 1);
});
