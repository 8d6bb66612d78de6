/**
 * Benchmark settings, from flags (`--rounds=3`) or the environment
 * (`BENCH_ROUNDS=3`); flags win. `--quick` shrinks everything for a smoke run.
 * @module
 */
import type { TargetName } from './targets/target.js';
import type { Codec } from './wamp-client.js';

export type Part = 'rpc' | 'footprint' | 'fanout' | 'cluster' | 'runtimes';

export interface BenchConfig {
  readonly parts: readonly Part[];
  readonly targets: readonly TargetName[];
  readonly codecs: readonly Codec[];
  /** Interleaved rounds; figures are medians over them. */
  readonly rounds: number;
  readonly connections: number;
  readonly inflight: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  /** Idle sessions held for the footprint and fan-out benchmarks. */
  readonly sessions: number;
  /** Client processes sharing those sessions. */
  readonly clientProcesses: number;
  /** Publishes per target per round in the fan-out benchmark. */
  readonly fanoutTrials: number;
  /** Latency probes per system in the cluster part, over all rounds. */
  readonly clusterProbes: number;
  /** Time between two latency probes, ms: a steady rate well below saturation. */
  readonly probeIntervalMs: number;
  /** The Redis client both systems use in the cluster part. */
  readonly redisClient: 'redis' | 'ioredis';
  /** Run serverwamp from src/ through tsx instead of compiling it first. */
  readonly fromSource: boolean;
}

const HELP = `npm run bench [-- options]

  --quick              a short smoke run (1 round, 1.5 s runs, 2000 sessions)
  --rounds=N           interleaved rounds (default 3)            BENCH_ROUNDS
  --duration=MS        measured time per RPC run (default 4000)   BENCH_DURATION_MS
  --warmup=MS          warm-up before each RPC run (default 500)  BENCH_WARMUP_MS
  --connections=N      RPC connections (default 4)                BENCH_CONNECTIONS
  --inflight=M         calls in flight per connection (default 32) BENCH_INFLIGHT
  --sessions=N         idle sessions for footprint and fan-out, and the cluster
                       fan-out's subscribers (default 10000)      BENCH_SESSIONS
  --trials=N           fan-out publishes per target per round (default 5) BENCH_FANOUT_TRIALS
  --only=LIST          parts to run: rpc,footprint,fanout,cluster,runtimes (default all) BENCH_ONLY
  --parts=LIST         the same as --only                         BENCH_PARTS
  --probes=N           cluster latency probes per system (default 1200) BENCH_CLUSTER_PROBES
  --probe-interval=MS  time between two latency probes (default 5)  BENCH_PROBE_INTERVAL_MS
  --redis-client=NAME  redis or ioredis, for both systems' nodes (default ioredis) BENCH_REDIS_CLIENT
  --targets=LIST       serverwamp,floor,socketio,router (default all) BENCH_TARGETS
  --codecs=LIST        json,msgpack (default both)                BENCH_CODECS
  --from-source        run serverwamp from src/ via tsx (default: compiled with tsc first)
  BENCH_PROFILE=DIR    write CPU profiles of the server processes into DIR
`;

function option(flags: Map<string, string>, name: string, env: string): string | undefined {
  return flags.get(name) ?? process.env[env];
}

function integer(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

function list<T extends string>(value: string | undefined, allowed: readonly T[], name: string): readonly T[] {
  if (value === undefined || value === '') return allowed;
  const items = value.split(',').map((s) => s.trim()) as T[];
  for (const item of items) if (!allowed.includes(item)) throw new Error(`${name}: unknown ${JSON.stringify(item)}; use ${allowed.join(', ')}`);
  return items;
}

/** The flags that take a value, which may also follow as the next argument. */
const VALUE_FLAGS = new Set(['rounds', 'duration', 'warmup', 'connections', 'inflight', 'sessions', 'trials', 'only', 'parts', 'targets', 'codecs', 'probes', 'probe-interval', 'redis-client']);

/** Parses `argv` (without node and the script) and the environment. */
export function parseConfig(argv: readonly string[]): BenchConfig {
  const flags = new Map<string, string>();
  for (const [i, arg] of argv.entries()) {
    if (arg === '--help' || arg === '-h') {
      console.log(HELP);
      process.exit(0);
    }
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (match === null) {
      // `--parts cluster`: a value after a flag that takes one.
      const previous = argv[i - 1]?.replace(/^--/, '');
      if (previous !== undefined && VALUE_FLAGS.has(previous) && flags.get(previous) === 'true') {
        flags.set(previous, arg);
        continue;
      }
      throw new Error(`unknown argument ${JSON.stringify(arg)}\n\n${HELP}`);
    }
    flags.set(match[1]!, match[2] ?? 'true');
  }
  const quick = flags.has('quick') || process.env['BENCH_QUICK'] === '1';
  return {
    parts: list(option(flags, 'only', 'BENCH_ONLY') ?? option(flags, 'parts', 'BENCH_PARTS'), ['rpc', 'footprint', 'fanout', 'cluster', 'runtimes'] as const, '--only'),
    targets: list(option(flags, 'targets', 'BENCH_TARGETS'), ['serverwamp', 'floor', 'socketio', 'router'] as const, '--targets'),
    codecs: list(option(flags, 'codecs', 'BENCH_CODECS'), ['json', 'msgpack'] as const, '--codecs'),
    rounds: integer(option(flags, 'rounds', 'BENCH_ROUNDS'), quick ? 1 : 3, '--rounds'),
    connections: integer(option(flags, 'connections', 'BENCH_CONNECTIONS'), 4, '--connections'),
    inflight: integer(option(flags, 'inflight', 'BENCH_INFLIGHT'), 32, '--inflight'),
    warmupMs: integer(option(flags, 'warmup', 'BENCH_WARMUP_MS'), 500, '--warmup'),
    durationMs: integer(option(flags, 'duration', 'BENCH_DURATION_MS'), quick ? 1500 : 4000, '--duration'),
    sessions: integer(option(flags, 'sessions', 'BENCH_SESSIONS'), quick ? 2000 : 10_000, '--sessions'),
    clientProcesses: 2,
    fanoutTrials: integer(option(flags, 'trials', 'BENCH_FANOUT_TRIALS'), quick ? 3 : 5, '--trials'),
    clusterProbes: integer(option(flags, 'probes', 'BENCH_CLUSTER_PROBES'), quick ? 300 : 1200, '--probes'),
    probeIntervalMs: integer(option(flags, 'probe-interval', 'BENCH_PROBE_INTERVAL_MS'), 5, '--probe-interval'),
    redisClient: list(option(flags, 'redis-client', 'BENCH_REDIS_CLIENT') ?? 'ioredis', ['redis', 'ioredis'] as const, '--redis-client')[0]!,
    fromSource: flags.has('from-source'),
  };
}
