/**
 * The soak, shared by test/soak.test.ts (bounded, for CI) and bench/soak.ts
 * (long, for releases): the soak server in its own process, and sessions of
 * raw clients that connect, subscribe (exact, prefix, wildcard), call (with
 * progress, canceled, calling them back), publish, and leave cleanly or
 * abruptly, in a loop bounded by count and time.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { ApplicationTables } from '../../src/testing.js';
import { SoakClient, type Reply } from './soak-client.js';

const ENTRY = fileURLToPath(new URL('./soak-server.ts', import.meta.url));

export interface SoakState {
  tables: ApplicationTables;
  /** Active timers (`Timeout` resources) in the server process. */
  timers: number;
  heapUsed: number;
  rss: number;
  counters: Record<string, number>;
  firstLogs: string[];
}

export interface SoakServer {
  readonly url: string;
  /** Collects garbage in the server process, then reports. */
  state(): Promise<SoakState>;
  close(): Promise<void>;
}

export async function startSoakServer(): Promise<SoakServer> {
  const child = fork(ENTRY, [], { execArgv: ['--import', 'tsx', '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = once(child, 'exit');
  const [first] = (await Promise.race([once(child, 'message'), exited.then(() => [{ url: undefined }])])) as [{ url?: string }];
  if (first.url === undefined) throw new Error('the soak server did not start');
  return {
    url: first.url,
    async state() {
      const reply = new Promise<SoakState>((resolve) => {
        const onMessage = (message: { state?: SoakState }): void => {
          if (message.state === undefined) return;
          child.off('message', onMessage);
          resolve(message.state);
        };
        child.on('message', onMessage);
      });
      child.send({ op: 'state' });
      return reply;
    },
    async close() {
      if (child.exitCode !== null) return;
      child.send({ op: 'close' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** What a soak did, and what went wrong (with the first few failures spelled out). */
export interface SoakTally {
  sessions: number;
  clean: number;
  abrupt: number;
  calls: number;
  progressive: number;
  canceled: number;
  serverCalls: number;
  publications: number;
  events: number;
  failures: number;
  firstFailures: string[];
}

export function newTally(): SoakTally {
  return { sessions: 0, clean: 0, abrupt: 0, calls: 0, progressive: 0, canceled: 0, serverCalls: 0, publications: 0, events: 0, failures: 0, firstFailures: [] };
}

function fail(tally: SoakTally, what: string): void {
  tally.failures++;
  if (tally.firstFailures.length < 10) tally.firstFailures.push(what);
}

/** Checks a reply: no ERROR unless `error` is the one expected, and `check` holds of the message. */
function expect(tally: SoakTally, what: string, reply: Reply, error?: string, check: (message: any[]) => boolean = () => true): void {
  if (reply.error !== error) return fail(tally, `${what}: ${reply.error ?? 'no error'} (expected ${error ?? 'no error'})`);
  if (error === undefined && !check(reply.message)) fail(tally, `${what}: unexpected ${JSON.stringify(reply.message).slice(0, 200)}`);
}

const SUBSCRIPTIONS = [
  ['soak.exact', 'exact'],
  ['soak.p.', 'prefix'],
  ['soak..w', 'wildcard'],
] as const;

const topicFor = (n: number): string => [`soak.exact`, `soak.p.${n}`, `soak.${n}.w`][n % 3]!;

/** Waits (bounded) until the client has received an INVOCATION. */
async function invoked(client: SoakClient, before: number): Promise<boolean> {
  for (let i = 0; i < 100 && client.invocations === before; i++) await sleep(20);
  return client.invocations > before;
}

/** One session's life; which parts it plays and how it ends depend on `n`. */
export async function soakSession(url: string, n: number, tally: SoakTally): Promise<void> {
  const client = await SoakClient.open(url, n % 2 === 0 ? 'wamp.2.json' : 'wamp.2.msgpack');
  tally.sessions++;
  const [topic, match] = SUBSCRIPTIONS[n % 3]!;
  expect(tally, 'subscribe', await client.subscribe(topic, match));

  tally.calls++;
  expect(tally, 'echo', await client.call('soak.echo', [n]).reply, undefined, (m) => m[3]?.[0] === n);

  let progress = 0;
  tally.calls++;
  tally.progressive++;
  const progressive = await client.call('soak.progress', [n], { receive_progress: true }, () => progress++).reply;
  expect(tally, 'progressive call', progressive, undefined, (m) => m[3]?.[0] === n && progress === 3);

  tally.publications++;
  expect(tally, 'publish', await client.publish(topicFor(n), [n]));
  if (n % 5 === 0) {
    tally.calls++;
    expect(tally, 'server publication', await client.call('soak.announce', [n]).reply);
  }

  if (n % 4 === 0) {
    tally.calls++;
    tally.canceled++;
    const slow = client.call('soak.slow');
    await sleep(1);
    client.cancel(slow.id);
    expect(tally, 'canceled call', await slow.reply, 'wamp.error.canceled');
  }

  if (n % 3 === 0) {
    expect(tally, 'register', await client.register('client.double'));
    tally.calls++;
    tally.serverCalls++;
    expect(tally, 'call back', await client.call('soak.callback', [n]).reply, undefined, (m) => m[3]?.[0] === 2 * n);
  }

  tally.events += client.events;
  switch (n % 5) {
    case 0: {
      // Dropped mid-call: the slow call is in the dealer's table when the socket goes.
      tally.calls++;
      void client.call('soak.slow').reply;
      await sleep(1);
      break;
    }
    case 1: {
      // Dropped while the server waits for this client's answer to its call.
      if (n % 3 !== 0) expect(tally, 'register', await client.register('client.double'));
      client.silentCallee = true;
      const before = client.invocations;
      tally.calls++;
      tally.serverCalls++;
      void client.call('soak.callback', [n]).reply;
      if (!(await invoked(client, before))) fail(tally, 'no INVOCATION came to drop the socket on');
      break;
    }
    case 2:
      break;
    default:
      tally.clean++;
      await client.goodbye();
      return;
  }
  tally.abrupt++;
  client.destroy();
  await client.closed;
}

export interface SoakBounds {
  /** Sessions to run in all. */
  sessions: number;
  /** Sessions alive at once. */
  concurrency: number;
  /** Stop starting sessions at this time (ms since the epoch). */
  deadline: number;
}

/** Runs sessions `concurrency` at a time until `sessions` have run or `deadline` passed. */
export async function soak(url: string, bounds: SoakBounds, tally: SoakTally, first = 0): Promise<number> {
  let next = first;
  const end = first + bounds.sessions;
  const worker = async (): Promise<void> => {
    while (next < end && Date.now() < bounds.deadline) {
      const n = next++;
      await soakSession(url, n, tally).catch((error: unknown) => fail(tally, `session ${n}: ${String(error)}`));
    }
  };
  await Promise.all(Array.from({ length: bounds.concurrency }, worker));
  return next;
}

/** Polls the server until `done` holds of its state, or `ms` pass; resolves with the last state. */
export async function settle(server: SoakServer, done: (state: SoakState) => boolean, ms = 20_000): Promise<SoakState> {
  const deadline = Date.now() + ms;
  let state = await server.state();
  while (!done(state) && Date.now() < deadline) {
    await sleep(200);
    state = await server.state();
  }
  return state;
}
