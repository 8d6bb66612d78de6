/**
 * The shared transport suite against test/fixtures/web-server.ts run by a
 * real Bun or Deno, driven from Node by autobahn-js, wampy and raw peers.
 * Each test starts its own server process (its `app` argument is built there).
 */
import { it } from 'node:test';
import { connectAutobahn } from './clients.js';
import { RawClient } from './raw-client.js';
import { requireComponent } from './system.js';
import { transportSuite } from './transport-suite.js';
import { runtimeBinary, startRuntimeServer, type WebRuntime } from './web-runtimes.js';

const SCRIPT = 'test/fixtures/web-server.ts';

export function webRuntimeSuite(runtime: WebRuntime): void {
  const available = runtimeBinary(runtime) !== undefined;
  if (!available) {
    it(`needs ${runtime}`, (t) => {
      requireComponent(t, false, runtime, `the "${runtime}" devDependency: npm install`);
    });
    return;
  }
  transportSuite({
    name: 'WebSocket',
    jsonProtocol: 'wamp.2.json',
    webSocket: true,
    async serve(_app, t) {
      const { url } = await startRuntimeServer(t, runtime, SCRIPT);
      return {
        url,
        autobahn: () => connectAutobahn(url, { serializer: 'json' }),
        raw: () => RawClient.connect(url, 'wamp.2.json'),
      };
    },
  });
}
