import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Application } from '../src/index.js';
import { RawClient } from './helpers/raw-client.js';
import { serve } from './helpers/server.js';

describe('serving', () => {
  it('echoes the subprotocol the client offered first among those it speaks', async (t) => {
    const { url } = await serve(new Application(), t);
    const client = await RawClient.connect(url, ['wamp.2.unknown', 'wamp.2.msgpack', 'wamp.2.json']);
    assert.equal(client.protocol, 'wamp.2.msgpack');
    const welcome = await client.hello();
    assert.equal(welcome[0], 2);
    client.close();
  });
});
