/**
 * Constant-time comparison of secrets and signatures.
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether two strings are equal, in time that depends on neither their
 * contents nor their lengths: both are hashed first, so `timingSafeEqual`
 * always compares 32 bytes. Use it in ticket authenticators to compare
 * tickets or tokens.
 *
 * @example
 * ```ts
 * app.setTicketAuthenticator((session, ticket) =>
 *   constantTimeEqual(ticket, process.env.ADMIN_TOKEN ?? '') ? { authid: 'admin', authrole: 'admin' } : undefined);
 * ```
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const digestA = createHash('sha256').update(a, 'utf8').digest();
  const digestB = createHash('sha256').update(b, 'utf8').digest();
  // The digests hide the lengths; the final check rules out hash collisions.
  return timingSafeEqual(digestA, digestB) && a === b;
}
