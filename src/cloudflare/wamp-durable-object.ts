/**
 * A Durable Object class that hosts one application: extend it and say how
 * to build the application.
 * @module
 */
import type { Application } from '../application.js';
import { serveDurableObject, type DurableObjectWamp } from './durable-object.js';
import type { DurableObjectServeOptions } from './options.js';
import type { DurableObjectStateLike, HibernatableWebSocket } from './workerd.js';

/**
 * A Durable Object hosting one serverwamp `Application` (one object per
 * room, say), its WebSockets accepted with the hibernation API. Subclasses
 * build the application in {@link createApplication} (called once per
 * instance, from the constructor, before the subclass's own fields are set)
 * and may override {@link serveOptions}. Export the subclass from the Worker
 * and bind it as a Durable Object namespace.
 *
 * @example
 * ```ts
 * export class Room extends WampDurableObject<Env> {
 *   protected createApplication(): Application {
 *     const app = new Application();
 *     app.addRPCRoutes(new RPCRouteSet().route('room.hello', () => 'hi'));
 *     return app;
 *   }
 * }
 * export default routeToDurableObject({ binding: 'ROOMS', path: '/ws' });
 * ```
 */
export abstract class WampDurableObject<Env = unknown> {
  protected readonly ctx: DurableObjectStateLike;
  protected readonly env: Env;
  /** The application this object hosts. */
  readonly app: Application;
  readonly #wamp: DurableObjectWamp;

  constructor(ctx: DurableObjectStateLike, env: Env) {
    this.ctx = ctx;
    this.env = env;
    this.app = this.createApplication(env, ctx);
    this.#wamp = serveDurableObject(ctx, this.app, this.serveOptions());
  }

  /** Builds the application this object hosts. */
  protected abstract createApplication(env: Env, ctx: DurableObjectStateLike): Application;

  /** The endpoint's options (`path`, `allowedOrigins`, `keepAwake`, …); default none. */
  protected serveOptions(): DurableObjectServeOptions {
    return {};
  }

  fetch(request: Request): Response {
    return this.#wamp.fetch(request);
  }

  webSocketMessage(ws: HibernatableWebSocket, message: string | ArrayBuffer): void {
    this.#wamp.webSocketMessage(ws, message);
  }

  webSocketClose(ws: HibernatableWebSocket, code: number, reason: string, wasClean: boolean): void {
    this.#wamp.webSocketClose(ws, code, reason, wasClean);
  }

  webSocketError(ws: HibernatableWebSocket, error: unknown): void {
    this.#wamp.webSocketError(ws, error);
  }
}
