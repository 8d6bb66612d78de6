/** Stalled RawSocket flooders: bounded with the same accounting as WebSocket. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  application,
  BYSTANDER_WORST_MS,
  calls,
  CALLS_PER_FRAME,
  FLOODERS,
  MiB,
  RETAINED_GROWTH_LIMIT,
  RSS_GROWTH_LIMIT,
  stalledRawSocket,
  underFlood,
} from './helpers/flood.js';
import { serve, serveRawSocket } from './helpers/server.js';
import { frame, WAMP } from './helpers/rawsocket-client.js';

describe('RawSocket clients that flood calls and never read the replies', () => {
  it(`RawSocket: ${FLOODERS} stalled flooders are bounded the same way`, async (t) => {
    const app = application();
    const { port } = await serveRawSocket(app, t);
    const { url } = await serve(app, t);
    const flooders = await Promise.all(Array.from({ length: FLOODERS }, () => stalledRawSocket(port)));
    const chunk = Buffer.concat(calls(CALLS_PER_FRAME, '').map((call) => frame(WAMP, call)));
    const measured = await underFlood(t, url, flooders, chunk);
    t.diagnostic(
      `rawsocket: ${measured.frames} writes of ${CALLS_PER_FRAME} calls; RSS growth ${(measured.rssGrowth / MiB).toFixed(1)} MiB; ` +
        `worst bystander call ${measured.worstCallMs.toFixed(1)} ms`,
    );
    assert.ok(measured.retainedGrowth < RETAINED_GROWTH_LIMIT, `${(measured.retainedGrowth / MiB).toFixed(1)} MiB still held`);
    assert.ok(measured.rssGrowth < RSS_GROWTH_LIMIT, `RSS grew by ${(measured.rssGrowth / MiB).toFixed(1)} MiB`);
    assert.ok(measured.worstCallMs < BYSTANDER_WORST_MS, `a bystander call took ${measured.worstCallMs.toFixed(1)} ms`);
    // Each flooder's queue stays near the per-connection limit (1 MiB estimated) plus what one read produced.
    t.diagnostic(`accounted ${(app.outboundBudget.total / MiB).toFixed(1)} MiB`);
    assert.ok(app.outboundBudget.total < FLOODERS * 4 * MiB, `${(app.outboundBudget.total / MiB).toFixed(1)} MiB accounted`);
  });
});
