/**
 * The shape of a typed API, as route sets record it at the type level and
 * the client facade (`serverwamp/client`) reads it. Types only: nothing here
 * exists at run time, so the browser bundle of the facade carries none of the
 * server (docs/typed-client.md).
 * @module
 */

/**
 * A RESULT, EVENT or progress payload, as the typed client (`serverwamp/client`)
 * hands it over: positional and keyword arguments, never absent (`[]` and `{}`).
 * `callResult` resolves to one, and a `subscribe` handler receives one after the event.
 *
 * @example
 * ```ts
 * import type { Payload } from 'serverwamp/client';
 *
 * const listing: Payload<string[]> = await api.callResult('files.list', { folder: '/docs' });
 * for (const name of listing.args) console.log(name);
 * await api.subscribe('chat.room', (event, payload: Payload) => console.log(payload.args, payload.kwargs));
 * ```
 */
export interface Payload<Args extends readonly unknown[] = readonly unknown[], Kwargs extends object = Readonly<Record<string, unknown>>> {
  /** The positional arguments (`[]` when the message carries none). */
  readonly args: Args;
  /** The keyword arguments (`{}` when the message carries none). */
  readonly kwargs: Kwargs;
}

/**
 * Marks a procedure whose result has no single-value form: it returns an
 * array (or an `RPCResult`), whose one-item form is indistinguishable on the
 * wire from a single value. `call` refuses it; `callResult` takes it.
 *
 * @example
 * ```ts
 * // files.list returns string[]: its ProcedureSpec's `value` is ListResult.
 * // @ts-expect-error -- the compiler says: '…' is not assignable to parameter of type
 * // '"serverwamp: this procedure returns positional arguments; call it with callResult"'
 * await api.call('files.list', { folder: '/docs' });
 * const { args: names } = await api.callResult('files.list', { folder: '/docs' }); // string[]
 * ```
 */
export interface ListResult {
  /** Never set: its name says what to do where the type shows (`call`'s parameter carries the same words). */
  readonly 'serverwamp: this procedure returns positional arguments; call it with callResult': never;
}

/**
 * One procedure as its callers see it: what they send and what they get back,
 * recorded by the route set and read by the typed client. `SpecOf` picks one from an API.
 *
 * @example
 * ```ts
 * import type { SpecOf } from 'serverwamp/client';
 *
 * type Add = SpecOf<AppAPI, 'math.add'>;                 // a ProcedureSpec
 * const kwargs: Add['kwargs'] = { number1: 2, number2: 3 }; // sent by name
 * const sum: Add['value'] = await api.call('math.add', kwargs); // number
 * ```
 */
export interface ProcedureSpec {
  /** What a caller sends by name: the parameters' schema input types. */
  readonly kwargs: object;
  /** What a caller sends by position. */
  readonly args: readonly unknown[];
  /** What `call` resolves to (the documented rule), or {@link ListResult}. */
  readonly value: unknown;
  /** What `callResult` resolves to: the RESULT's arguments, typed. */
  readonly result: Payload;
  /** What each progress report carries; `never` for a procedure that sends none. */
  readonly progress: Payload;
}

/** Procedures by URI (exact URIs, or template literal types for prefix and wildcard routes). */
type ProcedureMap = { readonly [uri: string]: ProcedureSpec };

/** Topics by URI: each one's event, carried as the EVENT's keyword arguments. */
type TopicMap = { readonly [uri: string]: object };

/**
 * What a typed application offers its clients: procedures and topics, by URI.
 * `InferAPI` builds one from route sets; the typed client and `typedCaller` read it.
 *
 * @example
 * ```ts
 * import type { APIShape } from 'serverwamp';
 *
 * // AppAPI = InferAPI<typeof mathRoutes, typeof topics>, exported by the server's api.ts
 * const isShape: AppAPI extends APIShape ? true : false = true;
 * type ProcedureURIs = keyof AppAPI['procedures'];  // 'math.add' | 'files.list' | 'export.run'
 * const event: AppAPI['topics']['chat.room'] = { from: 'ada', text: 'hello' };
 * ```
 */
export interface APIShape<Procedures extends object = ProcedureMap, Topics extends object = TopicMap> {
  /** Each procedure's {@link ProcedureSpec}, by URI. */
  readonly procedures: Procedures;
  /** Each typed topic's event (the EVENT's keyword arguments), by URI. */
  readonly topics: Topics;
}

/**
 * The URIs a wildcard pattern matches, as a template literal type: each empty
 * component is `${string}` (which, unlike the router, also matches dots). It is
 * how a `wildcardRoute` appears in the inferred API.
 *
 * @example
 * ```ts
 * import type { WildcardURI } from 'serverwamp';
 *
 * type ProfileURI = WildcardURI<'users..profile'>; // `users.${string}.profile`
 * const uri: ProfileURI = 'users.42.profile';
 * routes.wildcardRoute('users..profile', (request) => request.procedure);
 * ```
 */
export type WildcardURI<Pattern extends string> = Pattern extends `${infer Head}..${infer Tail}`
  ? `${Head}.${string}.${WildcardURI<Tail>}`
  : Pattern extends `.${infer Tail}`
    ? `${string}.${WildcardURI<Tail>}`
    : Pattern extends `${infer Head}.`
      ? `${Head}.${string}`
      : Pattern;

/** The procedures of an API type (none for anything else). */
export type ProceduresOf<API> = API extends { readonly procedures: infer P } ? P : Record<never, never>;
/** The typed topics of an API type (none for anything else). */
export type TopicsOf<API> = API extends { readonly topics: infer T } ? T : Record<never, never>;

/** What a function that answers nothing returns: a handler or client procedure declared `=> void` sends no value. */
// eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- `void` is how TypeScript types "returns nothing".
export type Nothing = undefined | void;
