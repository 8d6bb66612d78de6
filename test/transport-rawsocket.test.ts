/** The shared transport suite over RawSocket (TCP), with autobahn-js's RawSocket transport. */
import { connectAutobahn } from './helpers/clients.js';
import { RawSocketClient } from './helpers/rawsocket-client.js';
import { serveRawSocket } from './helpers/server.js';
import { transportSuite } from './helpers/transport-suite.js';

transportSuite({
  name: 'RawSocket',
  jsonProtocol: 'wamp.2.json',
  async serve(app, t) {
    const { port } = await serveRawSocket(app, t);
    return {
      autobahn: () => connectAutobahn('', { transports: [{ type: 'rawsocket', host: '127.0.0.1', port }] }),
      raw: () => RawSocketClient.open(port),
    };
  },
});
