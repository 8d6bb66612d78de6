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
 * call needs (it emits events, listens and has an address), e.g.
 * `attach(app, {})` or options passed where the server goes. An Express or
 * Koa application also has `on`, `off` and `listen`, but never emits
 * `upgrade` or `connection`: attaching to it would serve nothing, silently.
 */
export function checkServer(server: unknown, call: string, kind: string): void {
  const candidate = server as Partial<Record<'on' | 'off' | 'listen' | 'address', unknown>> | null | undefined;
  const serverLike = typeof candidate?.on === 'function' && typeof candidate.off === 'function' && typeof candidate.listen === 'function';
  if (serverLike && typeof candidate.address === 'function') return;
  if (serverLike) {
    throw new ServerwampError(
      'ERR_INVALID_ARGUMENT',
      `${call}: the second argument is a framework's application, not a server: pass the server it listens with, ` +
        `the one expressApp.listen() or koaApp.listen() returns, or http.createServer(app.callback())`,
    );
  }
  throw new ServerwampError('ERR_INVALID_ARGUMENT', `${call}: the second argument must be a ${kind}, as in ${call}(app, server, options)`);
}
