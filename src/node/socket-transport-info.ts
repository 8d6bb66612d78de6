/**
 * {@link TransportInfo} of a connection that is a bare (TCP, TLS or Unix)
 * socket with no HTTP request behind it, as RawSocket connections are: the
 * HTTP fields are empty.
 * @module
 */
import type { Socket } from 'node:net';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import type { TransportInfo } from './transport-info.js';

const NO_COOKIES: Readonly<Record<string, string>> = Object.freeze(Object.create(null) as Record<string, string>);
const NO_HEADERS = Object.freeze({});

/** The certificate a TLS peer presented, if any. */
function peerCertificateOf(socket: Partial<TLSSocket>): PeerCertificate | undefined {
  if (socket.encrypted !== true || typeof socket.getPeerCertificate !== 'function') return undefined;
  const cert = socket.getPeerCertificate();
  return cert !== null && Object.keys(cert).length > 0 ? cert : undefined;
}

/** Builds {@link TransportInfo} for a socket speaking `protocol` (e.g. `wamp.2.json`). */
export function transportInfoFromSocket(socket: Socket, protocol: string): TransportInfo {
  const tls = socket as Partial<TLSSocket> & Socket;
  return {
    transport: 'rawsocket',
    peerAddress: socket.remoteAddress ?? '',
    peerPort: socket.remotePort,
    httpCookies: NO_COOKIES,
    httpHeaders: NO_HEADERS,
    httpPath: '',
    httpQuery: new URLSearchParams(),
    peerCertificate: peerCertificateOf(tls),
    secure: tls.encrypted === true,
    protocol,
  };
}
