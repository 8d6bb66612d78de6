/**
 * {@link TransportInfo} of a Node HTTP upgrade request (cookies parsed by web/cookies.ts, shared with serverwamp/web).
 * @module
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import type { TransportInfo } from '../transport-info.js';
import { parseRequestTarget, type RequestTarget } from './request-target.js';
import { parseCookies } from '../web/cookies.js';

export type { TransportInfo } from '../transport-info.js';

/**
 * {@link TransportInfo} of an HTTP upgrade request. The cookies and the parsed
 * URL are only built when first read: most connections never ask, and an
 * idle session should not pay for them.
 */
class RequestTransportInfo implements TransportInfo {
  readonly peerAddress: string;
  readonly peerPort: number | undefined;
  readonly httpHeaders: Readonly<IncomingHttpHeaders>;
  readonly peerCertificate: PeerCertificate | undefined;
  readonly secure: boolean;
  readonly protocol: string;
  readonly #url: string;
  #cookies: Record<string, string> | undefined;
  #parsed: RequestTarget | undefined;

  constructor(request: IncomingMessage, protocol: string) {
    const socket = request.socket as Partial<TLSSocket> & typeof request.socket;
    this.secure = socket.encrypted === true;
    let peerCertificate: PeerCertificate | undefined;
    if (this.secure && typeof socket.getPeerCertificate === 'function') {
      const cert = socket.getPeerCertificate();
      if (cert !== null && Object.keys(cert).length > 0) peerCertificate = cert;
    }
    this.peerCertificate = peerCertificate;
    this.peerAddress = socket.remoteAddress ?? '';
    this.peerPort = socket.remotePort;
    this.httpHeaders = request.headers;
    this.protocol = protocol;
    this.#url = request.url ?? '/';
  }

  get transport(): 'websocket' {
    return 'websocket';
  }

  get httpCookies(): Readonly<Record<string, string>> {
    return (this.#cookies ??= parseCookies(this.httpHeaders.cookie));
  }

  get httpPath(): string {
    return this.#target().path;
  }

  get httpQuery(): URLSearchParams {
    return this.#target().query;
  }

  /** Endpoints refuse unparseable targets, but a getter must not throw at an authenticator even so. */
  #target(): RequestTarget {
    return (this.#parsed ??= parseRequestTarget(this.#url) ?? { path: '', query: new URLSearchParams() });
  }
}

/** Builds {@link TransportInfo} from an HTTP upgrade request. */
export function transportInfoFromRequest(request: IncomingMessage, protocol: string): TransportInfo {
  return new RequestTransportInfo(request, protocol);
}
