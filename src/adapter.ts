/**
 * `serverwamp/adapter`: everything needed to serve an {@link Application}
 * over a transport of your own (another runtime's WebSocket, a framework's
 * upgrade hook, a message port…). See docs/custom-transports.md.
 * @module
 */
export type { Transport, EngineConnection, TransportHost, Closable, ConnectionRefusal } from './transport.js';
export { CloseCode } from './transport.js';
export type { TransportInfo, TransportKind, HttpHeaders, PeerCertificateInfo, CertificateName } from './transport-info.js';
export {
  negotiateProtocol,
  createSerializers,
  SUPPORTED_PROTOCOLS,
  type Serializer,
  type JSONSerializerOptions,
} from './serializers/index.js';
export type { Application } from './application.js';
export type { Connection } from './engine/connection.js';
