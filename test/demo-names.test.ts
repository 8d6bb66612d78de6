/**
 * The demo's names (examples/demo-names.ts): a client names itself with the
 * HELLO authid, anything else is refused with an ABORT that says what a name
 * is (without echoing it), and the meta API lists names but kills nobody.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDemoApp } from '../examples/demo.js';
import { connectAutobahn } from './helpers/clients.js';
import { RawClient } from './helpers/raw-client.js';
import { serve } from './helpers/server.js';

const WELCOME = 2;
const ABORT = 3;

describe('the demo: names and who is online', () => {
  it('welcomes a named session as that name and an unnamed one as a numbered guest, both anonymous', async (t) => {
    const { url } = await serve(createDemoApp(), t);
    const named = await RawClient.connect(url);
    t.after(() => named.close());
    const [type, , details] = await named.hello('realm1', { authid: 'Ann Lee-2', authmethods: ['anonymous'] });
    assert.equal(type, WELCOME);
    assert.equal(details.authid, 'Ann Lee-2');
    assert.equal(details.authrole, 'anonymous');
    assert.equal(details.authmethod, 'anonymous');
    const guest = await RawClient.connect(url);
    t.after(() => guest.close());
    const [, , guestDetails] = await guest.hello('realm1');
    assert.match(guestDetails.authid, /^guest-\d+$/);
  });

  for (const [what, authid] of [
    ['a huge name', 'x'.repeat(100_000)],
    ['a name of 33 characters', 'a'.repeat(33)],
    ['a control character', 'ann\u0000'],
    ['markup', '<img src=x onerror=alert(1)>'],
    ['a leading space', ' ann'],
    ['an empty name', ''],
  ] as const) {
    it(`refuses ${what} with ABORT demo.error.invalid_name, not echoing it`, async (t) => {
      const { url } = await serve(createDemoApp(), t);
      const client = await RawClient.connect(url);
      t.after(() => client.close());
      const reply = await client.hello('realm1', { authid });
      assert.equal(reply[0], ABORT);
      assert.equal(reply[2], 'demo.error.invalid_name');
      assert.match(String(reply[1].message), /^a name is 1 to 32 letters/);
      assert.ok(JSON.stringify(reply).length < 300, 'the reply does not carry the name');
    });
  }

  it('lists names for the page, live; refuses the meta kills', async (t) => {
    const { url } = await serve(createDemoApp(), t);
    const ann = await connectAutobahn(url, { authid: 'Ann' });
    t.after(() => ann.close());
    const joined: string[] = [];
    await ann.session.subscribe('wamp.session.on_join', ([details]: [{ authid: string }]) => joined.push(details.authid));
    const bob = await connectAutobahn(url, { authid: 'Bob' });
    t.after(() => bob.close());
    const ids: number[] = await ann.session.call('wamp.session.list');
    const names = await Promise.all(ids.map(async (id) => (await ann.session.call('wamp.session.get', [id])).authid));
    assert.deepEqual(names.sort(), ['Ann', 'Bob']);
    assert.equal(await ann.session.call('wamp.session.count'), 2);
    assert.deepEqual(joined, ['Bob']);
    for (const [procedure, args] of [
      ['wamp.session.kill', [bob.session.id]],
      ['wamp.session.kill_by_authid', ['Bob']],
      ['wamp.session.kill_by_authrole', ['anonymous']],
      ['wamp.session.kill_all', []],
    ] as const) {
      await assert.rejects(ann.session.call(procedure, args), (error: any) => error.error === 'wamp.error.not_authorized', procedure);
    }
    assert.equal(bob.connection.isOpen, true);
    await assert.rejects(ann.session.publish('wamp.session.on_join', [{ authid: 'Mallory' }], {}, { acknowledge: true }), (error: any) =>
      ['wamp.error.not_authorized'].includes(error.error),
    );
  });
});
