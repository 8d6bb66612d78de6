/** The shared transport suite over WebSocket. */
import { connectAutobahn } from './helpers/clients.js';
import { RawClient } from './helpers/raw-client.js';
import { serve } from './helpers/server.js';
import { transportSuite } from './helpers/transport-suite.js';

transportSuite({
  name: 'WebSocket',
  jsonProtocol: 'wamp.2.json',
  webSocket: true,
  async serve(app, t) {
    const { url } = await serve(app, t);
    return {
      url,
      autobahn: () => connectAutobahn(url, { serializer: 'json' }),
      raw: () => RawClient.connect(url, 'wamp.2.json'),
    };
  },
});
