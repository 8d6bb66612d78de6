/**
 * Makes every TLS client in this test process trust a test CA. The shared
 * helpers (autobahn through the global WebSocket, wampy, RawClient, the auth
 * helpers) each build their own `ws` client, and Node 20 reads
 * NODE_EXTRA_CA_CERTS only at start-up: so the one place they all meet,
 * `tls.connect`, gets the CA when the caller gave none. Certificates are still
 * verified, against that CA.
 */
import tls from 'node:tls';

let trusted: Buffer | undefined;

export function trustInThisProcess(ca: Buffer): void {
  if (trusted !== undefined) {
    trusted = ca;
    return;
  }
  trusted = ca;
  const connect = tls.connect;
  (tls as { connect: unknown }).connect = function connectTrusting(this: unknown, ...args: unknown[]) {
    const [options] = args;
    if (typeof options === 'object' && options !== null && (options as tls.ConnectionOptions).ca === undefined) {
      args[0] = { ...options, ca: trusted };
    }
    return (connect as (...a: unknown[]) => tls.TLSSocket).apply(this, args);
  };
}
