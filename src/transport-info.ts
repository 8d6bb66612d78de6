/**
 * What serverwamp knows about a connection's transport, for authenticators
 * and procedures (`session.connection.transportInfo`). Runtime-neutral: an
 * adapter on any runtime can fill it in with plain values.
 * @module
 */

/** Which transport carries a connection; custom adapters may name their own. */
export type TransportKind = 'websocket' | 'rawsocket' | (string & Record<never, never>);

/** HTTP headers with lower-case names; a repeated header is a list. */
export type HttpHeaders = Record<string, string | string[] | undefined>;

/** The distinguished-name fields of a certificate's subject or issuer; a repeated field is a list. */
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

/** Transport details of one connection, as the Python original's `transport_info`. */
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
