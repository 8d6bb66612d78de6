/**
 * {@link TransportInfo} of a web-standard upgrade `Request`.
 * @module
 */
import type { HttpHeaders, TransportInfo } from '../transport-info.js';
import { parseCookies } from './cookies.js';

/**
 * Where the connection comes from: the host knows, the `Request` does not.
 *
 * @example
 * ```ts
 * import { webSocketEndpoint, type PeerInfo } from 'serverwamp/web';
 *
 * const wamp = webSocketEndpoint(app, { path: '/ws' });
 * // Behind your TLS-terminating proxy: the peer is the client it names, and the connection is secure.
 * function peerOf(request: Request, socketAddress: string): PeerInfo {
 *   const forwarded = request.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
 *   return { peerAddress: forwarded ?? socketAddress, secure: request.headers.get('x-forwarded-proto') === 'https' };
 * }
 * const decide = (request: Request, socketAddress: string) => wamp.upgrade(request, peerOf(request, socketAddress));
 * ```
 */
export interface PeerInfo {
  /** The peer's IP address; `''` (the default) when the host cannot tell. */
  readonly peerAddress?: string | undefined;
  /** The peer's port, when the host can tell. */
  readonly peerPort?: number | undefined;
  /** Whether the connection is over TLS. Default: the request URL's scheme is `https:`. */
  readonly secure?: boolean;
}

/**
 * Headers as a null-prototype record with lower-case names (what `Headers`
 * iterates): a header named `__proto__` cannot reach a prototype.
 */
function headerRecord(headers: Headers): HttpHeaders {
  const record = Object.create(null) as HttpHeaders;
  headers.forEach((value, name) => {
    record[name] = value;
  });
  return record;
}

/**
 * The transport details of one upgrade. Headers are copied at once (a
 * runtime may recycle the `Request` after the upgrade); the cookies are
 * parsed only when first read.
 */
class WebTransportInfo implements TransportInfo {
  readonly transport = 'websocket';
  readonly peerAddress: string;
  readonly peerPort: number | undefined;
  readonly httpHeaders: Readonly<HttpHeaders>;
  readonly httpPath: string;
  readonly httpQuery: URLSearchParams;
  readonly peerCertificate = undefined;
  readonly secure: boolean;
  readonly protocol: string;
  #cookies: Record<string, string> | undefined;

  constructor(request: Request, url: URL, peer: PeerInfo, protocol: string) {
    this.peerAddress = peer.peerAddress ?? '';
    this.peerPort = peer.peerPort;
    this.secure = peer.secure ?? url.protocol === 'https:';
    this.httpHeaders = headerRecord(request.headers);
    this.httpPath = url.pathname;
    this.httpQuery = url.searchParams;
    this.protocol = protocol;
  }

  get httpCookies(): Readonly<Record<string, string>> {
    const header = this.httpHeaders['cookie'];
    return (this.#cookies ??= parseCookies(Array.isArray(header) ? header.join('; ') : header));
  }
}

/** Builds {@link TransportInfo} from an upgrade request whose URL is already parsed. */
export function transportInfoFromWebRequest(request: Request, url: URL, peer: PeerInfo, protocol: string): TransportInfo {
  return new WebTransportInfo(request, url, peer, protocol);
}
