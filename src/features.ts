/**
 * The roles and features serverwamp announces in WELCOME: exactly what it
 * implements. Every role carries a `features` dict (wampy needs it even empty),
 * and every value is a real boolean (Autobahn|Python checks).
 * @module
 */
import type { Dict } from './protocol/messages.js';

const dealerFeatures = {
  progressive_call_results: true,
  call_canceling: true,
  call_timeout: true,
  caller_identification: true,
} as const;

const brokerFeatures = {
  pattern_based_subscription: true,
  publisher_exclusion: true,
  subscriber_blackwhite_listing: true,
  publisher_identification: true,
  event_retention: true,
} as const;

/**
 * The `roles` dict of WELCOME.Details; the session meta API is announced
 * where a realm serves it, pattern-based registration where clients may
 * register procedures (the server calls them with `session.call`).
 */
export function routerRoles(options: { sessionMetaAPI?: boolean; patternBasedRegistration?: boolean } = {}): Dict {
  const meta = options.sessionMetaAPI === true ? { session_meta_api: true } : {};
  const registration = options.patternBasedRegistration === true ? { pattern_based_registration: true } : {};
  return {
    dealer: { features: { ...dealerFeatures, ...registration, ...meta } },
    broker: { features: { ...brokerFeatures, ...meta } },
  };
}
