/**
 * {@link InferAPI}: an application's API as a type, for the typed client
 * (`serverwamp/client`) and typed server-side publishing. Types only.
 * @module
 */
import type { APIShape } from './api-shape.js';
import type { TopicRouteSet } from './events/topic-route-set.js';
import type { RPCRouteSet } from './rpc/route-set.js';

type Sets<T> = T extends readonly unknown[] ? T : [T];

type ProceduresOf<T> = T extends readonly [infer Head, ...infer Rest]
  ? (Head extends RPCRouteSet<infer _C, infer Routes> ? Routes : unknown) & ProceduresOf<Rest>
  : unknown;

type TopicsOf<T> = T extends readonly [infer Head, ...infer Rest]
  ? (Head extends TopicRouteSet<infer Topics> ? Topics : unknown) & TopicsOf<Rest>
  : unknown;

type Flatten<T> = { [K in keyof T]: T[K] };

/**
 * The API of an application, from its route sets (each one, or a tuple of
 * them): the procedures and typed topics its clients may use. Route sets
 * record their routes when calls chain (`new RPCRouteSet().route(…).route(…)`);
 * anything else adds nothing.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * export const mathRoutes = new RPCRouteSet()
 *   .route('math.add', { params: { a: z.number(), b: z.number() } }, ({ a, b }) => a + b);
 * export const topics = new TopicRouteSet()
 *   .route('chat.room', { event: z.object({ text: z.string() }), publish: (request) => request.forward() });
 * export type AppAPI = InferAPI<typeof mathRoutes, typeof topics>;
 * // in the browser: typedSession<AppAPI>(session).call('math.add', { a: 2, b: 3 }) resolves to a number
 * ```
 */
export type InferAPI<Procedures extends object, Topics extends object = []> =
  APIShape<Flatten<ProceduresOf<Sets<Procedures>>> & Record<never, never>, Flatten<TopicsOf<Sets<Topics>>> & Record<never, never>>;
