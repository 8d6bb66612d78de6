/**
 * The core's one door to `diagnostics_channel`. The core is runtime-neutral,
 * so it imports no `node:*` module; instead this file, alone in src/ outside
 * src/node (eslint.config.js allows it, and only it), asks the runtime for
 * the module with `process.getBuiltinModule`, which Node ≥ 20.16, Bun, Deno
 * and workerd (nodejs_compat) provide. Where the runtime has none, every
 * channel is `undefined` and tracing costs one comparison per operation.
 * Channels are global by name: an application subscribing through its own
 * `import diagnostics_channel from 'node:diagnostics_channel'` sees these.
 * @module
 */

/** One channel, as far as serverwamp uses it (Node's `Channel` fits). */
interface DiagnosticsChannel {
  readonly hasSubscribers: boolean;
  publish(message: unknown): void;
  subscribe(onMessage: (message: unknown, name: string | symbol) => void): void;
  unsubscribe(onMessage: (message: unknown, name: string | symbol) => void): unknown;
  /** Publishes `context`, then runs `fn` inside every store bound to the channel. */
  runStores?<T>(context: object, fn: () => T): T;
  /** Runs the channel's subscribers' code inside `store.run(transform(context), …)`. */
  bindStore?(store: ContextStore, transform: (context: never) => unknown): void;
  unbindStore?(store: ContextStore): boolean;
}

/** What `bindStore` needs of a store: Node calls only its `run`. */
export interface ContextStore {
  run<T>(value: unknown, fn: () => T): T;
}

/** A tracing channel: its five channels (Node's `TracingChannel` fits). */
export interface TracingChannelPort {
  readonly start: DiagnosticsChannel;
  readonly end: DiagnosticsChannel;
  readonly asyncStart: DiagnosticsChannel;
  readonly asyncEnd: DiagnosticsChannel;
  readonly error: DiagnosticsChannel;
}

interface DiagnosticsModule {
  tracingChannel(name: string): TracingChannelPort;
}

type ModuleLoader = (id: string) => unknown;

function probe(): DiagnosticsModule | undefined {
  try {
    const host = (globalThis as { process?: { getBuiltinModule?: ModuleLoader } }).process;
    const load = host?.getBuiltinModule;
    if (typeof load !== 'function') return undefined;
    const loaded = load.call(host, 'node:diagnostics_channel') as Partial<DiagnosticsModule> | undefined;
    return typeof loaded?.tracingChannel === 'function' ? (loaded as DiagnosticsModule) : undefined;
  } catch {
    // A runtime that has the function but refuses the module: no tracing, never a failure.
    return undefined;
  }
}

const diagnostics = probe();

/** The tracing channel `name` (`tracing:name:start` …), or `undefined` on a runtime without diagnostics_channel. */
export function tracingChannel(name: string): TracingChannelPort | undefined {
  return diagnostics?.tracingChannel(name);
}

/**
 * Whether anyone listens on any of the channel's five events. Read per
 * operation, before any context object is built: with no subscriber,
 * tracing allocates nothing.
 */
export function isTraced(channel: TracingChannelPort | undefined): channel is TracingChannelPort {
  return (
    channel !== undefined &&
    (channel.start.hasSubscribers ||
      channel.end.hasSubscribers ||
      channel.asyncStart.hasSubscribers ||
      channel.asyncEnd.hasSubscribers ||
      channel.error.hasSubscribers)
  );
}

/** Publishes `start` and runs `fn` in the stores bound to it (a runtime without `runStores` only publishes). */
export function runInStart<T>(channel: TracingChannelPort, context: object, fn: () => T): T {
  const start = channel.start;
  if (typeof start.runStores === 'function') return start.runStores(context, fn);
  start.publish(context);
  return fn();
}
