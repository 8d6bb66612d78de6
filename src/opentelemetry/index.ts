/**
 * serverwamp/opentelemetry: OpenTelemetry spans for serverwamp's tracing
 * channels, with W3C trace context carried in WAMP's `_traceparent` and
 * `_tracestate`. `@opentelemetry/api` is an optional peer dependency that
 * only this entry needs. See docs/tracing.md.
 * @module
 */
export { instrumentOpenTelemetry, type OpenTelemetryOptions, type OpenTelemetryInstrumentation } from './instrumentation.js';
export type { ServerIdentity } from './attributes.js';
