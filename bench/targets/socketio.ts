/**
 * socket.io: an `add` event answered with an acknowledgement, one server per
 * parser (the default JSON one and socket.io-msgpack-parser), WebSocket
 * transport only, no compression. Fan-out is a broadcast to a room.
 * @module
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type ServerOptions } from 'socket.io';
import msgpackParser from 'socket.io-msgpack-parser';
import { EVENT_ARGS, EVENT_KWARGS, type Target } from './target.js';

const ROOM = 'bench';

async function listen(options: Partial<ServerOptions>): Promise<{ io: Server; url: string }> {
  const http = createServer();
  const io = new Server(http, {
    transports: ['websocket'],
    perMessageDeflate: false,
    httpCompression: false,
    serveClient: false,
    ...options,
  });
  io.on('connection', (socket) => {
    void socket.join(ROOM);
    socket.on('add', (a: number, b: number, ack: (sum: number) => void) => ack(a + b));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return { io, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
}

export async function start(): Promise<Target> {
  const json = await listen({});
  const msgpack = await listen({ parser: msgpackParser });
  return {
    urls: { json: json.url, msgpack: msgpack.url },
    publish() {
      json.io.to(ROOM).emit('tick', ...EVENT_ARGS, EVENT_KWARGS);
    },
    subscribers: () => json.io.of('/').adapter.rooms.get(ROOM)?.size ?? 0,
  };
}
