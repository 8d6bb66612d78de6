/**
 * What serverwamp knows about a connection's transport, for authenticators
 * and procedures (`session.transportInfo`). Runtime-neutral: an
 * adapter on any runtime can fill it in with plain values.
 * @module
 */

/**
 * Which transport carries a connection; custom adapters may name their own.
 *
 * @example
 * ```ts
 * import type { TransportKind } from 'serverwamp';
 *
 * routes.route('connection.kind', (request) => {
 *   const kind: TransportKind = request.session.transportInfo.transport;
 *   return kind === 'rawsocket' ? 'RawSocket: no HTTP headers or cookies' : kind; // 'websocket', or a custom adapter's name
 * });
 * ```
 */
export type TransportKind = 'websocket' | 'rawsocket' | (string & Record<never, never>);

/**
 * HTTP headers with lower-case names; a repeated header is a list.
 *
 * @example
 * ```ts
 * import type { HttpHeaders } from 'serverwamp/adapter';
 *
 * // A header may be repeated: take the first value either way.
 * function firstHeader(headers: HttpHeaders, name: string): string | undefined {
 *   const value = headers[name.toLowerCase()];
 *   return Array.isArray(value) ? value[0] : value;
 * }
 * const agent = firstHeader(session.transportInfo.httpHeaders, 'User-Agent');
 * ```
 */
export type HttpHeaders = Record<string, string | string[] | undefined>;

/**
 * The distinguished-name fields of a certificate's subject or issuer; a repeated field is a list.
 *
 * @example
 * ```ts
 * import type { CertificateName } from 'serverwamp/adapter';
 *
 * // A field may be repeated (several OUs): test every value.
 * function inUnit(name: CertificateName, unit: string): boolean {
 *   return ([] as string[]).concat(name.OU ?? []).includes(unit);
 * }
 * const isOps = transportInfo.peerCertificate !== undefined && inUnit(transportInfo.peerCertificate.subject, 'ops');
 * ```
 */
export interface CertificateName {
  /** Common name. */
  readonly CN?: string | string[];
  /** Organization. */
  readonly O?: string | string[];
  /** Organizational unit. */
  readonly OU?: string | string[];
  /** Country. */
  readonly C?: string | string[];
  /** State or province. */
  readonly ST?: string | string[];
  /** Locality. */
  readonly L?: string | string[];
}

/**
 * A TLS client certificate, as far as serverwamp reads it. Node's
 * `PeerCertificate` fits this shape, and an adapter on another runtime can
 * build one from whatever its TLS layer reports.
 *
 * @example
 * ```ts
 * import type { PeerCertificateInfo } from 'serverwamp/adapter';
 *
 * // Devices log in with their TLS client certificate (the server verifies the chain: requestCert, ca).
 * realm.addTransportAuthenticator((session) => {
 *   const cert: PeerCertificateInfo | undefined = session.transportInfo.peerCertificate;
 *   const cn = cert?.subject.CN;
 *   if (cert === undefined || typeof cn !== 'string') return undefined; // another authenticator may know the session
 *   return { authid: cn, authrole: 'device', authmethod: 'tls', authextra: { fingerprint: cert.fingerprint256 } };
 * });
 * ```
 */
export interface PeerCertificateInfo {
  /** Whom the certificate was issued to. */
  readonly subject: CertificateName;
  /** Who issued it. */
  readonly issuer: CertificateName;
  /** Its subject alternative names, as Node formats them (`DNS:example.com, …`). */
  readonly subjectaltname?: string;
  /** Valid from (a date string, as Node gives it). */
  readonly valid_from: string;
  /** Valid until (a date string, as Node gives it). */
  readonly valid_to: string;
  /** SHA-256 fingerprint, colon-separated hex. */
  readonly fingerprint256: string;
  /** Its serial number, in hexadecimal. */
  readonly serialNumber: string;
  /** The DER encoding, when the runtime exposes it. */
  readonly raw?: Uint8Array;
}

/**
 * Transport details of one connection (`session.transportInfo`, also on a session being
 * authenticated): the peer's address, the upgrade request's headers, cookies and path, TLS.
 * The Python original calls it `transport_info`.
 *
 * @example
 * ```ts
 * import type { TransportInfo } from 'serverwamp';
 *
 * routes.route('whoami', (request) => {
 *   const info: TransportInfo = request.session.transportInfo;
 *   return { peer: info.peerAddress, tls: info.secure, protocol: info.protocol, agent: info.httpHeaders['user-agent'] };
 * });
 * ```
 */
export interface TransportInfo {
  /** `websocket`, `rawsocket`, or what a custom adapter calls itself. */
  readonly transport: TransportKind;
  /** The peer's IP address (or Unix socket path); `''` when unknown. */
  readonly peerAddress: string;
  /** The peer's port, when it has one. */
  readonly peerPort: number | undefined;
  /** Cookies from the upgrade request, parsed. */
  readonly httpCookies: Readonly<Record<string, string>>;
  /** Headers of the upgrade request (lower-case names); empty without an HTTP request. */
  readonly httpHeaders: Readonly<HttpHeaders>;
  /** The request path, without the query; `''` without an HTTP request. */
  readonly httpPath: string;
  /** The request's query parameters. */
  readonly httpQuery: URLSearchParams;
  /** The TLS client certificate, when the peer presented one. */
  readonly peerCertificate: PeerCertificateInfo | undefined;
  /** Whether the connection is over TLS. */
  readonly secure: boolean;
  /** The negotiated WAMP subprotocol, e.g. `wamp.2.json`. */
  readonly protocol: string;
}
