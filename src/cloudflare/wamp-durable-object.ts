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
  /** The object's state, as the runtime passed it to the constructor (its WebSockets, storage). */
  protected readonly ctx: DurableObjectStateLike;
  /** The Worker's bindings, as the runtime passed them to the constructor. */
  protected readonly env: Env;
  /** The application this object hosts. */
  readonly app: Application;
  readonly #wamp: DurableObjectWamp;

  /**
   * Called by the runtime when it creates (or wakes) the object: builds the application with
   * {@link createApplication} and starts serving it. Sockets left open by an earlier instance
   * are closed with 1012, as their sessions are gone.
   */
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

  /** Called by the runtime for each request the Worker forwards: answers a WAMP upgrade (101) or refuses it. */
  fetch(request: Request): Response {
    return this.#wamp.fetch(request);
  }

  /** Called by the runtime for each frame a client sends: text for JSON, binary for MessagePack and CBOR. */
  webSocketMessage(ws: HibernatableWebSocket, message: string | ArrayBuffer): void {
    this.#wamp.webSocketMessage(ws, message);
  }

  /** Called by the runtime when a client closes its WebSocket: ends that session. */
  webSocketClose(ws: HibernatableWebSocket, code: number, reason: string, wasClean: boolean): void {
    this.#wamp.webSocketClose(ws, code, reason, wasClean);
  }

  /** Called by the runtime when a WebSocket fails: ends that session. */
  webSocketError(ws: HibernatableWebSocket, error: unknown): void {
    this.#wamp.webSocketError(ws, error);
  }
}
