/**
 * Starting a `node:net` (or `node:http`) server, naming its address in a URL,
 * and closing it once.
 * @module
 */
import type { AddressInfo, Server as NetServer } from 'node:net';

/** The host part of a URL for a bound address (IPv6 in brackets). */
export function urlHostOf(address: AddressInfo): string {
  return address.family === 'IPv6' ? `[${address.address}]` : address.address;
}

/** Listens on `port` and `host`; rejects with the server's error (e.g. EADDRINUSE). */
export async function listenOn(server: NetServer, port: number, host: string): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server.address() as AddressInfo;
}

/** `close` run once: later calls share its promise. */
export function stopOnce(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= close());
}

/** Resolves when `server` has closed (at once if it was not listening). */
export function closeServer(server: { close(callback: (error?: Error) => void): unknown }): Promise<void> {
  return new Promise<void>((resolve) => server.close(() => resolve()));
}
