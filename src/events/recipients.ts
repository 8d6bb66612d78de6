/**
 * Who receives a publication: the WAMP subscriber black- and whitelisting
 * options of a client PUBLISH (`exclude`, `exclude_authid`,
 * `exclude_authrole`, `eligible`, `eligible_authid`, `eligible_authrole`),
 * publisher exclusion (`exclude_me`), and the server-side equivalents.
 * @module
 */
import { toId } from '../protocol/ids.js';
import type { Dict } from '../protocol/messages.js';
import type { RecipientOptions, Session } from '../model/session.js';

/** Decides whether a subscribed session receives a publication. */
export type RecipientFilter = (session: Session) => boolean;

/** A client's list option was not a list of the right type. */
export class InvalidRecipientList extends Error {
  override readonly name = 'InvalidRecipientList';
}

const everyone: RecipientFilter = () => true;

function idSet(sessions: Iterable<Session | number>): Set<number> {
  const ids = new Set<number>();
  for (const s of sessions) ids.add(typeof s === 'number' ? s : s.id);
  return ids;
}

/** The filter for server-side recipient options. */
export function serverRecipients(options: RecipientOptions): RecipientFilter {
  const eligible = options.eligible === undefined ? undefined : idSet(options.eligible);
  const exclude = options.exclude === undefined ? undefined : idSet(options.exclude);
  const filter = options.filter;
  if (eligible === undefined && exclude === undefined && filter === undefined) return everyone;
  return (session) =>
    (eligible === undefined || eligible.has(session.id)) &&
    (exclude === undefined || !exclude.has(session.id)) &&
    (filter === undefined || filter(session));
}

/** Reads one list option; wampy sends a lone value as itself, so a scalar counts as a one-element list. */
function listOption<T>(options: Dict, key: string, convert: (value: unknown) => T | undefined, what: string): Set<T> | undefined {
  if (!Object.hasOwn(options, key)) return undefined;
  const raw = options[key];
  if (raw === undefined || raw === null) return undefined;
  const values = Array.isArray(raw) ? raw : [raw];
  const set = new Set<T>();
  for (const value of values) {
    const converted = convert(value);
    if (converted === undefined) throw new InvalidRecipientList(`PUBLISH.Options.${key} must be a list of ${what}`);
    set.add(converted);
  }
  return set;
}

const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * The filter for a client PUBLISH's options. A receiver must be in every
 * `eligible*` list present and in no `exclude*` list; the publisher itself is
 * left out unless `exclude_me` is false. Throws {@link InvalidRecipientList}
 * for a malformed list, rather than widening the audience by ignoring it.
 */
export function clientRecipients(options: Dict, publisher: Session): RecipientFilter {
  const eligible = listOption(options, 'eligible', toId, 'session ids');
  const eligibleAuthid = listOption(options, 'eligible_authid', asString, 'authids');
  const eligibleAuthrole = listOption(options, 'eligible_authrole', asString, 'authroles');
  const exclude = listOption(options, 'exclude', toId, 'session ids');
  const excludeAuthid = listOption(options, 'exclude_authid', asString, 'authids');
  const excludeAuthrole = listOption(options, 'exclude_authrole', asString, 'authroles');
  const excludeMe = options['exclude_me'] !== false;
  return (session) =>
    !(excludeMe && session === publisher) &&
    (eligible === undefined || eligible.has(session.id)) &&
    (eligibleAuthid === undefined || eligibleAuthid.has(session.authid)) &&
    (eligibleAuthrole === undefined || eligibleAuthrole.has(session.authrole)) &&
    (exclude === undefined || !exclude.has(session.id)) &&
    (excludeAuthid === undefined || !excludeAuthid.has(session.authid)) &&
    (excludeAuthrole === undefined || !excludeAuthrole.has(session.authrole));
}

/** Server publications with a `filter` function: no two compare equal. */
let filterAudiences = 0;

function sortedKey(name: string, values: Iterable<unknown> | undefined): string {
  if (values === undefined) return '';
  const list = [...values].map((v) => JSON.stringify(v)).sort();
  return `${name}=[${list.join(',')}];`;
}

/**
 * The audience key of a server publication (see `Publication.audience`):
 * `undefined` for everyone, equal strings for equal `eligible`/`exclude`
 * sets, and a unique one for a `filter` function (it cannot be compared).
 */
export function serverAudience(options: RecipientOptions): string | undefined {
  if (options.eligible === undefined && options.exclude === undefined && options.filter === undefined) return undefined;
  if (options.filter !== undefined) return `filter#${++filterAudiences}`;
  const ids = (sessions: Iterable<Session | number> | undefined): number[] | undefined =>
    sessions === undefined ? undefined : [...idSet(sessions)];
  return `server:${sortedKey('eligible', ids(options.eligible))}${sortedKey('exclude', ids(options.exclude))}`;
}

const CLIENT_LISTS = ['eligible', 'eligible_authid', 'eligible_authrole', 'exclude', 'exclude_authid', 'exclude_authrole'] as const;

/**
 * The audience key of a client publication, computed only when it is to be
 * retained: `undefined` for everyone (no lists, and `exclude_me: false`).
 */
export function clientAudience(options: Dict, publisher: Session): string | undefined {
  let key = options['exclude_me'] !== false ? `client:me=${publisher.id};` : 'client:';
  let restricted = key !== 'client:';
  for (const name of CLIENT_LISTS) {
    if (!Object.hasOwn(options, name)) continue;
    const raw = options[name];
    if (raw === undefined || raw === null) continue;
    restricted = true;
    key += sortedKey(name, Array.isArray(raw) ? raw.map((v) => (typeof v === 'bigint' ? Number(v) : v)) : [raw]);
  }
  return restricted ? key : undefined;
}
