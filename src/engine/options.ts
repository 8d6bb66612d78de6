/**
 * {@link EngineOptions}: the settings the session engine runs with, built
 * from the application options (`application-options.ts`).
 * @module
 */
import type { EventSettings } from '../events/event-options.js';
import type { URIValidation } from '../protocol/uri.js';
import type { CalleeRegistryOptions } from '../rpc/callee-registry.js';
import type { InvocationOptions } from '../rpc/invocations.js';
import type { CallsOptions } from '../rpc/session-calls.js';
import type { OutboxOptions } from './outbox.js';
import type { RateLimitSettings } from './rate-limit.js';

/** Engine settings, from the application options. */
export interface EngineOptions extends CallsOptions, EventSettings, OutboxOptions, CalleeRegistryOptions, InvocationOptions {
  readonly uriValidation: URIValidation;
  readonly strictRequestIds: boolean;
  readonly agent: string;
  readonly goodbyeTimeout: number;
  /** Milliseconds a connection may stay open without a session before it is closed; 0 for no limit. */
  readonly helloTimeout: number;
  /** Milliseconds a session may take from HELLO to WELCOME when it must authenticate; 0 for no limit. */
  readonly authenticationTimeout: number;
  /** The per-connection rate limits; undefined when none is set (nothing is metered then). */
  readonly rateLimits: RateLimitSettings | undefined;
}
