/**
 * Span names, kinds' attributes and error marking per the OpenTelemetry
 * semantic conventions: RPC spans (`rpc.system.name` `wamp`) for calls,
 * messaging spans for publications. Attribute names are written out here
 * rather than imported, so the one peer dependency is `@opentelemetry/api`.
 * @module
 */
import { SpanStatusCode, type Attributes, type Span } from '@opentelemetry/api';
import type { Session } from '../model/session.js';
import type { CallTraceContext, PublishTraceContext, RemoteCallTraceContext, SessionCallTraceContext } from '../tracing/contexts.js';

/**
 * Where the server is reached, when the application says (`server.address`, `server.port`): the
 * part of `OpenTelemetryOptions` that names the server on SERVER and PRODUCER spans.
 *
 * @example
 * ```ts
 * import { instrumentOpenTelemetry, type ServerIdentity } from 'serverwamp/opentelemetry';
 *
 * const server: ServerIdentity = { serverAddress: process.env.PUBLIC_HOST ?? 'api.example.com', serverPort: 443 };
 * instrumentOpenTelemetry({ ...server, tracerProvider });
 * ```
 */
export interface ServerIdentity {
  /** `server.address` on SERVER and PRODUCER spans. */
  readonly serverAddress?: string | undefined;
  /** `server.port` on SERVER and PRODUCER spans. */
  readonly serverPort?: number | undefined;
}

const WAMP = 'wamp';

/**
 * `rpc.method`: the route pattern that served the call (a bounded set, as
 * the conventions ask), and `rpc.method_original` the URI called when it
 * differs (a prefix or wildcard route); the URI itself without a route.
 */
function methodAttributes(procedure: string, route: string | undefined, attributes: Attributes): string {
  const method = route ?? procedure;
  attributes['rpc.method'] = method;
  if (method !== procedure) attributes['rpc.method_original'] = procedure;
  return method;
}

function peerAttributes(session: Session, attributes: Attributes): void {
  const info = session.transportInfo;
  if (info.peerAddress !== '') attributes['network.peer.address'] = info.peerAddress;
  if (info.peerPort !== undefined) attributes['network.peer.port'] = info.peerPort;
}

function serverAttributes(server: ServerIdentity, attributes: Attributes): void {
  if (server.serverAddress !== undefined) attributes['server.address'] = server.serverAddress;
  if (server.serverPort !== undefined) attributes['server.port'] = server.serverPort;
}

/** A span's name and its attributes at creation. */
export interface SpanStart {
  readonly name: string;
  readonly attributes: Attributes;
}

/** A client's CALL (span kind SERVER). */
export function callSpan(context: CallTraceContext, server: ServerIdentity): SpanStart {
  const attributes: Attributes = { 'rpc.system.name': WAMP };
  const name = methodAttributes(context.procedure, context.route, attributes);
  serverAttributes(server, attributes);
  peerAttributes(context.session, attributes);
  attributes['wamp.realm'] = context.realm;
  attributes['wamp.session.id'] = context.sessionId;
  return { name, attributes };
}

/** The application calling its client (span kind CLIENT). */
export function sessionCallSpan(context: SessionCallTraceContext): SpanStart {
  const attributes: Attributes = { 'rpc.system.name': WAMP };
  const name = methodAttributes(context.procedure, context.route, attributes);
  // The client serves the call: it is the "server" of this span.
  const info = context.session.transportInfo;
  if (info.peerAddress !== '') attributes['server.address'] = info.peerAddress;
  if (info.peerPort !== undefined) attributes['server.port'] = info.peerPort;
  attributes['wamp.realm'] = context.realm;
  attributes['wamp.session.id'] = context.sessionId;
  return { name, attributes };
}

/**
 * `app.session(id).call` to a session another node holds (span kind
 * CLIENT): the request to that node, whose own CLIENT span for the
 * INVOCATION is this span's child. The procedure URI is chosen by the
 * application, not by a client, so it names the span.
 */
export function remoteCallSpan(context: RemoteCallTraceContext): SpanStart {
  const attributes: Attributes = { 'rpc.system.name': WAMP, 'rpc.method': context.procedure };
  attributes['wamp.session.id'] = context.sessionId;
  attributes['serverwamp.node.id'] = context.nodeId;
  return { name: context.procedure, attributes };
}

/** A publication (span kind PRODUCER), per the messaging conventions. */
export function publishSpan(context: PublishTraceContext, server: ServerIdentity): SpanStart {
  const destination = context.route ?? context.topic;
  const attributes: Attributes = {
    'messaging.system': WAMP,
    'messaging.operation.type': 'send',
    'messaging.operation.name': 'publish',
    'messaging.destination.name': context.topic,
    'messaging.message.id': String(context.publicationId),
  };
  if (context.route !== undefined) attributes['messaging.destination.template'] = context.route;
  serverAttributes(server, attributes);
  if (context.realm !== undefined) attributes['wamp.realm'] = context.realm;
  if (context.sessionId !== undefined) attributes['wamp.session.id'] = context.sessionId;
  return { name: `publish ${destination}`, attributes };
}

/** Marks a failed operation: `error.type` is the WAMP error URI when there is one. */
export function markError(span: Span, error: unknown, errorURI: string | undefined): void {
  const type = errorURI ?? (error instanceof Error ? error.name : 'Error');
  span.setAttribute('error.type', type);
  if (errorURI !== undefined) span.setAttribute('rpc.response.status_code', errorURI);
  span.setStatus({ code: SpanStatusCode.ERROR, message: type });
  if (error instanceof Error) span.recordException(error);
}
