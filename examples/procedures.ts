/**
 * The Python serverwamp docs' procedure examples in TypeScript: argument binding by order and
 * name, type marshalling with Standard Schema (zod here), values serverwamp
 * supplies (the session, the request, the application context), and
 * progressive results.
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { RPCErrorResult, RPCProgressReport, RPCResult, RPCRouteSet } from '../src/index.js';

/** Application-wide values the demo's procedures receive as `request.context`. */
export interface DemoContext {
  /** Where `store_timestamp` keeps what it receives. */
  readonly timestamps: Decimal[];
  /** The only directory `local_file` reads from. */
  readonly filesDirectory: string;
  /** Seconds between countdown steps (1 in the demo, less in tests). */
  readonly countdownInterval: number;
}

/**
 * The Python serverwamp docs' procedures, as one chained set: each `.route` returns the set typed with one more
 * route, which is how `DemoAPI` (demo-api.ts) learns their parameters and results.
 */
export const procedures = new RPCRouteSet<DemoContext>()
  // slowly_count(count_to: int, interval: float, taunt: str = 'ah ah ah!')
  // '3' becomes 3 and '0.5' becomes 0.5; progress reports go to callers that asked for them.
  .route(
    'slowly_count',
    {
      params: {
        count_to: z.coerce.number().int().min(0).max(100),
        interval: z.coerce.number().min(0).max(10),
        taunt: z.string().default('ah ah ah!'),
      },
    },
    async function* ({ count_to, interval, taunt }, { signal }) {
      for (let i = 0; i < count_to; i++) {
        yield new RPCProgressReport({ args: [`${i}, ${taunt}`] });
        await sleep(interval * 1000, undefined, { signal });
      }
      return count_to;
    },
  )

  // store_timestamp(timestamp: Decimal): the string '1605109233.123456789' keeps every digit.
  .route(
    'store_timestamp',
    {
      params: {
        timestamp: z
          .union([z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal number'), z.number()])
          .transform((value) => new Decimal(value)),
      },
    },
    ({ timestamp }, { context }) => {
      context.timestamps.push(timestamp);
      return { stored: timestamp.toString(), count: context.timestamps.length };
    },
  )

  // local_file(filename, session): only for peers on this machine, only from the demo's files directory.
  .route('local_file', { params: ['filename'] }, async ({ filename }, { session, context, signal }) => {
    const peer = session.transportInfo.peerAddress;
    if (!['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(peer)) {
      return new RPCErrorResult({ args: ['Not authorized'] });
    }
    if (typeof filename !== 'string' || basename(filename) !== filename) {
      return new RPCErrorResult('wamp.error.invalid_argument', { args: ['filename must be a plain file name'] });
    }
    try {
      return await readFile(join(context.filesDirectory, filename), { encoding: 'utf8', signal });
    } catch {
      return new RPCErrorResult('demo.error.no_such_file', { args: [`no file named ${filename}`] });
    }
  })

  // countdown_to_liftoff(from = 3): a progress report a step, then the final result. A CANCEL
  // aborts `signal`, which ends the wait at once: the countdown stops where it was.
  .route(
    'countdown_to_liftoff',
    { params: { from: z.number().int().min(1).max(60).default(3) } },
    async function* ({ from }, { context, signal }) {
      for (let timeLeft = from; timeLeft > 0; timeLeft--) {
        yield new RPCProgressReport({ kwargs: { timeLeft } });
        await sleep(context.countdownInterval * 1000, undefined, { signal });
      }
      // Returned, where the Python original yields it (the same RESULT): a generator that may end without a
      // result answers its last progress report, so only a return types the result as this alone.
      return new RPCResult({ kwargs: { liftoffStatus: 'SUCCESS' } });
    },
  )

  // Caller identification: server-side procedures always know who is calling.
  .route('whoami', ({ caller }) => ({ ...caller }));
