/**
 * Spec-exact validation of the Options/Details a client sends: a wrong type
 * for any key the spec defines is `ABORT wamp.error.protocol_violation`
 * naming the key (and never quoting the value), whatever else the message
 * asked for; right types, unknown keys and `_custom` keys pass.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Application, RPCRouteSet, TopicRouteSet } from '../src/index.js';
import { RawClient } from './helpers/raw-client.js';
import { within } from './helpers/pubsub.js';
import { serve } from './helpers/server.js';

function createApp(): Application {
  const app = new Application();
  app.addRPCRoutes(new RPCRouteSet().route('echo', ({ args }) => args[0]));
  app.addTopicRoutes(new TopicRouteSet().route('chat', { publish: (request) => void request.forward() }));
  return app;
}

interface Case {
  readonly name: string;
  /** Sent after a WELCOME, or instead of the HELLO when `hello` is true. */
  readonly frame: unknown[];
  readonly names: RegExp;
  readonly hello?: boolean;
}

const ROLES = { caller: {}, callee: {}, publisher: {}, subscriber: {} };
const hello = (details: Record<string, unknown>): unknown[] => [1, 'realm1', { roles: ROLES, ...details }];

const CASES: Case[] = [
  { name: 'HELLO without roles', hello: true, frame: [1, 'realm1', { roles: {} }], names: /HELLO\.Details\.roles must announce at least one/ },
  { name: 'HELLO with only unknown roles', hello: true, frame: [1, 'realm1', { roles: { dealer: {} } }], names: /HELLO\.Details\.roles must announce/ },
  { name: 'HELLO role not a dict', hello: true, frame: [1, 'realm1', { roles: { caller: true } }], names: /HELLO\.Details\.roles\.caller must be a dict/ },
  { name: 'HELLO features not a dict', hello: true, frame: [1, 'realm1', { roles: { caller: { features: [] } } }], names: /roles\.caller\.features must be a dict/ },
  { name: 'HELLO feature not a bool', hello: true, frame: [1, 'realm1', { roles: { callee: { features: { call_canceling: 'yes' } } } }], names: /roles\.callee\.features values must be bools/ },
  { name: 'HELLO agent', hello: true, frame: hello({ agent: 5 }), names: /HELLO\.Details\.agent must be a string/ },
  { name: 'HELLO authid', hello: true, frame: hello({ authid: 7 }), names: /HELLO\.Details\.authid must be a string/ },
  { name: 'HELLO authmethods', hello: true, frame: hello({ authmethods: 'ticket' }), names: /HELLO\.Details\.authmethods must be a list of strings/ },
  { name: 'HELLO authextra', hello: true, frame: hello({ authextra: ['x'] }), names: /HELLO\.Details\.authextra must be a dict/ },
  { name: 'HELLO authextra.pubkey', hello: true, frame: hello({ authextra: { pubkey: 12 } }), names: /HELLO\.Details\.authextra\.pubkey must be a string/ },
  { name: 'HELLO authextra.channel_binding', hello: true, frame: hello({ authextra: { channel_binding: 1 } }), names: /authextra\.channel_binding must be a string or null/ },
  { name: 'REGISTER forward_timeout', frame: [64, 1, { forward_timeout: 1 }, 'ui.x'], names: /REGISTER\.Options\.forward_timeout must be a bool/ },
  { name: 'CALL ppt_scheme', frame: [48, 1, { ppt_scheme: 5 }, 'echo', [1]], names: /CALL\.Options\.ppt_scheme must be a string/ },
  { name: 'SUBSCRIBE match', frame: [32, 1, { match: 123 }, 'chat'], names: /SUBSCRIBE\.Options\.match must be a string/ },
  { name: 'SUBSCRIBE get_retained', frame: [32, 1, { get_retained: 'yes' }, 'chat'], names: /SUBSCRIBE\.Options\.get_retained must be a bool/ },
  { name: 'UNSUBSCRIBE subscription', frame: [34, 1, 'sub'], names: /UNSUBSCRIBE\.Subscription must be an ID/ },
  { name: 'PUBLISH exclude', frame: [16, 1, { exclude: 'hello' }, 'chat'], names: /PUBLISH\.Options\.exclude must be a list of session ids/ },
  { name: 'PUBLISH exclude (acknowledged)', frame: [16, 1, { acknowledge: true, exclude: 'hello' }, 'chat'], names: /PUBLISH\.Options\.exclude must be/ },
  { name: 'PUBLISH eligible with a 0', frame: [16, 1, { eligible: [1, 0] }, 'chat'], names: /PUBLISH\.Options\.eligible must be a list of session ids/ },
  { name: 'PUBLISH eligible_authid', frame: [16, 1, { eligible_authid: 123 }, 'chat'], names: /PUBLISH\.Options\.eligible_authid must be a list of authids/ },
  { name: 'PUBLISH exclude_authrole', frame: [16, 1, { exclude_authrole: [true] }, 'chat'], names: /PUBLISH\.Options\.exclude_authrole must be/ },
  { name: 'PUBLISH acknowledge', frame: [16, 1, { acknowledge: 1 }, 'chat'], names: /PUBLISH\.Options\.acknowledge must be a bool/ },
  { name: 'PUBLISH retain', frame: [16, 1, { retain: 'x' }, 'chat'], names: /PUBLISH\.Options\.retain must be a bool/ },
  { name: 'PUBLISH exclude_me', frame: [16, 1, { exclude_me: 0 }, 'chat'], names: /PUBLISH\.Options\.exclude_me must be a bool/ },
  { name: 'PUBLISH disclose_me', frame: [16, 1, { acknowledge: true, disclose_me: 'true' }, 'chat'], names: /PUBLISH\.Options\.disclose_me must be a bool/ },
  { name: 'CALL timeout not a number', frame: [48, 1, { timeout: 'abc' }, 'echo', [1]], names: /CALL\.Options\.timeout must be a non-negative integer/ },
  { name: 'CALL timeout negative', frame: [48, 1, { timeout: -5 }, 'echo', [1]], names: /CALL\.Options\.timeout must be a non-negative integer/ },
  { name: 'CALL timeout fractional', frame: [48, 1, { timeout: 1.5 }, 'echo', [1]], names: /CALL\.Options\.timeout must be/ },
  { name: 'CALL receive_progress', frame: [48, 1, { receive_progress: 1 }, 'echo', [1]], names: /CALL\.Options\.receive_progress must be a bool/ },
  { name: 'CALL disclose_me', frame: [48, 1, { disclose_me: {} }, 'echo', [1]], names: /CALL\.Options\.disclose_me must be a bool/ },
  { name: 'CALL progress (not announced)', frame: [48, 1, { progress: true }, 'echo', [1]], names: /CALL\.Options\.progress must be false/ },
  { name: 'CANCEL mode', frame: [49, 1, { mode: 'explode' }], names: /CANCEL\.Options\.mode must be one of skip, kill, killnowait/ },
  { name: 'CANCEL mode type', frame: [49, 1, { mode: 1 }], names: /CANCEL\.Options\.mode must be one of/ },
  { name: 'REGISTER match', frame: [64, 1, { match: ['prefix'] }, 'ui.x'], names: /REGISTER\.Options\.match must be a string/ },
  { name: 'REGISTER invoke', frame: [64, 1, { invoke: 'everyone' }, 'ui.x'], names: /REGISTER\.Options\.invoke must be one of/ },
  { name: 'REGISTER disclose_caller', frame: [64, 1, { disclose_caller: 'no' }, 'ui.x'], names: /REGISTER\.Options\.disclose_caller must be a bool/ },
  { name: 'YIELD progress', frame: [70, 1, { progress: 'yes' }], names: /YIELD\.Options\.progress must be a bool/ },
  { name: 'ERROR from a callee with no URI', frame: [8, 68, 1, {}, 'not a uri'], names: /ERROR\.Error must be a URI/ },
  { name: 'GOODBYE message', frame: [6, { message: 42 }, 'wamp.close.close_realm'], names: /GOODBYE\.Details\.message must be a string/ },
  { name: 'GOODBYE reason', frame: [6, {}, 'no reason at all'], names: /GOODBYE\.Reason must be a URI/ },
];

async function expectViolation(url: string, testCase: Case): Promise<void> {
  const raw = await RawClient.connect(url);
  try {
    if (testCase.hello === true) {
      raw.send(testCase.frame);
    } else {
      assert.equal((await raw.hello())[0], 2, testCase.name);
      raw.send(testCase.frame);
    }
    const reply = await raw.next(5000);
    assert.deepEqual([reply[0], reply[2]], [3, 'wamp.error.protocol_violation'], `${testCase.name}: ${JSON.stringify(reply)}`);
    const message = String(reply[1].message);
    assert.match(message, testCase.names, testCase.name);
    assert.ok(!/hello|explode|everyone|\babc\b/.test(message.replace(/HELLO/g, '')), `${testCase.name}: the value is not echoed: ${message}`);
    assert.equal((await within(raw.closed, 5000, 'the close after ABORT')).code, 1002);
  } finally {
    raw.close();
  }
}

describe('spec-exact option types', () => {
  describe('a wrong type in a spec-defined option or detail is ABORT protocol_violation naming it', () => {
    let url = '';
    let close = async (): Promise<void> => {};
    before(async () => {
      ({ url, close } = await serve(createApp(), undefined));
    });
    after(() => close());
    for (const testCase of CASES) it(testCase.name, () => expectViolation(url, testCase));
  });

  it('right types, a lone id for a list (wampy), unknown keys and _custom keys pass', async (t) => {
    const { url } = await serve(createApp(), t);
    const raw = await RawClient.connect(url);
    t.after(() => raw.close());
    const welcome = await raw.hello('realm1', { agent: 'test', authmethods: ['anonymous'], _client_build: 7, unknown_key: [1] });
    assert.equal(welcome[0], 2);
    raw.send([48, 1, { timeout: 0, receive_progress: false, progress: false, _trace: 'x', future_option: { a: 1 } }, 'echo', [1]]);
    assert.deepEqual(await raw.next(), [50, 1, {}, [1]]);
    raw.send([16, 2, { acknowledge: true, exclude: 5, eligible_authid: 'bob', exclude_me: true, retain: false }, 'chat']);
    assert.equal((await raw.next())[0], 17);
    raw.send([32, 3, { match: 'exact', get_retained: false }, 'chat']);
    assert.equal((await raw.next())[0], 33);
    raw.send([48, 4, { timeout: 2 ** 53 }, 'echo', ['big timeout']]);
    assert.deepEqual(await raw.next(), [50, 4, {}, ['big timeout']]);
  });

  it('a huge invalid URI from a client is quoted short in the ERROR and the ABORT, not echoed', async (t) => {
    const { url } = await serve(createApp(), t);
    const huge = `a b${'x'.repeat(60_000)}`;
    const raw = await RawClient.connect(url);
    t.after(() => raw.close());
    await raw.hello();
    for (const [i, frame] of [[48, 1, {}, huge], [32, 2, {}, huge], [16, 3, { acknowledge: true }, huge], [64, 4, {}, huge]].entries()) {
      raw.send(frame);
      const reply = await raw.next();
      assert.equal(reply[4], 'wamp.error.invalid_uri', `frame ${i}`);
      assert.ok(JSON.stringify(reply).length < 300, `frame ${i}: ${JSON.stringify(reply).length} characters`);
    }
    const other = await RawClient.connect(url);
    t.after(() => other.close());
    const abort = await other.hello(huge);
    assert.deepEqual([abort[0], abort[2]], [3, 'wamp.error.invalid_uri']);
    assert.ok(JSON.stringify(abort).length < 300);
  });

  it('an unknown match policy of the right type is still an ERROR, not an ABORT', async (t) => {
    const { url } = await serve(createApp(), t);
    const raw = await RawClient.connect(url);
    t.after(() => raw.close());
    await raw.hello();
    raw.send([32, 1, { match: 'regex' }, 'chat']);
    assert.deepEqual((await raw.next()).slice(0, 5), [8, 32, 1, {}, 'wamp.error.invalid_argument']);
  });
});
