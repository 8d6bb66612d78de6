/**
 * The shared transport suite through the Fastify plugin: WAMP on a Fastify
 * instance's server, which answers an HTTP route on the same port.
 */
import assert from 'node:assert/strict';
import { connectAutobahn } from './helpers/clients.js';
import { serveFastify } from './helpers/fastify.js';
import { RawClient } from './helpers/raw-client.js';
import { transportSuite } from './helpers/transport-suite.js';

transportSuite({
  name: 'WebSocket',
  jsonProtocol: 'wamp.2.json',
  webSocket: true,
  async serve(app, t) {
    const { url, origin } = await serveFastify(app, t);
    // Fastify's own routes stay Fastify's: the same port answers HTTP.
    assert.deepEqual(await (await fetch(`${origin}/hello`)).json(), { hello: 'from fastify' });
    return {
      url,
      autobahn: () => connectAutobahn(url, { serializer: 'json' }),
      raw: () => RawClient.connect(url, 'wamp.2.json'),
    };
  },
});
