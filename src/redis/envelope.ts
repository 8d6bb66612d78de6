/**
 * A publication as text between nodes, and in the retained store:
 * MessagePack (the serializer clients use, so `Uint8Array` payloads and
 * BigInt cross unchanged) in base64, so that every Redis client carries it
 * as a plain string. Decoding trusts nothing: whatever reaches a channel or
 * a key may be foreign or corrupt, and anything but a well-formed
 * publication is refused with {@link EnvelopeError}.
 * @module
 */
import type { RelayedPublication } from '../events/backplane.js';
import { decodeBase64, encodeBase64 } from '../serializers/base64.js';
import { packMsgpack, unpackMsgpack } from '../serializers/msgpack.js';

const VERSION = 1;
const AUDIENCE_LISTS = {
  eligible: 'number',
  eligibleAuthids: 'string',
  eligibleAuthroles: 'string',
  exclude: 'number',
  excludeAuthids: 'string',
  excludeAuthroles: 'string',
} as const;

/** A message that is not a publication this version wrote. */
export class EnvelopeError extends Error {
  override readonly name = 'EnvelopeError';
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** Encodes `publication`; `origin` and `realm` are those of a relayed one (`''` and absent in the store). */
export function encodeEnvelope(publication: Omit<RelayedPublication, 'origin'> & { origin?: string }): string {
  const { payload } = publication;
  return encodeBase64(
    packMsgpack([
      VERSION,
      publication.origin ?? '',
      publication.realm ?? null,
      publication.topic,
      publication.publicationId,
      payload.args ?? null,
      payload.kwargs ?? null,
      publication.audience ?? null,
      publication.details ?? null,
      publication.retain === true,
    ]),
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || ArrayBuffer.isView(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function audienceOf(value: unknown): RelayedPublication['audience'] {
  if (value === null) return undefined;
  if (!isPlainObject(value)) throw new EnvelopeError('the audience is not a map');
  const audience: Record<string, unknown[]> = {};
  for (const key of Object.keys(value)) {
    const type = (AUDIENCE_LISTS as Record<string, string>)[key];
    const list = value[key];
    if (type === undefined || !Array.isArray(list) || !list.every((item) => typeof item === type)) {
      throw new EnvelopeError('the audience has an unknown or malformed list');
    }
    audience[key] = list;
  }
  return audience;
}

/** Decodes what {@link encodeEnvelope} wrote. Throws {@link EnvelopeError}, nothing else. */
export function decodeEnvelope(text: string): RelayedPublication {
  let value: unknown;
  try {
    value = unpackMsgpack(decodeBase64(text));
  } catch {
    throw new EnvelopeError('not base64 MessagePack');
  }
  if (!Array.isArray(value) || value.length !== 10 || value[0] !== VERSION) throw new EnvelopeError('not a publication of this version');
  const [, origin, realm, topic, publicationId, args, kwargs, audience, details, retain] = value as unknown[];
  if (typeof origin !== 'string' || (realm !== null && typeof realm !== 'string') || typeof topic !== 'string' || topic === '') {
    throw new EnvelopeError('bad origin, realm or topic');
  }
  if (typeof publicationId !== 'number' || !Number.isSafeInteger(publicationId)) throw new EnvelopeError('bad publication id');
  if ((args !== null && !Array.isArray(args)) || (kwargs !== null && !isPlainObject(kwargs))) throw new EnvelopeError('bad payload');
  if ((details !== null && !isPlainObject(details)) || typeof retain !== 'boolean') throw new EnvelopeError('bad details or retain flag');
  const publication: Writable<RelayedPublication> = {
    origin,
    topic,
    publicationId,
    payload: { ...(args === null ? {} : { args }), ...(kwargs === null ? {} : { kwargs }) },
  };
  if (realm !== null) publication.realm = realm;
  const spec = audienceOf(audience);
  if (spec !== undefined) publication.audience = spec;
  if (details !== null) publication.details = details;
  if (retain) publication.retain = true;
  return publication;
}
