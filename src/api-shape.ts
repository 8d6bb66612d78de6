/**
 * The shape of a typed API, as route sets record it at the type level and
 * the client facade (`serverwamp/client`) reads it. Types only: nothing here
 * exists at run time, so the browser bundle of the facade carries none of the
 * server (docs/typed-client.md).
 * @module
 */

/** A RESULT, EVENT or progress payload: positional and keyword arguments. */
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
 */
export interface ListResult {
  /** Never set: its name is the compiler's message when such a procedure is passed to `call`. */
  readonly 'serverwamp: this procedure returns positional arguments; call it with callResult': never;
}

/** One procedure as its callers see it. */
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

/** What a typed application offers its clients: procedures and topics. */
export interface APIShape<Procedures extends object = ProcedureMap, Topics extends object = TopicMap> {
  /** Each procedure's {@link ProcedureSpec}, by URI. */
  readonly procedures: Procedures;
  /** Each typed topic's event (the EVENT's keyword arguments), by URI. */
  readonly topics: Topics;
}

/**
 * The URIs a wildcard pattern matches, as a template literal type: each empty
 * component is `${string}` (which, unlike the router, also matches dots).
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
