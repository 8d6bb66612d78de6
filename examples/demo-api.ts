/**
 * The demo's API as a type, for the page's typed session (examples/page/wamp.ts,
 * `typedSession<DemoAPI>`). The page imports it type-only, so its bundle holds
 * none of the server (docs/typed-client.md).
 *
 * Not in it: the session meta API (`wamp.session.*`, enabled on the
 * application, not a route set), `chat.room` (its events are positional
 * arguments, which a typed topic does not describe), `hourly.updates` (the
 * Python docs' positional string), and the documents API (its routes close over the
 * application).
 */
import type { InferAPI } from '../src/index.js';
import type { liveStatsRoutes } from './demo-live.js';
import type { mathRoutes, nodeRoutes } from './demo.js';
import type { procedures } from './procedures.js';

export type DemoAPI = InferAPI<[typeof mathRoutes, typeof procedures, ReturnType<typeof nodeRoutes>], ReturnType<typeof liveStatsRoutes>>;
