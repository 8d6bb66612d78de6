/**
 * The logger of an application that was given none. It writes to
 * `defaultLogger` until the server hosting the application lends its own
 * (`serverwamp/fastify` lends `fastify.log`), and from then on to that one.
 * The application's parts keep the logger (and children) they took when they
 * were made, so the switch is a relay rather than a replacement.
 * @module
 */
import type { Logger } from './logger.js';

/** Where the relays of one application write; shared by the root and every child. */
interface Destination {
  current: Logger;
  lent: boolean;
}

/**
 * A logger that writes to its destination's current logger, under its own
 * bindings. The child of the current logger is made once and made again only
 * when the destination changes, so a relayed line costs one comparison. A
 * line keeps the caller's shape, `(msg)` or `(obj, msg)`: pino reads them
 * differently.
 */
class Relay implements Logger {
  readonly #destination: Destination;
  readonly #bindings: Record<string, unknown> | undefined;
  #madeFor: Logger | undefined;
  #made: Logger | undefined;

  constructor(destination: Destination, bindings: Record<string, unknown> | undefined) {
    this.#destination = destination;
    this.#bindings = bindings;
  }

  #target(): Logger {
    const current = this.#destination.current;
    if (this.#madeFor !== current) {
      this.#madeFor = current;
      this.#made = this.#bindings === undefined ? current : current.child(this.#bindings);
    }
    return this.#made!;
  }

  // Methods on the prototype, not arrow properties: each child (one per connection that logs) stays one small object.
  debug(objOrMsg: object | string, msg?: string): void {
    const target = this.#target();
    if (typeof objOrMsg === 'string') target.debug(objOrMsg);
    else target.debug(objOrMsg, msg);
  }

  info(objOrMsg: object | string, msg?: string): void {
    const target = this.#target();
    if (typeof objOrMsg === 'string') target.info(objOrMsg);
    else target.info(objOrMsg, msg);
  }

  warn(objOrMsg: object | string, msg?: string): void {
    const target = this.#target();
    if (typeof objOrMsg === 'string') target.warn(objOrMsg);
    else target.warn(objOrMsg, msg);
  }

  error(objOrMsg: object | string, msg?: string): void {
    const target = this.#target();
    if (typeof objOrMsg === 'string') target.error(objOrMsg);
    else target.error(objOrMsg, msg);
  }

  child(bindings: Record<string, unknown>): Logger {
    return new Relay(this.#destination, { ...this.#bindings, ...bindings });
  }

  /** Lends `logger` to every relay of this destination, once: the first host's logger stays. */
  lend(logger: Logger): boolean {
    if (this.#destination.lent) return false;
    this.#destination.current = logger;
    this.#destination.lent = true;
    return true;
  }
}

/** A logger that writes to `fallback` until a host lends one with `lend`. */
export type HostLogger = Logger & { lend(logger: Logger): boolean };

export function hostLogger(fallback: Logger): HostLogger {
  return new Relay({ current: fallback, lent: false }, undefined);
}
