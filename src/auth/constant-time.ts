/**
 * Constant-time comparison of secrets and signatures.
 * @module
 */

/**
 * Whether `input` equals `secret`, in time that depends only on the length
 * of `input`: never on where the two first differ, nor on the secret's
 * length or contents. Pass what the client sent **first** and the secret
 * second; the other order would make the time depend on the secret's length.
 * Use it in ticket authenticators to compare tickets or tokens.
 *
 * @example
 * ```ts
 * app.setTicketAuthenticator((session, ticket) =>
 *   constantTimeEqual(ticket, adminToken) ? { authid: 'admin', authrole: 'admin' } : undefined);
 * ```
 */
export function constantTimeEqual(input: string, secret: string): boolean {
  // Web Crypto has no synchronous hash to hide the lengths behind, so the loop
  // runs over the input alone, comparing it with the secret repeated: every
  // step does the same work, and a length mismatch is folded into the result.
  const secretLength = secret.length;
  if (secretLength === 0) return input.length === 0; // nothing to repeat; says nothing about the input
  let difference = input.length ^ secretLength;
  for (let i = 0; i < input.length; i++) difference |= input.charCodeAt(i) ^ secret.charCodeAt(i % secretLength);
  return difference === 0;
}
