/**
 * serverwamp: serve WAMP RPC and events straight from an application, on any
 * JavaScript runtime. Node serving is in `serverwamp/node`.
 * @module
 */
export type { ApplicationOptions } from './application-options.js';
export { Application } from './application.js';
export type { CloseOptions } from './shutdown.js';
export type { LimitOptions, RateOption } from './limit-options.js';
export type { Health, HealthStatus } from './health.js';
export type { RefusalCounts, RefusalKind } from './engine/refusals.js';
export { RATE_LIMITED } from './engine/connection.js';
export { TOO_MANY_SESSIONS } from './engine/session-slots.js';
export { Realm } from './realm.js';
export type { Authorizer, AuthorizationRequest, AuthorizedAction } from './model/authorization.js';
export { SessionMetaTopic, sessionDetails } from './meta/session-meta.js';
export type { Session, SessionIdentity, ClientHello, SessionData, ConnectionInfo, RealmRef, PublishOptions, RecipientOptions } from './model/session.js';
export { CloseCode, type Transport, type Closable } from './transport.js';
export { PendingSession, type AuthenticateReply } from './auth/pending-session.js';
export type { AuthenticationHandler } from './auth/types.js';
export type { TransportAuthenticator } from './auth/transport.js';
export type { TicketAuthenticator } from './auth/ticket.js';
export {
  deriveCRAKey,
  craSignature,
  type CRAAuthRequirement,
  type CRARequirementProvider,
  type CRAIdentityProvider,
} from './auth/wampcra.js';
export type { CRAOptions, CRAUnknownUsers } from './auth/cra-decoy.js';
export { verifyCryptosignSignature, type CryptosignKeyProvider } from './auth/cryptosign.js';
export { constantTimeEqual } from './auth/constant-time.js';
export type { IdentityFields, AuthenticatorResult, Awaitable } from './auth/identity.js';
export { RPCRouteSet, type RPCRoute, type RPCRoutesFor } from './rpc/route-set.js';
export type { InferAPI } from './infer-api.js';
export type { APIShape, ListResult, Payload, ProcedureSpec, WildcardURI } from './api-shape.js';
export type { CallerArgs, CallerKwargs, NoKwargs } from './rpc/api-types.js';
export {
  typedCaller,
  type ClientCallOptions,
  type ClientCallResult,
  type ClientResult,
  type TopicPublishRest,
  type TypedPublishOptions,
  type TypedServerSession,
} from './model/typed-session.js';
export { RPCResult, RPCErrorResult, RPCProgressReport, toCallOutcome, type ResultPayload } from './rpc/results.js';
export type { RPCRequest } from './rpc/request.js';
export type { CallerIdentity, CallResult, SessionCallOptions, EventPayload } from './model/payloads.js';
export type {
  ProcedureDefinition,
  ProcedureOptions,
  ProcedureHandler,
  RawProcedureHandler,
  ProcedureReturn,
} from './rpc/procedure.js';
export type {
  ParamsDefinition,
  ParamDefinition,
  ParamOptions,
  InferParams,
  InferParamsInput,
  ArgumentIssue,
} from './rpc/params.js';
export { TOO_MANY_CALLS, type CancelReplyPolicy } from './rpc/session-calls.js';
export { TOO_MANY_REGISTRATIONS } from './rpc/callee-registry.js';
export { TOO_MANY_INVOCATIONS } from './rpc/invocations.js';
export { TopicRouteSet, type TopicRoute } from './events/topic-route-set.js';
export type {
  SubscribeRequest,
  SubscriptionHandler,
  PublishRequest,
  PublishHandler,
  PublisherIdentity,
  TopicDefinition,
  MatchedRoute,
} from './events/topic-handler.js';
export type { AudienceSpec } from './events/audience.js';
export type { SessionStateHandler, SessionStateOptions } from './events/session-state.js';
export type { Publication } from './events/delivery.js';
export { MemoryRetainedStore, type RetainedStore } from './events/retained-store.js';
export { MemorySessionDirectory, type SessionDirectory, type SessionQuery } from './session-directory.js';
export type { Backplane, BackplaneNode, RelayedPublication, TopicInterest } from './events/backplane.js';
export { createLocalBackplane, type LocalBackplaneHub } from './cluster/local-backplane.js';
export type { SessionHandle } from './remote/session-handle.js';
export { NODE_UNREACHABLE } from './remote/remote-sessions.js';
export type { LifecycleReturn } from './events/lifecycle.js';
export type { EventOptions, SlowConsumerOptions, SlowConsumerPolicy, DroppedEvent } from './events/event-options.js';
export { TOO_MANY_SUBSCRIPTIONS, TOO_MANY_PUBLICATIONS } from './events/session-subscriptions.js';
export { ServerMetrics } from './metrics/server-metrics.js';
export type { MetricsOptions } from './metrics/metrics-options.js';
export type { MetricFamily, MetricType, SampleSeries, HistogramSeries } from './metrics/families.js';
export { toPrometheusText, PROMETHEUS_CONTENT_TYPE } from './metrics/prometheus.js';
export { TracingChannel, TraceKey } from './tracing/names.js';
export type { CallTraceContext, SessionCallTraceContext, RemoteCallTraceContext, PublishTraceContext, TracedPayload } from './tracing/contexts.js';
export { WampError, ServerwampError, type ServerwampErrorCode, type WampErrorPayload } from './errors.js';
export { silentLogger, consoleLogger, defaultLogger, type Logger, type LogFn, type LogLevel, type ConsoleLike, type LoggerLike } from './logger.js';
export { WampURI } from './protocol/uris.js';
export { MessageType } from './protocol/message-type.js';
export type { Dict } from './protocol/messages.js';
export type { URIValidation, MatchPolicy } from './protocol/uri.js';
export {
  SUPPORTED_PROTOCOLS,
  createSerializers,
  jsonSerializer,
  msgpackSerializer,
  cborSerializer,
  jsonBatchedSerializer,
  msgpackBatchedSerializer,
  cborBatchedSerializer,
  type Serializer,
  type JSONSerializerOptions,
} from './serializers/index.js';
export type { TransportInfo, TransportKind } from './transport-info.js';
