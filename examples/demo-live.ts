/**
 * The demo's live panel: the server's clock and this node's counters
 * (sessions, calls handled, events sent), pushed as `demo.stats` events every
 * second to each subscriber, so push is visible the moment the page opens.
 * The ticker runs only while someone is subscribed: an idle server holds no
 * timer, and `app.close()` stops it as the last session ends.
 */
import { z } from 'zod';
import { TopicRouteSet, type Application, type Session } from '../src/index.js';

export const STATS_TOPIC = 'demo.stats';

/**
 * What each `demo.stats` event carries, as kwargs: declared as the topic's `event`, so the page's
 * typed session (`DemoAPI`) knows it. The server sends it and never validates it.
 */
const LiveStats = z.object({
  /** The server's time, ISO 8601. */
  time: z.string(),
  /** Sessions open on this node. */
  sessions: z.number(),
  /** Calls this node answered (results and errors), from `app.metrics`. */
  calls: z.number(),
  /** EVENTs this node sent: publications delivered (`app.metrics`) and these ticks. */
  events: z.number(),
});
export type LiveStats = z.infer<typeof LiveStats>;

function count(sessions: Iterable<Session>): number {
  let n = 0;
  for (const _ of sessions) n++;
  return n;
}

/** The `demo.stats` topic; `app` must have metrics on (the counters come from them). */
export function liveStatsRoutes<Context>(app: Application<Context>, intervalMs: number) {
  const subscribers = new Set<Session>();
  let timer: ReturnType<typeof setInterval> | undefined;
  let ticksSent = 0;
  const stats = (): LiveStats => ({
    time: new Date().toISOString(),
    sessions: count(app.sessions),
    calls: app.metrics?.value('serverwamp_calls_total') ?? 0,
    events: (app.metrics?.value('serverwamp_events_delivered_total') ?? 0) + ticksSent,
  });
  const send = (session: Session, kwargs: LiveStats): void => {
    if (session.sendEvent(STATS_TOPIC, { kwargs: { ...kwargs } })) ticksSent++;
  };
  const tick = (): void => {
    const now = stats();
    for (const session of subscribers) send(session, now);
  };
  return new TopicRouteSet().route(STATS_TOPIC, {
    event: LiveStats,
    async *subscribe({ session, whenSubscribed }) {
      subscribers.add(session);
      // The first figures at once, not a second later.
      whenSubscribed(() => send(session, stats()));
      timer ??= setInterval(tick, intervalMs);
      yield;
      subscribers.delete(session);
      if (subscribers.size === 0) {
        clearInterval(timer);
        timer = undefined;
      }
    },
  });
}
