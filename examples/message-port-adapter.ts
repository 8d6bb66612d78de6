/**
 * A custom transport: serves an application over a MessagePort (a worker, an
 * iframe, a MessageChannel), with nothing but `serverwamp/adapter`. This is
 * the README's "Custom transports" example.
 * @module
 */
import type { Application } from '../src/index.js';
import { createSerializers, negotiateProtocol, type TransportInfo } from '../src/adapter.js';

/** What every runtime's MessagePort has (declared here so no DOM or Node types are needed). */
export interface Port {
  postMessage(data: unknown): void;
  close(): void;
  onmessage: ((event: { data: unknown }) => void) | null;
}

const serializers = createSerializers(['wamp.2.json', 'wamp.2.cbor']);

/** Serves `app` on `port` for a peer that offered `protocols`; false if none is supported. */
export function serveMessagePort(app: Application, port: Port, protocols: string[]): boolean {
  const serializer = negotiateProtocol(protocols, serializers);
  if (serializer === undefined) return false;
  const info: TransportInfo = {
    transport: 'messageport', protocol: serializer.protocol, peerAddress: '', peerPort: undefined,
    httpCookies: {}, httpHeaders: {}, httpPath: '', httpQuery: new URLSearchParams(),
    peerCertificate: undefined, secure: false,
  };
  const connection = app.accept(
    {
      send: (frame) => port.postMessage(frame),
      close: () => { port.postMessage(null); port.close(); }, // null: "closed", our own convention
      bufferedAmount: 0, // a MessagePort cannot tell: no slow-consumer protection
    },
    serializer,
    info,
  );
  port.onmessage = ({ data }) => {
    if (typeof data === 'string' || data instanceof Uint8Array) return connection.receive(data);
    connection.transportClosed(); // null, or anything that is not a frame: the peer is gone or broken
    port.close();
  };
  return true;
}
