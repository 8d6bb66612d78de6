/**
 * The types of the `Options`/`Details` keys the spec defines for each message
 * a client sends, checked once in the protocol layer so that a wrong type is
 * a protocol violation wherever it is later read (and whatever else the
 * message asks for, e.g. `acknowledge`). Keys the spec does not define here
 * are ignored, as the spec requires ("Attributes unknown to an implementation
 * MUST be ignored").
 * @module
 */
import { toId } from './ids.js';
import type { Dict } from './messages.js';
import { isValidURI } from './uri.js';

/** A value check and what it expects, in words safe to show the peer. */
export interface OptionRule {
  readonly valid: (value: unknown) => boolean;
  readonly expected: string;
}

/** The rules of one dict, by key; a Map, so a key such as `__proto__` is just a miss. */
export type OptionSpec = ReadonlyMap<string, OptionRule>;

const bool: OptionRule = { valid: (v) => typeof v === 'boolean', expected: 'a bool' };
const string: OptionRule = { valid: (v) => typeof v === 'string', expected: 'a string' };
const dict: OptionRule = { valid: isPlainDict, expected: 'a dict' };
const uri: OptionRule = { valid: (v) => typeof v === 'string' && isValidURI(v), expected: 'a URI' };

function isPlainDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

function oneOf(...values: string[]): OptionRule {
  return { valid: (v) => typeof v === 'string' && values.includes(v), expected: `one of ${values.join(', ')}` };
}

/** `integer` in the spec: decoders may deliver a large one as a BigInt. */
const nonNegativeInteger: OptionRule = {
  valid: (v) => (typeof v === 'number' ? Number.isInteger(v) && v >= 0 : typeof v === 'bigint' && v >= 0n),
  expected: 'a non-negative integer',
};

/**
 * A `list[…]` option. Wampy sends a one-element list as the lone value, so a
 * single element of the right type is accepted too (a documented leniency).
 */
function listOf(element: (v: unknown) => boolean, what: string): OptionRule {
  return {
    valid: (v) => (Array.isArray(v) ? v.every(element) : element(v)),
    expected: `a list of ${what}`,
  };
}

const ids = listOf((v) => toId(v) !== undefined, 'session ids');
const strings = (what: string): OptionRule => listOf((v) => typeof v === 'string', what);

const CALL_PROGRESS: OptionRule = {
  // Progressive call invocations are not announced by this router: a client must not use them.
  valid: (v) => v === false,
  expected: 'false (progressive call invocations are not supported by this router)',
};

/** The known roles of a client, and what their dicts may hold. */
const ROLE_NAMES: ReadonlySet<string> = new Set(['caller', 'callee', 'publisher', 'subscriber']);

/** What `HELLO.Details.roles` must be: a dict naming at least one known role, each role a dict. */
export function rolesProblem(roles: unknown): string | undefined {
  if (!isPlainDict(roles)) return 'HELLO.Details.roles must be a dict of the roles the client plays';
  let known = 0;
  for (const name in roles) {
    if (!ROLE_NAMES.has(name)) continue;
    known++;
    const role = roles[name];
    if (!isPlainDict(role)) return `HELLO.Details.roles.${name} must be a dict`;
    const features = role['features'];
    if (features === undefined) continue;
    if (!isPlainDict(features)) return `HELLO.Details.roles.${name}.features must be a dict`;
    for (const feature in features) {
      if (typeof features[feature] !== 'boolean') return `HELLO.Details.roles.${name}.features values must be bools`;
    }
  }
  return known === 0 ? 'HELLO.Details.roles must announce at least one of caller, callee, publisher, subscriber' : undefined;
}

function spec(entries: Record<string, OptionRule>): OptionSpec {
  return new Map(Object.entries(entries));
}

/** Payload passthru mode keys (not supported here, but their type is the spec's). */
const PPT = { ppt_scheme: string, ppt_serializer: string, ppt_cipher: string, ppt_keyid: string };

/** The option specs of the client messages, by the field they check. */
export const OptionSpecs = {
  HELLO: spec({
    agent: string,
    authid: string,
    authrole: string,
    authmethods: { valid: (v) => Array.isArray(v) && v.every((m) => typeof m === 'string'), expected: 'a list of strings' },
    authextra: dict,
  }),
  /** What the cryptosign authenticator reads; autobahn sends `channel_binding: null` for none. */
  HELLO_AUTHEXTRA: spec({
    pubkey: string,
    channel_binding: { valid: (v) => v === null || typeof v === 'string', expected: 'a string or null' },
  }),
  AUTHENTICATE: spec({}),
  ABORT: spec({ message: string }),
  GOODBYE: spec({ message: string }),
  ERROR: spec({ ...PPT }),
  PUBLISH: spec({
    acknowledge: bool,
    exclude_me: bool,
    disclose_me: bool,
    retain: bool,
    exclude: ids,
    exclude_authid: strings('authids'),
    exclude_authrole: strings('authroles'),
    eligible: ids,
    eligible_authid: strings('authids'),
    eligible_authrole: strings('authroles'),
    ...PPT,
  }),
  // An unknown `match` string is answered with an ERROR by the broker/registry (a policy this router lacks);
  // anything but a string is malformed.
  SUBSCRIBE: spec({ match: string, get_retained: bool }),
  CALL: spec({ timeout: nonNegativeInteger, receive_progress: bool, disclose_me: bool, progress: CALL_PROGRESS, ...PPT }),
  CANCEL: spec({ mode: oneOf('skip', 'kill', 'killnowait') }),
  REGISTER: spec({
    match: string,
    invoke: oneOf('single', 'roundrobin', 'random', 'first', 'last'),
    disclose_caller: bool,
    force_reregister: bool,
    forward_timeout: bool,
  }),
  YIELD: spec({ progress: bool, ...PPT }),
} as const;

/** Also checked: the URIs of ERROR, ABORT and GOODBYE (loosely: the router's own setting applies elsewhere). */
export const uriRule = uri;

/**
 * The first problem of `value` against `rules`, in words naming the field
 * (never the client's value), or `undefined`. Costs nothing for an empty dict.
 */
export function optionProblem(rules: OptionSpec, value: Dict, field: string): string | undefined {
  for (const key in value) {
    const rule = rules.get(key);
    // CBOR and msgpack can carry `undefined`: the same as an absent key.
    if (rule !== undefined && value[key] !== undefined && !rule.valid(value[key])) return `${field}.${key} must be ${rule.expected}`;
  }
  return undefined;
}
