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
