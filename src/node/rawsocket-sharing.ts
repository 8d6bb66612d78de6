/**
 * RawSocket on an HTTP server's own port. No HTTP request can start with
 * the RawSocket magic octet 0x7F, so the first octet a client sends tells the
 * two apart: the server's connection listeners are moved behind a sniffer
 * that reads what has arrived, puts it back (`socket.unshift`) and hands the
 * socket to the RawSocket endpoint or to node:http's own listeners, which
 * then see the socket as if fresh. On a TLS (`https`) server the sniffing
 * happens on the decrypted stream (`secureConnection`), so RawSocket clients
 * connect with TLS too.
 * @module
 */
import type { Server as HTTPServer } from 'node:http';
import type { Server as HTTPSServer } from 'node:https';
import type { Socket } from 'node:net';
import { Server as TLSServer } from 'node:tls';
import { MAGIC } from './rawsocket-framing.js';
import type { RawSocketEndpoint } from './rawsocket.js';

type ConnectionListener = (this: unknown, socket: Socket) => void;

const ignoreError = (): void => {};

/**
 * Routes every new connection of `server` whose first octet is 0x7F to
 * `endpoint`, and every other one to the server's HTTP handling. A client
 * that sends nothing within `idleTimeout` milliseconds (0: no limit) is
 * handed to HTTP, whose own timeouts then apply. Returns a function that
 * restores the server's listeners.
 */
export function shareWithRawSocket(server: HTTPServer | HTTPSServer, endpoint: RawSocketEndpoint, idleTimeout: number): () => void {
  const event = server instanceof TLSServer ? 'secureConnection' : 'connection';
  const httpListeners = server.listeners(event) as ConnectionListener[];
  for (const listener of httpListeners) server.off(event, listener);
  const toHTTP = (socket: Socket): void => {
    for (const listener of httpListeners) listener.call(server, socket);
  };

  const onConnection = (socket: Socket): void => {
    socket.on('error', ignoreError);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const handOver = (to: (socket: Socket) => void): void => {
      clearTimeout(timer);
      socket.off('readable', sniff);
      socket.off('error', ignoreError);
      to(socket);
    };
    function sniff(): void {
      const chunk = socket.read() as Buffer | null;
      if (chunk === null) {
        if (socket.readableEnded || socket.destroyed) return handOver(toHTTP);
        socket.once('readable', sniff);
        return;
      }
      socket.unshift(chunk);
      handOver(chunk[0] === MAGIC ? endpoint.handleSocket : toHTTP);
    }
    if (idleTimeout > 0) {
      timer = setTimeout(() => handOver(toHTTP), idleTimeout);
      timer.unref();
    }
    sniff();
  };

  server.on(event, onConnection);
  return () => {
    server.off(event, onConnection);
    for (const listener of httpListeners) server.on(event, listener);
  };
}
