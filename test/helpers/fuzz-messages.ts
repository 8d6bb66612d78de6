/**
 * fast-check arbitraries for WAMP messages a client sends: well-formed ones,
 * and mutations that the spec makes invalid (every wrong type in every
 * position of every message type, missing and extra elements, type codes only
 * a router sends, wrong-typed known options), each knowing whether the server
 * must refuse it.
 */
import fc from 'fast-check';
import { encode, type Family } from './fuzz-codec.js';
import { hostileValues, mustRefuse, PLACEMENTS, splice } from './fuzz-hostile.js';

/** One message to send: its bytes, what it is, and whether the server must refuse it. */
export interface Item {
  readonly bytes: Buffer;
  readonly label: string;
  readonly refuse: boolean;
  /** The request id an ERROR refusing it would carry. */
  readonly requestId?: number | undefined;
}

type Kind = 'id' | 'uri' | 'dict' | 'list' | 'kwargs' | 'str' | 'type';

interface Schema {
  readonly type: number;
  readonly name: string;
  readonly required: readonly Kind[];
  readonly optional: readonly Kind[];
}

/** Client-to-router messages (HELLO apart): the spec's element kinds after the type code. */
const SCHEMAS: readonly Schema[] = [
  { type: 3, name: 'ABORT', required: ['dict', 'uri'], optional: [] },
  { type: 5, name: 'AUTHENTICATE', required: ['str', 'dict'], optional: [] },
  { type: 6, name: 'GOODBYE', required: ['dict', 'uri'], optional: [] },
  { type: 8, name: 'ERROR', required: ['type', 'id', 'dict', 'uri'], optional: ['list', 'kwargs'] },
  { type: 16, name: 'PUBLISH', required: ['id', 'dict', 'uri'], optional: ['list', 'kwargs'] },
  { type: 32, name: 'SUBSCRIBE', required: ['id', 'dict', 'uri'], optional: [] },
  { type: 34, name: 'UNSUBSCRIBE', required: ['id', 'id'], optional: [] },
  { type: 48, name: 'CALL', required: ['id', 'dict', 'uri'], optional: ['list', 'kwargs'] },
  { type: 49, name: 'CANCEL', required: ['id', 'dict'], optional: [] },
  { type: 64, name: 'REGISTER', required: ['id', 'dict', 'uri'], optional: [] },
  { type: 66, name: 'UNREGISTER', required: ['id', 'id'], optional: [] },
  { type: 70, name: 'YIELD', required: ['id', 'dict'], optional: ['list', 'kwargs'] },
];

/** Message types only a router sends, and codes no WAMP message has. */
const NOT_FROM_CLIENTS = [2, 4, 17, 33, 35, 36, 50, 65, 67, 68, 69, 0, 7, 9, 255, 1024, -1, 1.5];

/** Known options, with values of the wrong type (the spec types them; a wrong type is a protocol error). */
const WRONG_OPTIONS: Record<number, Record<string, unknown[]>> = {
  16: {
    acknowledge: [1, 'true', []],
    exclude_me: [0, 'no'],
    // A lone value of the right type stands for a one-element list (wampy sends that; documented).
    exclude: ['hello', [1.5], ['a'], {}],
    exclude_authid: [7, [1]],
    exclude_authrole: [7, [null]],
    eligible: ['x', [-1], [{}]],
    eligible_authid: [123, [true]],
    eligible_authrole: [{}, [2]],
    retain: ['x', 1],
    disclose_me: ['yes'],
  },
  32: { match: [123, true, []], get_retained: ['yes', 1] },
  48: { timeout: ['abc', -5, 1.5, true, [], {}], receive_progress: [1, 'true'], disclose_me: [1] },
  49: { mode: ['explode', 123, null, ''] },
  64: { match: [123, {}], invoke: [5, true], disclose_caller: ['x'] },
  70: { progress: ['yes', 1] },
};

const URIS = ['math.add', 'fuzz.probe', 'fuzz.echo', 'topic.a', 'topic.b.c', 'no.such', 'wamp.session.count', 'com.x.y', 'wamp.close.normal'];

function conforms(kind: Kind, value: unknown): boolean {
  switch (kind) {
    case 'id':
      return (Number.isSafeInteger(value) && (value as number) >= 1) || value === 2 ** 53;
    case 'uri':
    case 'str':
      return typeof value === 'string';
    case 'dict':
    case 'kwargs':
      return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
    case 'list':
      return Array.isArray(value);
    case 'type':
      return Number.isSafeInteger(value);
  }
}

const plain = (binary: boolean): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
    { weight: 1, arbitrary: binary ? fc.uint8Array({ maxLength: 16 }) : fc.constant('\u0000AQID') },
    { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }) },
  );

/** A value that is wrong for `kind`: odd scalars, containers, binary, huge strings, large integers. */
function wrong(kind: Kind, binary: boolean): fc.Arbitrary<unknown> {
  const palette: unknown[] = [null, true, false, 0, -1, 1.5, -0.5, 2 ** 53 + 2, 1e300, '', 'x', '48', 'a'.repeat(70_000), [], [1, 'a'], {}, { a: 1 }, Uint8Array.of(1, 2, 3), 2n ** 63n];
  if (binary) palette.push(NaN, -0);
  return fc.oneof(fc.constantFrom(...palette), fc.jsonValue({ maxDepth: 2 })).filter((value) => !conforms(kind, value));
}

function valid(kind: Kind, binary: boolean): fc.Arbitrary<unknown> {
  switch (kind) {
    case 'id':
      return fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.constant(2 ** 53), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }));
    case 'uri':
      return fc.constantFrom(...URIS);
    case 'str':
      return fc.string({ maxLength: 44 });
    case 'dict':
      return fc.constantFrom({}, { acknowledge: true }, { receive_progress: true }, { timeout: 100 }, { match: 'prefix' }, { mode: 'kill' });
    case 'list':
      return fc.array(plain(binary), { maxLength: 4 });
    case 'kwargs':
      return fc.dictionary(fc.string({ maxLength: 8 }), plain(binary), { maxKeys: 3 });
    case 'type':
      return fc.constantFrom(48, 68, 16, 32);
  }
}

/** Hostile request ids are far from the well-formed messages' (1..1000) and the probe's. */
const hostileId = fc.integer({ min: 1_000_000_000, max: 2_000_000_000 });

function schemaValues(schema: Schema, binary: boolean): fc.Arbitrary<unknown[]> {
  return fc
    .tuple(fc.tuple(...schema.required.map((kind) => valid(kind, binary))), fc.integer({ min: 0, max: schema.optional.length }))
    .chain(([required, extra]) =>
      fc.tuple(...schema.optional.slice(0, extra).map((kind) => valid(kind, binary))).map((optional) => [schema.type, ...required, ...optional]),
    );
}

/** A well-formed message (it may still be refused, e.g. an unknown procedure). */
export function wellFormed(family: Family): fc.Arbitrary<Item> {
  const binary = family !== 'json';
  return fc
    .constantFrom(...SCHEMAS.filter((schema) => schema.type !== 3 && schema.type !== 6 && schema.type !== 5))
    .chain((schema) => schemaValues(schema, binary).map((message) => ({ bytes: encode(family, message), label: `well-formed ${schema.name}`, refuse: false })));
}

/** The index of the request id a router would answer an ERROR with, if the message has one. */
function requestIdIndex(type: number): number | undefined {
  return [16, 32, 34, 48, 49, 64, 66].includes(type) ? 1 : undefined;
}

/** A message the spec makes invalid, and that the server must therefore refuse. */
export function invalid(family: Family): fc.Arbitrary<Item> {
  const binary = family !== 'json';
  const schema = fc.constantFrom(...SCHEMAS);
  const withId = (schemaValue: Schema, message: unknown[], label: string): Item => {
    const index = requestIdIndex(schemaValue.type);
    const id = index === undefined ? undefined : message[index];
    return { bytes: encode(family, message), label, refuse: true, requestId: typeof id === 'number' ? id : undefined };
  };
  const wrongType = schema.chain((s) =>
    fc
      .tuple(schemaValues(s, binary), fc.nat(), hostileId)
      .chain(([message, at, id]) => {
        const position = 1 + (at % (message.length - 1));
        const kind = [...s.required, ...s.optional][position - 1]!;
        if (requestIdIndex(s.type) === 1 && position !== 1) message[1] = id;
        return wrong(kind, binary).map((value) => {
          const copy = [...message];
          copy[position] = value;
          return withId(s, copy, `${s.name} with a wrong ${kind} at ${position}`);
        });
      }),
  );
  const truncated = schema.chain((s) =>
    fc.tuple(schemaValues(s, binary), fc.nat()).map(([message, cut]) => withId(s, message.slice(0, 1 + (cut % s.required.length)), `${s.name} missing elements`)),
  );
  const extended = schema.chain((s) =>
    fc
      .tuple(fc.tuple(...[...s.required, ...s.optional].map((kind) => valid(kind, binary))), fc.array(plain(binary), { minLength: 1, maxLength: 3 }), hostileId)
      .map(([elements, extra, id]) => {
        const message = [s.type, ...elements, ...extra];
        if (requestIdIndex(s.type) === 1) message[1] = id;
        return withId(s, message, `${s.name} with extra elements`);
      }),
  );
  const routerOnly = fc
    .tuple(fc.constantFrom(...NOT_FROM_CLIENTS), fc.array(plain(binary), { maxLength: 5 }))
    .map(([type, rest]) => ({ bytes: encode(family, [type, ...rest]), label: `message type ${type} from a client`, refuse: true }));
  const notAList = wrong('list', binary).map((value) => ({ bytes: encode(family, value), label: 'a message that is not a list', refuse: true }));
  const wrongOption = fc
    .constantFrom(...Object.keys(WRONG_OPTIONS).map(Number))
    .chain((type) => {
      const options = WRONG_OPTIONS[type]!;
      const s = SCHEMAS.find((candidate) => candidate.type === type)!;
      return fc
        .tuple(schemaValues(s, binary), fc.constantFrom(...Object.keys(options)), hostileId)
        .chain(([message, key, id]) =>
          fc.constantFrom(...options[key]!).map((value) => {
            const copy = [...message];
            if (requestIdIndex(type) === 1) copy[1] = id;
            copy[2] = { [key]: value }; // Options is the third element of each of these messages
            return withId(s, copy, `${s.name} option ${key} of a wrong type`);
          }),
        );
    });
  return fc.oneof(wrongType, truncated, extended, routerOnly, notAList, wrongOption);
}

/** A hostile encoding (shared references, extensions, tags, bignums, depth, lengths, UTF-8) spliced into a message. */
export function hostile(family: Family): fc.Arbitrary<Item & { placement: string }> {
  return fc
    .tuple(fc.constantFrom(...hostileValues(family)), fc.constantFrom(...PLACEMENTS.filter((p) => p !== 'hello')), hostileId)
    .map(([value, placement, id]) => ({
      bytes: splice(family, placement, value.bytes, id),
      label: `${value.label} as ${placement}`,
      refuse: mustRefuse(value, placement),
      requestId: placement === 'id' || placement === 'whole' ? undefined : id,
      placement,
    }));
}

/** Bytes no serializer reads as a message, and bit flips of a well-formed one (which may still be valid). */
export function garbage(family: Family): fc.Arbitrary<Item> {
  const random = fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => ({ bytes: Buffer.from(bytes), label: 'random bytes', refuse: true }));
  const flipped = fc.tuple(wellFormed(family), fc.nat(), fc.integer({ min: 0, max: 7 })).map(([item, at, bit]) => {
    const bytes = Buffer.from(item.bytes);
    bytes[at % bytes.length]! ^= 1 << bit;
    return { bytes, label: `bit flip of a ${item.label}`, refuse: false };
  });
  return fc.oneof(random, flipped);
}

/** HELLO: usually a good one; sometimes with a hostile value or a wrong type in it (then it must be refused). */
export function hello(family: Family): fc.Arbitrary<Item | undefined> {
  const roles = { caller: {}, callee: {}, publisher: {}, subscriber: {} };
  const good = fc.constant({ bytes: encode(family, [1, 'realm1', { roles }]), label: 'HELLO', refuse: false });
  const wrongHello = fc.oneof(
    wrong('uri', family !== 'json').map((realm) => [1, realm, { roles }]),
    wrong('dict', family !== 'json').map((details) => [1, 'realm1', details]),
    fc.constantFrom<unknown>({}, [], 'caller', null).map((badRoles) => [1, 'realm1', { roles: badRoles }]),
    fc.constantFrom<unknown>('wampcra', [1], {}).map((methods) => [1, 'realm1', { roles, authmethods: methods }]),
    fc.constantFrom<unknown>(1, [], {}).map((authid) => [1, 'realm1', { roles, authid }]),
  );
  const invalidHello = wrongHello.map((message) => ({ bytes: encode(family, message), label: 'HELLO with a wrong type', refuse: true }));
  const hostileHello = fc.constantFrom(...hostileValues(family)).map((value) => ({
    bytes: splice(family, 'hello', value.bytes, 0),
    label: `HELLO with ${value.label} as authextra`,
    refuse: mustRefuse(value, 'hello'),
  }));
  return fc.oneof({ weight: 12, arbitrary: good }, { weight: 1, arbitrary: invalidHello }, { weight: 1, arbitrary: hostileHello }, { weight: 1, arbitrary: fc.constant(undefined) });
}
