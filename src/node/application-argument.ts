/**
 * The first argument of every `serverwamp/node` function is the application.
 * Code migrated from the former methods (`app.listen(options)`) easily passes
 * the options there instead; it must fail with a message saying so, not a
 * TypeError from deep inside the adapter.
 * @module
 */
import type { Application } from '../application.js';
import { ServerwampError } from '../errors.js';

/** Throws `ERR_INVALID_OPTION` unless `app` is an application (structurally: it accepts connections and closables). */
export function checkApplication(app: unknown, call: string): asserts app is Application {
  const candidate = app as Partial<Record<'accept' | 'addClosable', unknown>> | null | undefined;
  if (typeof candidate?.accept === 'function' && typeof candidate.addClosable === 'function') return;
  throw new ServerwampError('ERR_INVALID_OPTION', `${call}: the first argument must be the Application, as in ${call}(app, options)`);
}

/**
 * Throws `ERR_INVALID_ARGUMENT` unless `server` looks like the Node server the
 * call needs (it emits events and listens), e.g. `attach(app, {})` or
 * options passed where the server goes.
 */
export function checkServer(server: unknown, call: string, kind: string): void {
  const candidate = server as Partial<Record<'on' | 'off' | 'listen', unknown>> | null | undefined;
  if (typeof candidate?.on === 'function' && typeof candidate.off === 'function' && typeof candidate.listen === 'function') return;
  throw new ServerwampError('ERR_INVALID_ARGUMENT', `${call}: the second argument must be a ${kind}, as in ${call}(app, server, options)`);
}
