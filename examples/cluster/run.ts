/**
 * The cluster example in one command: two nodes (examples/cluster/node.ts)
 * on ports 8081 and 8082 with one Redis (REDIS_URL, default
 * redis://127.0.0.1:6379), a client on each; a publication on node 1
 * reaches the subscribers of both.
 *
 *   npm run cluster          # needs a Redis 7+ at REDIS_URL
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import autobahn from 'autobahn';
import WebSocket from 'ws';

// Node 20 has no global WebSocket: lend autobahn the one from ws.
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

const NODE = fileURLToPath(new URL('./node.ts', import.meta.url));

async function startNode(port: number): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(NODE, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, PORT: String(port) } });
  const [message] = (await once(child, 'message')) as [{ url: string }];
  return { child, url: message.url };
}

function connect(url: string): Promise<any> {
  return new Promise((resolve, reject) => {
    const connection = new autobahn.Connection({ url, realm: 'realm1', max_retries: 0 });
    connection.onopen = (session: any) => resolve(session);
    connection.onclose = (reason: string) => void reject(new Error(reason));
    connection.open();
  });
}

const base = Number(process.env['PORT'] ?? 8081);
const nodes = [await startNode(base), await startNode(base + 1)];
try {
  const [one, two] = await Promise.all(nodes.map((node) => connect(node.url)));
  const received = new Promise<void>((resolve) => {
    let count = 0;
    for (const [name, session] of [['client on node 1', one], ['client on node 2', two]] as const) {
      void session.subscribe('chat', (args: unknown[]) => {
        console.log(`${name} got: ${String(args[0])}`);
        if (++count === 2) resolve();
      });
    }
  });
  // Give node 1 time to learn that node 2 has a subscriber (one Redis round trip, see docs/scaling.md).
  await new Promise((resolve) => setTimeout(resolve, 200));
  await one.publish('chat', ['hello from node 1'], {}, { acknowledge: true, exclude_me: false });
  await received;
  await Promise.all([one.leave(), two.leave()]);
} finally {
  for (const { child } of nodes) child.kill('SIGTERM');
}
