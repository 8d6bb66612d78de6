/**
 * Who receives a publication, as data. The WAMP subscriber black- and
 * whitelisting options of a client PUBLISH (`eligible*`, `exclude*`), publisher
 * exclusion (`exclude_me`) and the server-side `eligible`/`exclude` become one
 * {@link AudienceSpec}: plain arrays of numbers and strings, so that it
 * survives JSON or msgpack on its way to another node. Each node compiles it
 * to a predicate once per publication. A server-side `filter` function cannot
 * travel, so it stays beside the spec and only ever applies on this node.
 * @module
 */
import { toId } from '../protocol/ids.js';
import type { Dict } from '../protocol/messages.js';
import type { RecipientOptions, Session } from '../model/session.js';

/** Decides whether a subscribed session receives a publication. */
export type RecipientFilter = (session: Session) => boolean;

/**
 * The audience of a publication, serializable. A receiver must be in every
 * `eligible*` list present and in no `exclude*` list. The publisher left out
 * by `exclude_me` is in `exclude`. Absent lists do not restrict.
 *
 * @example
 * ```ts
 * import type { AudienceSpec } from 'serverwamp';
 *
 * // Session 42's PUBLISH with options { eligible_authrole: ['admin'] } (exclude_me defaults to true)
 * // becomes this `audience`, as a backplane or retained store receives it:
 * const audience: AudienceSpec = { eligibleAuthroles: ['admin'], exclude: [42] };
 * ```
 */
export interface AudienceSpec {
  /** Only these session ids may receive the event. */
  readonly eligible?: readonly number[];
  /** Only sessions with these authids may receive the event. */
  readonly eligibleAuthids?: readonly string[];
  /** Only sessions with these authroles may receive the event. */
  readonly eligibleAuthroles?: readonly string[];
  /** These session ids never receive the event. */
  readonly exclude?: readonly number[];
  /** Sessions with these authids never receive the event. */
  readonly excludeAuthids?: readonly string[];
  /** Sessions with these authroles never receive the event. */
  readonly excludeAuthroles?: readonly string[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A client's list option was not a list of the right type. */
export class InvalidRecipientList extends Error {
  override readonly name = 'InvalidRecipientList';
}

function ids(sessions: Iterable<Session | number>): number[] {
  const list: number[] = [];
  for (const s of sessions) list.push(typeof s === 'number' ? s : s.id);
  return list;
}

/** The audience of server-side recipient options (`filter` aside); `undefined` for everyone. */
export function serverAudience(options: RecipientOptions): AudienceSpec | undefined {
  if (options.eligible === undefined && options.exclude === undefined) return undefined;
  const spec: Mutable<AudienceSpec> = {};
  if (options.eligible !== undefined) spec.eligible = ids(options.eligible);
  if (options.exclude !== undefined) spec.exclude = ids(options.exclude);
  return spec;
}

/** Reads one list option; wampy sends a lone value as itself, so a scalar counts as a one-element list. */
function listOption<T>(options: Dict, key: string, convert: (value: unknown) => T | undefined, what: string): T[] | undefined {
  if (!Object.hasOwn(options, key)) return undefined;
  const raw = options[key];
  if (raw === undefined || raw === null) return undefined;
  const values = Array.isArray(raw) ? raw : [raw];
  const list: T[] = [];
  for (const value of values) {
    const converted = convert(value);
    if (converted === undefined) throw new InvalidRecipientList(`PUBLISH.Options.${key} must be a list of ${what}`);
    list.push(converted);
  }
  return list;
}

const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * The audience of a client PUBLISH: its lists, and the publisher left out
 * unless `exclude_me` is false; `undefined` for everyone. Throws
 * {@link InvalidRecipientList} for a malformed list, rather than widening the
 * audience by ignoring it.
 */
export function clientAudience(options: Dict, publisher: Session): AudienceSpec | undefined {
  const spec: Mutable<AudienceSpec> = {};
  const lists = [
    ['eligible', listOption(options, 'eligible', toId, 'session ids')],
    ['eligibleAuthids', listOption(options, 'eligible_authid', asString, 'authids')],
    ['eligibleAuthroles', listOption(options, 'eligible_authrole', asString, 'authroles')],
    ['exclude', listOption(options, 'exclude', toId, 'session ids')],
    ['excludeAuthids', listOption(options, 'exclude_authid', asString, 'authids')],
    ['excludeAuthroles', listOption(options, 'exclude_authrole', asString, 'authroles')],
  ] as const;
  let restricted = false;
  for (const [key, list] of lists) {
    if (list === undefined) continue;
    (spec as Record<string, unknown>)[key] = list;
    restricted = true;
  }
  if (options['exclude_me'] !== false) {
    spec.exclude = [...(spec.exclude ?? []), publisher.id];
    restricted = true;
  }
  return restricted ? spec : undefined;
}

const has = <T>(set: ReadonlySet<T> | undefined, value: T): boolean => set !== undefined && set.has(value);
const toSet = <T>(list: readonly T[] | undefined): ReadonlySet<T> | undefined => (list === undefined ? undefined : new Set(list));

/**
 * The predicate for `spec` and a local `filter`, built once per publication;
 * `undefined` when everyone is admitted, so that delivery skips the check.
 */
export function compileAudience(spec: AudienceSpec | undefined, filter?: RecipientFilter): RecipientFilter | undefined {
  if (spec === undefined) return filter;
  const eligible = toSet(spec.eligible);
  const eligibleAuthids = toSet(spec.eligibleAuthids);
  const eligibleAuthroles = toSet(spec.eligibleAuthroles);
  const exclude = toSet(spec.exclude);
  const excludeAuthids = toSet(spec.excludeAuthids);
  const excludeAuthroles = toSet(spec.excludeAuthroles);
  return (session) =>
    (eligible === undefined || eligible.has(session.id)) &&
    (eligibleAuthids === undefined || eligibleAuthids.has(session.authid)) &&
    (eligibleAuthroles === undefined || eligibleAuthroles.has(session.authrole)) &&
    !has(exclude, session.id) &&
    !has(excludeAuthids, session.authid) &&
    !has(excludeAuthroles, session.authrole) &&
    (filter === undefined || filter(session));
}

const KEYS = ['eligible', 'eligibleAuthids', 'eligibleAuthroles', 'exclude', 'excludeAuthids', 'excludeAuthroles'] as const;

/**
 * A canonical string for `spec` (lists sorted and de-duplicated), so that
 * equal audiences compare equal whatever their order or origin; `undefined`
 * for everyone. Event retention uses it to know which event replaces which.
 */
export function audienceKey(spec: AudienceSpec | undefined): string | undefined {
  if (spec === undefined) return undefined;
  const canonical: Record<string, unknown[]> = {};
  for (const key of KEYS) {
    const list = spec[key];
    if (list === undefined) continue;
    const values = [...new Set<unknown>(list)];
    canonical[key] = typeof values[0] === 'number' ? (values as number[]).sort((a, b) => a - b) : (values as string[]).sort();
  }
  return JSON.stringify(canonical);
}
