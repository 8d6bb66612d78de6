/**
 * A traditional WAMP router, fox-wamp (JSON only), with the procedure in a
 * separate autobahn-js callee process: the extra hop serverwamp removes.
 * @module
 */
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { Child } from '../ipc.js';
import type { Target } from './target.js';

interface FoxRouter {
  listenWAMP(options: Record<string, unknown>): { address(): AddressInfo; once(event: 'listening', cb: () => void): void };
}

export async function start(): Promise<Target> {
  const FoxRouterClass = createRequire(import.meta.url)('fox-wamp') as new () => FoxRouter;
  const server = new FoxRouterClass().listenWAMP({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const url = `ws://127.0.0.1:${server.address().port}/`;
  const callee = new Child('router callee', './targets/router-callee.ts');
  process.on('exit', () => callee.process.kill());
  await callee.request('register', { url });
  return {
    urls: { json: url },
    subscribers: () => 0,
    helperCpu: async () => callee.request<number>('cpu'),
  };
}
