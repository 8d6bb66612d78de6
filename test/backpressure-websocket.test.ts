/** Stalled WebSocket flooders: the server stops reading them; memory and a bystander's latency stay bounded. */
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
  stalledWebSocket, wsFrame,
  underFlood,
} from './helpers/flood.js';
import { serve } from './helpers/server.js';
import { RawClient } from './helpers/raw-client.js';
import { Application, RPCRouteSet } from '../src/index.js';

describe('WebSocket clients that flood calls and never read the replies', () => {
  it(`WebSocket: ${FLOODERS} stalled flooders leave RSS bounded and a bystander answered promptly`, async (t) => {
    const app = application();
    const { url, port } = await serve(app, t);
    const flooders = await Promise.all(Array.from({ length: FLOODERS }, () => stalledWebSocket(port)));
    const chunk = wsFrame(Buffer.from(calls(CALLS_PER_FRAME, '\x1e').join('')));
    const measured = await underFlood(t, url, flooders, chunk);
    t.diagnostic(
      `websocket: ${measured.frames} frames of ${CALLS_PER_FRAME} calls written; RSS growth ${(measured.rssGrowth / MiB).toFixed(1)} MiB; ` +
        `worst bystander call ${measured.worstCallMs.toFixed(1)} ms`,
    );
    assert.ok(measured.retainedGrowth < RETAINED_GROWTH_LIMIT, `${(measured.retainedGrowth / MiB).toFixed(1)} MiB still held`);
    assert.ok(measured.rssGrowth < RSS_GROWTH_LIMIT, `RSS grew by ${(measured.rssGrowth / MiB).toFixed(1)} MiB`);
    assert.ok(measured.worstCallMs < BYSTANDER_WORST_MS, `a bystander call took ${measured.worstCallMs.toFixed(1)} ms`);
    t.diagnostic(`accounted ${(app.outboundBudget.total / MiB).toFixed(1)} MiB`);
    // The flooders were slowed to their own pace, not dropped: reading resumes once they read.
    assert.ok(app.outboundBudget.total < 64 * MiB, `${app.outboundBudget.total} bytes accounted`);
  });


  it('a client that stops reading is slowed, not dropped, and gets every reply once it reads again', async (t) => {
    const app = new Application();
    let run = 0;
    const payload = 'x'.repeat(16 * 1024);
    app.addRPCRoutes(
      new RPCRouteSet().route('big', () => {
        run++;
        return payload;
      }),
    );
    const { url } = await serve(app, t);
    const client = await RawClient.connect(url);
    t.after(() => client.ws.terminate());
    const welcome = await client.hello();
    const session = app.getSession(welcome[1])!;
    const socket = (client.ws as any)._socket;
    socket.pause();
    // 600 × 16 KiB of replies: more than the kernel buffers and the 1 MiB read-pause limit, less than bufferLimit.
    // Sent in small batches that arrive as separate reads: the pause comes between reads.
    const total = 600;
    for (let i = 1; i <= total; i++) {
      client.send([48, i, {}, 'big']);
      if (i % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    let last = -1;
    const deadline = Date.now() + 20_000;
    while (run !== last && Date.now() < deadline) {
      last = run;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    assert.ok(run < total, `the server ran all ${run} calls of a client that read nothing`);
    assert.equal(session.closed, false);
    socket.resume();
    for (let i = 1; i <= total; i++) {
      const reply = await client.next(10_000).catch((error: Error) => {
        throw new Error(`${error.message} at ${i}; run ${run}; queued ${session.connection.bufferedAmount}; total ${app.outboundBudget.total}`);
      });
      assert.equal(reply[0], 50);
      assert.equal(reply[1], i);
    }
    assert.equal(run, total);
  });
});
