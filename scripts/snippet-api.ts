// The example application API of docs/typed-client.md, as a real module: the page's client blocks
// (and the TSDoc examples of src/client) import `AppAPI` and `ClientAPI` from the server's
// `server/api.ts`, which a fragment cannot reach; the hidden prelude (scripts/snippet-prelude.d.ts)
// takes them from here instead, so those blocks are checked against an API inferred from real
// route sets, not a hand-written stand-in. Its route lines are the page's "On the server" block, word for
// word (test/docs-snippets.test.ts checks it).
import { z } from 'zod';
import { RPCProgressReport, RPCRouteSet, TopicRouteSet, type InferAPI } from 'serverwamp';

declare function listFiles(folder: string): Promise<string[]>;
/** The percentages an export reports as it goes. */
declare function steps(id: string): Iterable<number>;

export const mathRoutes = new RPCRouteSet()
  .route('math.add', { params: { number1: z.number(), number2: z.number() } }, ({ number1, number2 }) => number1 + number2)
  .route('files.list', { params: { folder: z.string(), hidden: z.boolean().default(false) } }, ({ folder }) => listFiles(folder))
  .route('export.run', { params: { id: z.string() } }, async function* ({ id }) {
    for (const step of steps(id)) yield new RPCProgressReport({ kwargs: { percent: step } });
    return 'done';
  });

export const topics = new TopicRouteSet()
  .route('chat.room', { event: z.object({ from: z.string(), text: z.string() }), publish: (request) => void request.forward() });

export type AppAPI = InferAPI<typeof mathRoutes, typeof topics>;

/** The procedures the browser registers for the server to call (the page's "Server → client calls"). */
export interface ClientAPI {
  'ui.confirm': (question: string) => boolean;
}
