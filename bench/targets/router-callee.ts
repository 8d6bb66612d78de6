/**
 * The autobahn-js callee registering `math.add` on the fox-wamp router.
 * Node 20 has no global WebSocket, so `ws` is lent to autobahn.
 * @module
 */
import WebSocket from 'ws';
import autobahnModule from 'autobahn';
import { serve } from '../ipc.js';

(globalThis as Record<string, unknown>)['WebSocket'] ??= WebSocket;
const autobahn = autobahnModule as any;

serve({
  register: ({ url }) =>
    new Promise<void>((resolve, reject) => {
      const connection = new autobahn.Connection({ url, realm: 'realm1', max_retries: 0 });
      connection.onopen = (session: any) => {
        session.register('math.add', (args: number[]) => args[0]! + args[1]!).then(() => resolve(), reject);
      };
      connection.onclose = (reason: string) => {
        reject(new Error(`callee connection closed: ${reason}`));
        return true;
      };
      connection.open();
    }),
  cpu: () => {
    const usage = process.cpuUsage();
    return usage.user + usage.system;
  },
});
