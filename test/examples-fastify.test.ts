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
import { assertClosesOnSIGTERM, assertExampleApplication, assertHealthy, httpOrigin, startExample } from './helpers/example-process.js';

describe('the Fastify example', () => {
  it('examples/fastify.ts serves WAMP beside its routes, logs through Fastify and closes gracefully on SIGTERM', { timeout: 60_000 }, async (t) => {
    const example = await startExample(t, process.execPath, ['--import', 'tsx', 'examples/fastify.ts'], {
      urlPattern: /WAMP with Fastify at (ws:\/\/127\.0\.0\.1:\d+\/ws)/,
      env: { LOG_LEVEL: 'debug' },
    });
    const { url, output } = example;
    const origin = httpOrigin(url);

    const client = await connectAutobahn(url);
    await assertExampleApplication(client, 'Fastify');

    await assertHealthy(origin);

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

    await assertClosesOnSIGTERM(example, client);
  });
});
