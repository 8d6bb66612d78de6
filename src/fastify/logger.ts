/**
 * Fastify's logger for the application. Fastify's is pino (or pino-shaped),
 * whose `debug`, `info`, `warn` and `error` are serverwamp's four levels under
 * the same names, so the adapter is a child logger named `serverwamp`: each
 * line keeps its level and shows where it came from.
 * @module
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Logger } from '../logger.js';

/**
 * The logger to lend the application, or undefined when Fastify does not
 * log (`logger: false`, its default, gives a logger without a `level` that
 * drops everything): the application then keeps its own default, warnings
 * and errors on the console, so a failing procedure is never silent.
 */
export function fastifyLogger(log: FastifyBaseLogger): Logger | undefined {
  if (typeof (log as Partial<FastifyBaseLogger>).level !== 'string' || typeof log.child !== 'function') return undefined;
  return log.child({ name: 'serverwamp' });
}
