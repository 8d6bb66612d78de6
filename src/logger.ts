/**
 * Logging: anything pino-shaped works (`pino()`, `fastify.log`), and so does
 * anything console-shaped (`console`). Without a logger, serverwamp writes
 * warnings and errors to the console (stderr in Node); `silentLogger` turns
 * that off.
 * @module
 */

/**
 * A log method: `(msg)` or `(bindings, msg)`, like pino.
 *
 * @example
 * ```ts
 * import type { LogFn } from 'serverwamp';
 *
 * // One method of a hand-written logger: serverwamp calls it as (msg) or as (details, msg).
 * const info: LogFn = (detailsOrMsg: object | string, msg?: string) =>
 *   console.log(typeof detailsOrMsg === 'string' ? detailsOrMsg : `${msg ?? ''} ${JSON.stringify(detailsOrMsg)}`);
 * info('listening');
 * info({ session: 42 }, 'session opened');
 * ```
 */
export interface LogFn {
  (msg: string): void;
  (obj: object, msg?: string): void;
}

/**
 * The logger interface serverwamp writes to; pino and fastify loggers fit it as they are.
 *
 * @example
 * ```ts
 * import { Application, type LogFn, type Logger } from 'serverwamp';
 *
 * // A sketch: JSON lines on stdout; each session's child logger adds its bindings.
 * function jsonLogger(bindings: Record<string, unknown> = {}): Logger {
 *   const at = (level: string): LogFn => (details: object | string, msg?: string) =>
 *     console.log(JSON.stringify({ level, ...bindings, ...(typeof details === 'string' ? { msg: details } : { ...details, msg }) }));
 *   return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (more) => jsonLogger({ ...bindings, ...more }) };
 * }
 * const app = new Application({ logger: jsonLogger() });
 * ```
 */
export interface Logger {
  /** Logs a debug record. */
  debug: LogFn;
  /** Logs an info record. */
  info: LogFn;
  /** Logs a warning. */
  warn: LogFn;
  /** Logs an error. */
  error: LogFn;
  /** A logger whose records all carry `bindings` (a session's id and peer address). */
  child(bindings: Record<string, unknown>): Logger;
}

/**
 * What `new Application({ logger })` takes: a {@link Logger}, or anything
 * with its four log methods and no `child`, like `console`.
 *
 * @example
 * ```ts
 * import { Application } from 'serverwamp';
 * import pino from 'pino';
 *
 * const app = new Application({ logger: pino() });  // has child(): used as it is
 * const dev = new Application({ logger: console }); // no child(): serverwamp adds the bindings
 * ```
 */
export interface LoggerLike {
  /** Logs a debug record. */
  debug: LogFn;
  /** Logs an info record. */
  info: LogFn;
  /** Logs a warning. */
  warn: LogFn;
  /** Logs an error. */
  error: LogFn;
  /** A logger whose records all carry `bindings`; without it, serverwamp adds the bindings itself. */
  child?(bindings: Record<string, unknown>): LoggerLike;
}

/**
 * What serverwamp needs of a console: `console` itself, or anything with these four methods.
 *
 * @example
 * ```ts
 * import { Application, consoleLogger, type ConsoleLike } from 'serverwamp';
 *
 * // In a test: keep what serverwamp logs, to assert on it.
 * const lines: unknown[][] = [];
 * const capture: ConsoleLike = {
 *   debug: (...data) => lines.push(data),
 *   info: (...data) => lines.push(data),
 *   warn: (...data) => lines.push(data),
 *   error: (...data) => lines.push(data),
 * };
 * const app = new Application({ logger: consoleLogger({ console: capture, level: 'debug' }) });
 * ```
 */
export interface ConsoleLike {
  /** Writes a debug record, as `console.debug`. */
  debug(...data: unknown[]): void;
  /** Writes an info record, as `console.info`. */
  info(...data: unknown[]): void;
  /** Writes a warning, as `console.warn`. */
  warn(...data: unknown[]): void;
  /** Writes an error, as `console.error`. */
  error(...data: unknown[]): void;
}

/**
 * The least severe level a {@link consoleLogger} writes.
 *
 * @example
 * ```ts
 * import { Application, consoleLogger, type LogLevel } from 'serverwamp';
 *
 * const level = (process.env['LOG_LEVEL'] ?? 'info') as LogLevel; // consoleLogger throws a TypeError for another word
 * const app = new Application({ logger: consoleLogger({ level }) });
 * ```
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const noop = (): void => {};

/**
 * A logger that drops everything.
 *
 * @example
 * ```ts
 * const app = new Application({ logger: silentLogger }); // not even warnings and errors
 * ```
 */
export const silentLogger: Logger = {
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => silentLogger,
};

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** One line's details: the bindings of the logger and its parents, then the call's object; `err` apart. */
function write(
  target: ConsoleLike,
  level: LogLevel,
  bindings: Record<string, unknown> | undefined,
  objOrMsg: object | string,
  msg: string | undefined,
): void {
  const text = typeof objOrMsg === 'string' ? objOrMsg : (msg ?? '');
  const details: Record<string, unknown> = { ...bindings, ...(typeof objOrMsg === 'string' ? undefined : objOrMsg) };
  const err = details['err'];
  delete details['err'];
  const args: unknown[] = [`serverwamp: ${text}`];
  if (Object.keys(details).length > 0) args.push(details);
  // The error itself, so that the console prints its stack: this is the server's own log, never a client's.
  if (err !== undefined) args.push(err);
  target[level](...args);
}

/**
 * A console logger with bindings. A class, so that each child (one per
 * connection and session that logs) is one small object: its methods live on
 * the prototype, not in closures of its own.
 */
class ConsoleBoundLogger implements Logger {
  readonly #target: ConsoleLike;
  readonly #minimum: number;
  readonly #bindings: Record<string, unknown> | undefined;

  constructor(target: ConsoleLike, minimum: number, bindings: Record<string, unknown> | undefined) {
    this.#target = target;
    this.#minimum = minimum;
    this.#bindings = bindings;
  }

  debug(objOrMsg: object | string, msg?: string): void {
    if (this.#minimum <= 0) write(this.#target, 'debug', this.#bindings, objOrMsg, msg);
  }

  info(objOrMsg: object | string, msg?: string): void {
    if (this.#minimum <= 1) write(this.#target, 'info', this.#bindings, objOrMsg, msg);
  }

  warn(objOrMsg: object | string, msg?: string): void {
    if (this.#minimum <= 2) write(this.#target, 'warn', this.#bindings, objOrMsg, msg);
  }

  error(objOrMsg: object | string, msg?: string): void {
    write(this.#target, 'error', this.#bindings, objOrMsg, msg);
  }

  child(bindings: Record<string, unknown>): Logger {
    return new ConsoleBoundLogger(this.#target, this.#minimum, { ...this.#bindings, ...bindings });
  }
}

/**
 * A logger that writes through a console, from `level` up (default
 * `'info'`), each line prefixed `serverwamp:` with its details as an object
 * and an error's stack when there is one.
 *
 * @example
 * ```ts
 * const app = new Application({ logger: consoleLogger({ level: 'debug' }) });
 * ```
 */
export function consoleLogger(options: { level?: LogLevel; console?: ConsoleLike } = {}): Logger {
  const level = options.level ?? 'info';
  if (!LEVELS.includes(level)) throw new TypeError(`level must be one of ${LEVELS.join(', ')}`);
  return new ConsoleBoundLogger(options.console ?? globalThis.console, LEVELS.indexOf(level), undefined);
}

/**
 * The logger of an application that was given none: warnings and errors
 * (a procedure that threw, a handler that failed, a protocol surprise) go to
 * the console, so that nothing fails silently.
 *
 * @example
 * ```ts
 * import { Application, consoleLogger, defaultLogger } from 'serverwamp';
 *
 * // Warnings and errors only (what an application given no logger uses), unless asked for more:
 * const logger = process.env['DEBUG'] === 'serverwamp' ? consoleLogger({ level: 'debug' }) : defaultLogger;
 * const app = new Application({ logger });
 * ```
 */
export const defaultLogger: Logger = consoleLogger({ level: 'warn' });

/** Whether `value` has the four log methods. */
export function isLoggerLike(value: unknown): value is LoggerLike {
  const candidate = value as Partial<Record<LogLevel, unknown>> | null;
  return typeof candidate === 'object' && candidate !== null && LEVELS.every((level) => typeof candidate[level] === 'function');
}

/**
 * The logger to use for what the application was given: a pino-shaped one
 * as it is; a console-shaped one (no `child`) through {@link consoleLogger},
 * from `info` up.
 */
export function toLogger(value: LoggerLike): Logger {
  if (typeof value.child === 'function') return value as Logger;
  return consoleLogger({ console: value as ConsoleLike });
}
