/**
 * An application for shutdown tests with real clients: `drain.slow` and
 * `drain.closing` run until the test releases them, `drain.stuck` until its
 * signal aborts (the shutdown deadline), `drain.quick` answers at once.
 */
import { Application, RPCRouteSet, silentLogger } from '../../src/index.js';

export interface DrainApp {
  readonly app: Application;
  /** Calls that have started, by procedure. */
  readonly entered: string[];
  /** Signals aborted, with their reason. */
  readonly aborted: string[];
  /** Lets every `drain.slow` and `drain.closing` call in flight return. */
  release(): void;
  /** Resolves once `count` calls have started; rejects after `ms`. */
  whenEntered(count: number, ms?: number): Promise<void>;
}

export function drainApp(): DrainApp {
  const app = new Application({ logger: silentLogger });
  const entered: string[] = [];
  const aborted: string[] = [];
  let gates: Array<() => void> = [];
  const routes = new RPCRouteSet();
  const gated = (name: string, value: string) => () => {
    entered.push(name);
    return new Promise<string>((resolve) => gates.push(() => resolve(value)));
  };
  routes.route('drain.slow', gated('drain.slow', 'slow done'));
  routes.route('drain.closing', gated('drain.closing', 'closing'));
  routes.route('drain.stuck', (request) => {
    entered.push('drain.stuck');
    return new Promise<never>((_resolve, reject) => {
      request.signal.addEventListener('abort', () => {
        aborted.push(String((request.signal.reason as Error).message));
        reject(request.signal.reason as Error);
      });
    });
  });
  routes.route('drain.quick', () => 'quick');
  app.addRPCRoutes(routes);
  return {
    app,
    entered,
    aborted,
    release() {
      const open = gates;
      gates = [];
      for (const gate of open) gate();
    },
    async whenEntered(count, ms = 20_000) {
      const deadline = Date.now() + ms;
      while (entered.length < count) {
        if (Date.now() > deadline) throw new Error(`only ${entered.length} of ${count} calls started: ${entered.join(', ')}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
  };
}

/** Rejects if `promise` has not settled within `ms`: no test waits on a client for ever. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}
