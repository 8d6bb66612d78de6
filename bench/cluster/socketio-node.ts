/**
 * A socket.io node of the cluster part: the fan-out target's server with
 * `@socket.io/redis-adapter` (a publishing and a subscribing connection, as
 * its documentation sets it up). Fan-out is a room
 * broadcast; the latency probe is a second room, joined on request.
 * @module
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdapter } from '@socket.io/redis-adapter';
import { Server } from 'socket.io';
import { EVENT_ARGS, EVENT_KWARGS } from '../targets/target.js';
import { connectRedis, type RedisClientKind } from './redis-client.js';
import { PROBE_TOPIC, type ClusterNode } from './target.js';

const ROOM = 'bench';

export async function start(redisUrl: string, kind: RedisClientKind): Promise<ClusterNode> {
  const pub = await connectRedis(kind, redisUrl);
  const sub = await connectRedis(kind, redisUrl);
  const http = createServer();
  const io = new Server(http, {
    transports: ['websocket'],
    perMessageDeflate: false,
    httpCompression: false,
    serveClient: false,
    adapter: createAdapter(pub.client, sub.client),
  });
  io.on('connection', (socket) => {
    void socket.join(ROOM);
    socket.on('join', (room: unknown, ack: unknown) => {
      if (room === PROBE_TOPIC) void socket.join(PROBE_TOPIC);
      if (typeof ack === 'function') ack();
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    subscribers: () => io.of('/').adapter.rooms.get(ROOM)?.size ?? 0,
    // The adapter subscribes to every broadcast of every node (a pattern) before it serves: nothing to wait for.
    reachesPeer: () => true,
    publish() {
      io.to(ROOM).emit('tick', ...EVENT_ARGS, EVENT_KWARGS);
    },
    publishProbe(seq, sentNs) {
      io.to(PROBE_TOPIC).emit('probe', seq, sentNs);
    },
    async close() {
      await io.close();
      await Promise.all([pub.close(), sub.close()]);
    },
  };
}
