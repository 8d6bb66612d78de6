/**
 * The subprotocols a web-standard upgrade offers. The choice among them is
 * `negotiateProtocol`'s, as on Node: the client's first offer that the
 * application speaks, never simply the first offer (which some framework
 * helpers echo blindly, unknown protocols included).
 * @module
 */

/** The subprotocols a `Sec-WebSocket-Protocol` header offers (tokens, in order). */
export function offeredProtocols(header: string | null): string[] {
  if (header === null) return [];
  return header
    .split(',')
    .map((token) => token.trim())
    .filter((token) => token !== '');
}
