/**
 * Starting a `node:net` (or `node:http`) server and naming its address in a URL.
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
