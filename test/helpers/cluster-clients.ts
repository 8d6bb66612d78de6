/** What the multi-node Redis tests share: WAMP clients joining a node, redis-cli, a node's log lines. */
import { execFile } from 'node:child_process';
import type { TestContext } from 'node:test';
import { promisify } from 'node:util';
import { connectClient, type CLIENTS, type UniformClient } from './clients.js';
import type { NodeState } from './redis-cluster.js';

const run = promisify(execFile);

/** A real client of `kind` in realm1, anonymous with `authid`, closed after the test. */
export async function joinRealm(t: TestContext, url: string, kind: (typeof CLIENTS)[number], authid: string): Promise<UniformClient> {
  // wampy refuses to send an authid without a challenge callback; none is ever called here.
  const client = await connectClient(url, kind, { realm: 'realm1', authid, authmethods: ['anonymous'], onChallenge: () => '' } as { realm: string });
  t.after(() => client.close().catch(() => undefined));
  return client;
}

/** The WAMP session id of a joined autobahn-js or wampy client. */
export function sessionIdOf(client: UniformClient): number {
  return Number(client.name.startsWith('autobahn') ? client.raw.session.id : client.raw.getSessionId());
}

/** One redis-cli command against 127.0.0.1:`port`: its output lines. */
export async function redisCli(port: number, ...args: string[]): Promise<string[]> {
  const { stdout } = await run('/usr/bin/redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { timeout: 5000 });
  return stdout.split('\n').filter((line) => line !== '');
}

/** How many of a node's warnings mention `text`. */
export const warnings = (state: NodeState, text: string): number => state.logs.filter((log) => log.level === 'warn' && log.msg.includes(text)).length;
/** How many of a node's info lines mention `text`. */
export const infos = (state: NodeState, text: string): number => state.logs.filter((log) => log.level === 'info' && log.msg.includes(text)).length;
