// cluster-key-slot ships no types: its default export hashes a key to its Redis Cluster slot.
declare module 'cluster-key-slot' {
  /** The slot (0–16383) of `key`, or of its hash tag (`{…}`) when it has a non-empty one. */
  export default function calculateSlot(key: string | Uint8Array): number;
}
