/**
 * Property-based fuzzing with fast-check: for every serializer (and over
 * RawSocket), thousands of generated, mutated and hand-crafted hostile
 * messages, each script on a connection of its own, against a server in a
 * child process. Properties: the process stays up; each session ends or
 * answers within a deadline, and refuses (ABORT, close, or ERROR for the
 * request) what the spec or issue 9 says it must; refusals are small and
 * carry no stack trace; a bystander autobahn session keeps correct answers
 * with a bounded worst latency; prototypes are untouched; the heap returns
 * to its baseline.
 *
 * Replay: FUZZ_SEED=<seed> [FUZZ_PATH=<path>] (both printed). FUZZ_MESSAGES
 * sets the messages per serializer (default 10000); FUZZ_SURVEY=1 collects
 * every problem instead of stopping at the first; FUZZ_SHRINK=1 shrinks;
 * FUZZ_EXCLUDE=<regex> leaves out the hostile shapes whose label matches
 * (to survey past one that freezes the server).
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import fc from 'fast-check';
import type { Family } from './helpers/fuzz-codec.js';
import { benignScripts, runScript, scripts, type Script, type Target, type Verdict } from './helpers/fuzz-session.js';
import { Bystander, FuzzServer, type ServerHealth } from './helpers/fuzz-target.js';

const SEED = process.env['FUZZ_SEED'] !== undefined ? Number(process.env['FUZZ_SEED']) : (Date.now() ^ (Math.random() * 2 ** 31)) | 0;
const PATH = process.env['FUZZ_PATH'];
const MESSAGES = Number(process.env['FUZZ_MESSAGES'] ?? 10_000);
const SURVEY = process.env['FUZZ_SURVEY'] === '1';
const SHRINK = process.env['FUZZ_SHRINK'] === '1';
/** Scripts run at once, each on its own connection. */
const CONCURRENCY = 16;
/** A session must end or answer its probe within this, even on a loaded 2-core machine. */
const SCRIPT_DEADLINE_MS = 5000;
/** Each serializer's fuzzing stops (and fails) after this, so a freezing input cannot hang the suite. */
const TIME_LIMIT_MS = 90_000;
const MAX_BYSTANDER_LATENCY_MS = 1000;
/** A bystander call pending this long means the server is frozen: stop fuzzing it at once. */
const STALL_LIMIT_MS = 5000;
/** Heap growth tolerated after the attack, once garbage is collected. */
const HEAP_TOLERANCE = 24 * 1024 * 1024;

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** Rejects once the server process died or the bystander's call has waited far too long: a frozen server fails fast. */
function watchdog(server: FuzzServer, bystander: Bystander): { failed: Promise<never>; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  const failed = new Promise<never>((_resolve, reject) => {
    timer = setInterval(() => {
      if (server.death !== undefined) reject(new Error(server.death));
      else if (bystander.stalledFor > STALL_LIMIT_MS) reject(new Error(`the server froze: the bystander's call has waited ${bystander.stalledFor.toFixed(0)} ms`));
    }, 100);
  });
  failed.catch(() => {});
  return { failed, stop: () => clearInterval(timer) };
}

async function health(bystander: Bystander): Promise<ServerHealth> {
  const timeout = new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error('the server did not report its health within 10 s')), 10_000).unref());
  // A dict result reaches autobahn as the RESULT's kwargs (an autobahn.Result), or as its only argument.
  const result = (await Promise.race([bystander.call('fuzz.health'), timeout])) as { kwargs?: ServerHealth; args?: ServerHealth[] } & Partial<ServerHealth>;
  if (result.objectPrototype !== undefined) return result as ServerHealth;
  return result.kwargs !== undefined && Object.keys(result.kwargs).length > 0 ? result.kwargs : result.args![0]!;
}

/** Groups problems by their text without numbers, for the survey. */
function category(problem: string): string {
  return problem.replace(/\d+/g, 'N').slice(0, 160);
}

async function fuzz(t: TestContext, name: string, targetOf: (server: FuzzServer) => Target, families: readonly Family[]): Promise<void> {
  const server = await FuzzServer.start();
  let bystander: Bystander | undefined = undefined;
  t.after(async () => {
    await bystander?.stop();
    await server.stop();
  });
  bystander = await Bystander.join(server.url);
  const protoBefore = Object.getOwnPropertyNames(Object.prototype).sort();
  const seed = SEED + name.length; // one seed per target, all derived from the printed one
  t.diagnostic(`${name}: seed ${seed} (replay with FUZZ_SEED=${SEED})`);
  console.log(`fuzz ${name}: seed ${seed} (replay with FUZZ_SEED=${SEED}${PATH ? ` FUZZ_PATH=${PATH}` : ''})`);

  // Warm up (code paths compiled, pools allocated) before the heap baseline.
  const warmTarget = targetOf(server);
  const family0 = families[0]!;
  for (const script of fc.sample(benignScripts(family0), { seed, numRuns: 32 })) await runScript({ ...warmTarget, family: family0 }, script, SCRIPT_DEADLINE_MS);
  const baseline = await health(bystander);

  const tally = { scripts: 0, messages: 0, abort: 0, closed: 0, probe: 0, goodbye: 0, timeout: 0 };
  const survey = new Map<string, { count: number; example: string }>();
  const record = (verdicts: Verdict[]): string[] => {
    const problems: string[] = [];
    for (const verdict of verdicts) {
      tally.scripts++;
      tally.messages += verdict.messages;
      tally[verdict.ended]++;
      problems.push(...verdict.problems);
    }
    return problems;
  };
  const perRun = CONCURRENCY * families.length;
  const numRuns = Math.ceil(MESSAGES / (perRun * 2.5));
  const started = performance.now();
  const property = fc.asyncProperty(fc.tuple(...families.map((family) => fc.array(scripts(family), { minLength: CONCURRENCY, maxLength: CONCURRENCY }))), async (perFamily) => {
    if (server.death !== undefined) throw new Error(server.death);
    const target = targetOf(server);
    const dog = watchdog(server, bystander);
    const pending = new Set<string>();
    const run = async (family: Family, script: Script): Promise<Verdict> => {
      const label = `${script.hello?.refuse ? `${script.hello.label}, ` : ''}${script.last.label} (${script.framing})`;
      pending.add(label);
      const verdict = await runScript({ ...target, family }, script, SCRIPT_DEADLINE_MS);
      pending.delete(label);
      return verdict;
    };
    const verdicts = await Promise.race([
      Promise.all(perFamily.flatMap((batch, i) => batch.map((script) => run(families[i]!, script)))),
      dog.failed.catch((error: unknown) => {
        throw new Error(`${String(error)}; the sessions still running: ${[...pending].join('; ')}`);
      }),
    ]).finally(dog.stop);
    const problems = record(verdicts);
    if (problems.length === 0) return;
    if (!SURVEY) throw new Error(problems.slice(0, 5).join('\n'));
    for (const problem of problems) {
      const entry = survey.get(category(problem)) ?? { count: 0, example: problem };
      entry.count++;
      survey.set(category(problem), entry);
    }
  });
  await fc.assert(property, {
    seed,
    ...(PATH !== undefined ? { path: PATH } : {}),
    numRuns,
    endOnFailure: !SHRINK,
    interruptAfterTimeLimit: TIME_LIMIT_MS,
    markInterruptAsFailure: true,
    reporter: (details) => {
      if (!details.failed) return;
      const why = details.interrupted ? `the time limit of ${TIME_LIMIT_MS} ms was reached` : String(details.errorInstance);
      throw new Error(`fuzz ${name} failed (seed ${details.seed}, path ${details.counterexamplePath}; replay with FUZZ_SEED=${SEED} FUZZ_PATH=${details.counterexamplePath}):\n${why.slice(0, 3000)}`);
    },
  });
  const elapsed = performance.now() - started;
  const after = await health(bystander);
  const settled = await health(bystander); // a second collection, after the first released what the sessions held
  const worst = bystander.worst;
  t.diagnostic(
    `${name}: ${tally.messages} messages in ${tally.scripts} sessions in ${(elapsed / 1000).toFixed(1)} s ` +
      `(ended: ${tally.abort} ABORT, ${tally.closed} closed, ${tally.goodbye} GOODBYE, ${tally.probe} answered, ${tally.timeout} timed out); ` +
      `bystander ${bystander.latencies.length} calls, p50 ${bystander.percentile(50).toFixed(1)} ms, p99 ${bystander.percentile(99).toFixed(1)} ms, worst ${worst.toFixed(1)} ms; ` +
      `heap ${mib(baseline.heapUsed)} -> ${mib(settled.heapUsed)}, rss ${mib(baseline.rss)} -> ${mib(after.rss)}`,
  );
  if (SURVEY && survey.size > 0) {
    const lines = [...survey.entries()].sort((a, b) => b[1].count - a[1].count).map(([, entry]) => `${entry.count} × ${entry.example.slice(0, 300)}`);
    console.log(`fuzz ${name} survey:\n${lines.join('\n')}`);
  }
  assert.equal(server.death, undefined);
  assert.deepEqual(survey.size, 0, 'the survey found problems (printed above)');
  assert.ok(tally.messages >= MESSAGES, `${tally.messages} messages sent, fewer than ${MESSAGES}`);
  assert.deepEqual(bystander.failures, [], 'the bystander got every answer right');
  assert.ok(worst < MAX_BYSTANDER_LATENCY_MS, `the bystander waited ${worst.toFixed(0)} ms for an answer`);
  assert.deepEqual(after.objectPrototype, baseline.objectPrototype, 'Object.prototype of the server is untouched');
  assert.equal(after.polluted, false, 'a plain object of the server has no inherited polluted key');
  assert.equal(after.arrayPrototype, baseline.arrayPrototype);
  assert.equal(after.functionPrototype, baseline.functionPrototype);
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), protoBefore);
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  assert.ok(baseline.gc, 'the server runs with --expose-gc');
  assert.ok(settled.heapUsed - baseline.heapUsed < HEAP_TOLERANCE, `the heap grew from ${mib(baseline.heapUsed)} to ${mib(settled.heapUsed)}`);
}

describe('property-based fuzzing', { concurrency: 1 }, () => {
  const families: readonly Family[] = ['json', 'msgpack', 'cbor'];
  for (const batched of [false, true]) {
    for (const family of families) {
      const name = `wamp.2.${family}${batched ? '.batched' : ''}`;
      it(`${name} over WebSocket`, { timeout: TIME_LIMIT_MS + 60_000 }, (t) =>
        fuzz(t, name, (server) => ({ family, batched, url: server.url }), [family]),
      );
    }
  }
  it('json, msgpack and cbor over RawSocket', { timeout: TIME_LIMIT_MS + 60_000 }, (t) =>
    fuzz(t, 'rawsocket', (server) => ({ family: 'json', batched: false, rawPort: server.rawPort }), families),
  );
});
