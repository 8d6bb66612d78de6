/**
 * A real Redis Cluster for a test: three masters (Debian redis-server, no
 * persistence, on free loopback ports), optionally each with replicas, joined
 * by `redis-cli --cluster create`,
 * every process killed and its config directory removed afterwards. Missing
 * binaries: the test is skipped loudly, or fails under CI=true.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TestContext } from 'node:test';
import { freePort, ping } from './redis-process.js';
import { requireComponent } from './system.js';

const SERVER = '/usr/bin/redis-server';
const CLI = '/usr/bin/redis-cli';
const run = promisify(execFile);

export interface RedisCluster {
  /**
   * Every server's port, masters and replicas (which of them is a master is the cluster's to say:
   * ask `CLUSTER NODES`); any that is up is a startup node for a cluster client.
   */
  readonly ports: readonly number[];
  /** Kills every master and removes their files. */
  stop(): Promise<void>;
  /** SIGKILLs the server on `port`: the outage of one shard's master, or of a replica. */
  kill(port: number): Promise<void>;
  /**
   * Starts the master on `port` again with the same nodes.conf: it rejoins the cluster with its
   * node id and slots (and no data: no persistence). Resolves once it answers PING; nothing if it runs.
   */
  restart(port: number): Promise<void>;
}

export interface RedisClusterOptions {
  /** How many masters (default 3). */
  masters?: number;
  /** Replicas per master (default 0): `--cluster-replicas`; resolves once each one's link to its master is up. */
  replicas?: number;
  /** More redis-server options for every master, e.g. `['--cluster-node-timeout', '1000']`. */
  config?: readonly string[];
}

/** Whether redis-server and redis-cli are here; if not, skips `t` loudly, or throws in CI. */
export function redisClusterAvailable(t: Pick<TestContext, 'name' | 'skip'>): boolean {
  return requireComponent(t, existsSync(SERVER) && existsSync(CLI), `${SERVER} and ${CLI}`, 'apt-get install redis-server (it brings redis-tools); .ci/run installs it');
}

async function clusterOk(port: number): Promise<boolean> {
  try {
    const { stdout } = await run(CLI, ['-h', '127.0.0.1', '-p', String(port), 'cluster', 'info'], { timeout: 5000 });
    return stdout.includes('cluster_state:ok');
  } catch {
    return false;
  }
}

async function killChild(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** Whether the server on `port` is a master, or a replica whose link to its master is up (it can take over). */
async function replicating(port: number): Promise<boolean> {
  try {
    const { stdout } = await run(CLI, ['-h', '127.0.0.1', '-p', String(port), 'info', 'replication'], { timeout: 5000 });
    return stdout.includes('role:master') || stdout.includes('master_link_status:up');
  } catch {
    return false;
  }
}

/** Starts a 3-master Redis Cluster; everything is undone by `stop` (also registered on `t`). */
export async function startRedisCluster(t: Pick<TestContext, 'after'>, options: RedisClusterOptions = {}): Promise<RedisCluster> {
  const masters = options.masters ?? 3;
  const replicas = options.replicas ?? 0;
  const dir = await mkdtemp(join(tmpdir(), 'serverwamp-redis-cluster-'));
  const children = new Map<number, ChildProcess>();
  const ports: number[] = [];
  const spawnMaster = (port: number): void => {
    children.set(
      port,
      spawn(
        SERVER,
        ['--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'no', '--save', '', '--appendonly', 'no',
          '--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`), '--dir', dir, ...(options.config ?? [])],
        { stdio: 'ignore' },
      ),
    );
  };
  const stop = async (): Promise<void> => {
    const running = [...children.values()];
    children.clear();
    await Promise.all(running.map(killChild));
    await rm(dir, { recursive: true, force: true });
  };
  const kill = async (port: number): Promise<void> => {
    const child = children.get(port);
    children.delete(port);
    await killChild(child);
  };
  const restart = async (port: number): Promise<void> => {
    if (children.has(port)) return;
    spawnMaster(port);
    const deadline = Date.now() + 15_000;
    while (!(await ping(port))) {
      if (Date.now() > deadline) throw new Error(`the master on ${port} did not start again within 15 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  t.after(stop);
  try {
    for (let i = 0; i < masters * (1 + replicas); i++) {
      // Ports one by one: two free ports asked for at once may be the same.
      const port = await freePort();
      ports.push(port);
      spawnMaster(port);
    }
    const deadline = Date.now() + 15_000;
    for (const port of ports) {
      while (!(await ping(port))) {
        if (Date.now() > deadline) throw new Error('a Redis Cluster master did not start within 15 s');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    await run(CLI, ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', String(replicas), '--cluster-yes'], { timeout: 30_000 });
    for (const port of ports) {
      while (!(await clusterOk(port))) {
        if (Date.now() > deadline + 15_000) throw new Error('the Redis Cluster did not reach cluster_state:ok within 30 s');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    // A replica that never synchronised would not be elected when its master dies.
    for (const port of ports) {
      while (!(await replicating(port))) {
        if (Date.now() > deadline + 30_000) throw new Error('the Redis Cluster replicas did not synchronise within 45 s');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { ports, stop, kill, restart };
}

/** Where a test wants the backplane's keys: a key prefix, and node ids whose inboxes land where asked. */
export interface NodeLayout {
  readonly prefix: string;
  /** The master holding the shared keys (`control`, `nodes`, `sessions`) and every node's interest key. */
  readonly shared: number;
  /** One id per inbox master asked for, in order. */
  readonly ids: readonly string[];
}

/**
 * Chooses a key prefix (`${base}${i}:`) whose shared keys live on one master, and node ids whose
 * interest key is on that master and whose inbox is on the master `inboxesFor(shared)` names for
 * it (`undefined`: that shared master does not suit the test). A node's inbox and interest key
 * differ by the text around its id, and CRC16 is linear: for a given prefix some pairs of masters
 * cannot hold them, so prefixes are tried until one fits.
 */
export async function chooseNodeLayout(
  masterOf: (key: string) => Promise<number | undefined>,
  base: string,
  inboxesFor: (shared: number) => readonly number[] | undefined,
): Promise<NodeLayout> {
  const pick = async (prefix: string, inbox: number, shared: number): Promise<string | undefined> => {
    for (let i = 0; i < 200; i++) {
      const id = randomUUID();
      if ((await masterOf(`${prefix}inbox:{${id}}`)) === inbox && (await masterOf(`${prefix}interest:${id}`)) === shared) return id;
    }
    return undefined;
  };
  for (let i = 0; i < 100; i++) {
    const prefix = `${base}${i}:`;
    const masters = new Set(await Promise.all(['control', 'nodes', 'sessions'].map((name) => masterOf(prefix + name))));
    const shared = [...masters][0];
    const inboxes = masters.size === 1 && shared !== undefined ? inboxesFor(shared) : undefined;
    if (inboxes === undefined) continue;
    const ids: string[] = [];
    for (const inbox of inboxes) {
      const id = await pick(prefix, inbox, shared!);
      if (id === undefined) break;
      ids.push(id);
    }
    if (ids.length === inboxes.length) return { prefix, shared: shared!, ids };
  }
  throw new Error(`no key prefix ${base}0… fits the layout`);
}
