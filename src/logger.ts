/**
 * Logging: anything pino-shaped works (`pino()`, `fastify.log`, a console
 * wrapper). serverwamp is silent unless given a logger.
 * @module
 */

/** A log method: `(msg)` or `(bindings, msg)`, like pino. */
export interface LogFn {
  (msg: string): void;
  (obj: object, msg?: string): void;
}

/** The logger interface serverwamp writes to; pino and fastify loggers fit it as they are. */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  child(bindings: Record<string, unknown>): Logger;
}

const noop = (): void => {};

/** A logger that drops everything; the default. */
export const silentLogger: Logger = {
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => silentLogger,
};
