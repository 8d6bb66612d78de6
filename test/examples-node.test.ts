/**
 * examples/express.ts, examples/koa.ts and examples/https.ts run as
 * documented: each serves its HTTP routes and WAMP on one port, admits a WAMP
 * session by the cookie its login route issued, and on SIGTERM lets the call
 * in flight finish, tells the session GOODBYE and exits 0.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { join } from './helpers/auth.js';
import { connectAutobahn } from './helpers/clients.js';
import { requestText } from './helpers/http-request.js';
import { startExample } from './helpers/example-process.js';
import { within } from './helpers/pubsub.js';
import { requireComponent } from './helpers/system.js';
import { opensslAvailable } from './helpers/tls.js';
import { trustInThisProcess } from './helpers/tls-trust.js';

const EXAMPLES = [
  { file: 'express', host: 'Express' },
  { file: 'koa', host: 'Koa' },
  { file: 'https', host: 'HTTPS' },
] as const;

describe('the Node host examples', () => {
  for (const { file, host } of EXAMPLES) {
    it(`examples/${file}.ts serves its routes and WAMP on one port, and drains on SIGTERM`, { timeout: 60_000 }, async (t) => {
      if (file === 'https' && !requireComponent(t, opensslAvailable(), 'openssl', 'apt-get install openssl')) return;
      const { child, url, exited, output } = await startExample(t, process.execPath, ['--import', 'tsx', `examples/${file}.ts`]);
      const certificate = /Self-signed certificate \(trust it to connect\): (\S+)/.exec(output())?.[1];
      if (file === 'https') trustInThisProcess(readFileSync(certificate!));
      const origin = url.replace(/^ws/, 'http').replace(/\/ws$/, '');

      const hello = await requestText(`${origin}/api/hello`);
      assert.equal(hello.status, 200);
      assert.deepEqual(JSON.parse(hello.body), { hello: 'world', wamp: '/ws' });
      const login = await requestText(`${origin}/api/login?user=ada`, { method: 'POST' });
      const cookie = (login.headers['set-cookie']?.[0] ?? '').split(';')[0]!;
      const member = await join(url, { client: 'wampy', serializer: 'json' }, { realm: 'members', headers: { cookie } });
      assert.equal(member.details['authid'], 'ada');
      await member.close();

      const client = await connectAutobahn(url);
      const order: string[] = [];
      const slow = client.session.call('example.slow').then((result: unknown) => (order.push('result'), result));
      const goodbye = client.closed.then((closed) => (order.push('goodbye'), closed));
      // Answered after the slow call's CALL, on the same connection: the slow call is in flight.
      assert.equal(await client.session.call('example.hello', ['Ada']), `Hello, Ada, from ${host}`);
      child.kill('SIGTERM');
      assert.equal(await within(slow, 15_000, 'the call in flight'), 'finished');
      assert.equal((await within(goodbye, 15_000, 'the GOODBYE')).details.reason, 'wamp.close.system_shutdown');
      assert.deepEqual(order, ['result', 'goodbye']);
      assert.equal(await within(exited, 15_000, 'the exit'), 0, output());
    });
  }
});
