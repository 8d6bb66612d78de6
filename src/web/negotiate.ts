/**
 * Subprotocol negotiation for hosts that let the application choose (Bun,
 * Deno, any standard upgrade): the server's order of preference decides,
 * not the client's first offer, which some framework helpers echo blindly.
 * @module
 */
import type { Serializer } from '../serializers/index.js';

/** The subprotocols a `Sec-WebSocket-Protocol` header offers (tokens, in order). */
export function offeredProtocols(header: string | null): string[] {
  if (header === null) return [];
  return header
    .split(',')
    .map((token) => token.trim())
    .filter((token) => token !== '');
}

/**
 * The serializer the server prefers among those offered: the first of
 * `supported` (the application's order) that the client offered.
 */
export function preferredSerializer(offered: readonly string[], supported: ReadonlyMap<string, Serializer>): Serializer | undefined {
  const wanted = new Set(offered);
  for (const [protocol, serializer] of supported) {
    if (wanted.has(protocol)) return serializer;
  }
  return undefined;
}
