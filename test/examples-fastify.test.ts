/**
 * examples/fastify.ts runs as documented: Fastify routes and WAMP on one
 * port, a cookie from its login route authenticating the `members` realm,
 * serverwamp's lines in Fastify's log, and on SIGTERM a GOODBYE to the
 * session and exit code 0.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { join } from './helpers/auth.js';
import { connectAutobahn } from './helpers/clients.js';
import { startExample } from './helpers/example-process.js';
import { within } from './helpers/pubsub.js';

describe('the Fastify example', () => {
  it('examples/fastify.ts serves WAMP beside its routes, logs through Fastify and closes gracefully on SIGTERM', { timeout: 60_000 }, async (t) => {
    const { child, url, exited, output } = await startExample(t, process.execPath, ['--import', 'tsx', 'examples/fastify.ts'], {
      urlPattern: /WAMP with Fastify at (ws:\/\/127\.0\.0\.1:\d+\/ws)/,
      env: { LOG_LEVEL: 'debug' },
    });
    const origin = url.replace(/^ws:/, 'http:').replace(/\/ws$/, '');

    const client = await connectAutobahn(url);
    assert.equal(await client.session.call('example.hello', ['Ada']), 'Hello, Ada, from Fastify');
    const events: unknown[] = [];
    await client.session.subscribe('example.news', (args: unknown[]) => events.push(args));
    await client.session.call('example.announce', ['flash']);
    assert.deepEqual(events, [['flash']]);

    const health = await fetch(`${origin}/healthz`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { status: string }).status, 'ok');

    const login = await fetch(`${origin}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'ada' }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const member = await join(url, { client: 'wampy', serializer: 'json' }, { realm: 'members', headers: { cookie } });
    assert.equal(member.details['authid'], 'ada');
    await member.close();

    // Fastify's log (JSON lines on stdout) carries serverwamp's, named serverwamp.
    const ours = output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line['name'] === 'serverwamp');
    assert.ok(ours.some((line) => line['msg'] === 'session established' && line['level'] === 20), 'a debug line from serverwamp');

    child.kill('SIGTERM');
    const closed = await within(client.closed, 15_000, 'the GOODBYE');
    assert.equal(closed.details.reason, 'wamp.close.system_shutdown');
    assert.equal(await within(exited, 15_000, 'the exit'), 0);
  });
});
