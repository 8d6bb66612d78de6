// The hidden prelude of the docs' code blocks (scripts/check-snippets.mjs): the application's own
// objects that a fragment uses without setting them up, the way a page's prose introduces them.
// Only the reader's objects live here: every serverwamp name a block uses, it imports itself, so
// a block pasted into a project needs only these. A block that declares one of these names
// itself shadows it (each block is a module).

/** The application the page is configuring (docs/application.md). */
declare const app: import('serverwamp').Application;
/** Route sets and realms as the pages create them. */
declare const routes: import('serverwamp').RPCRouteSet;
declare const events: import('serverwamp').TopicRouteSet;
declare const realm: import('serverwamp').Realm;
declare const admins: import('serverwamp').Realm;
declare const registrationApi: import('serverwamp').RPCRouteSet;
declare const accountApi: import('serverwamp').RPCRouteSet;
declare const adminApi: import('serverwamp').RPCRouteSet;
/** A session and a call the surrounding prose talks about. */
declare const session: import('serverwamp').Session;
declare const request: import('serverwamp').RPCRequest;
declare const sessionIdOnB: number;
declare const id: number;

/** The application's HTTP side. */
declare const server: import('node:http').Server;
declare const httpServer: import('node:http').Server;
declare const myHttpHandler: import('node:http').RequestListener;
declare const router: {
  get(path: string, handler: (request: unknown, response: { status(code: number): { json(body: unknown): void } }) => void): void;
};

/** The application's own data and services. */
interface User {
  name: string;
  email: string;
  role: string;
  craKey: string;
  salt: string;
}
interface Database {
  readFile(name: string, options: { signal: AbortSignal }): Promise<string>;
}
declare function openDatabase(): Database;
declare const users: {
  load(authid: string | undefined): Promise<User>;
  find(authid: string | undefined): Promise<User | undefined>;
  profile(authid: string | undefined): Promise<User>;
  check(authid: string | undefined, password: unknown, code: unknown): Promise<boolean>;
  saveLastSeen(user: User | undefined): Promise<void>;
  byToken(token: string): Promise<User | undefined>;
};
/** A framework's login sessions and password check (docs/serving-node-frameworks.md, serving-fastify.md). */
declare const loginSessions: { get(sid: string): string | undefined; issue(user: string): string };
declare function checkPassword(request: unknown): string;
/** A Fastify instance (docs/serving-fastify.md). */
declare const fastify: import('fastify').FastifyInstance;
declare const webSessions: { get(sid: string | undefined): Promise<User | undefined> };
declare const apiTokens: { forUser(authid: string | undefined): Promise<string | undefined> };
declare const devices: { byPublicKey(pubkey: string): Promise<{ name: string } | undefined> };
declare const permissions: { allows(authid: string, action: string, uri: string): Promise<boolean> };
declare const customerCookieAuth: import('serverwamp').TransportAuthenticator;
declare const adminTokenAuth: import('serverwamp').TicketAuthenticator;
declare const documents: { update(id: string, body: string): void };
declare const files: { delete(ids: string[]): Promise<void> };
declare const store: { save(authid: string, value: unknown): void };
declare const score: { home: number; away: number };
declare const log: { debug(fields: object, message: string): void };
declare const tracerProvider: import('@opentelemetry/api').TracerProvider;

/** Values the TSDoc examples in src/ take as given. */
declare const offered: string[];
declare const transportInfo: import('serverwamp/adapter').TransportInfo;
declare const adminToken: string;
declare const pubkey: string;
declare const challenge: string;
declare const signature: string;
declare const challengeString: string;
declare const sessions: { byCookie(sid: string | undefined): Promise<User | undefined> };
declare const socket: import('node:stream').Duplex;
declare const tokens: { get(ticket: string): Promise<User | undefined> };
declare const metrics: { increment(name: string, labels: object): void };
declare const subscribers: Set<import('serverwamp').Session>;
declare const response: import('node:http').ServerResponse;
declare const ids: string[];
declare const docId: string;
declare const price: number;
declare const symbol: string;
declare const tcpServer: import('node:net').Server;
declare const expressApp: import('node:http').RequestListener;
declare const readFile: typeof import('node:fs/promises').readFile;

/** A host of serverwamp/web's generic endpoint (docs/serving-web.md). */
declare const host: {
  acceptWebSocket(request: Request, options: { protocol: string }): { socket: WebSocket; response: Response };
};

/** Bun and Deno, as far as the pages use them (their own type packages are not installed here). */
declare const Bun: { serve(options: object): unknown };
declare const Deno: { serve(options: object, handler: (request: Request, info: never) => Response | Promise<Response>): unknown };

/** pino, which the logging page shows but serverwamp does not depend on. */
declare module 'pino' {
  export default function pino(): import('serverwamp').LoggerLike;
}

/** A Cloudflare Worker's bindings and Durable Object state (docs/serving-cloudflare.md); @cloudflare/workers-types names them so. */
interface Env {
  ROOMS: import('serverwamp/cloudflare').DurableObjectNamespaceLike;
}
type DurableObjectState = import('serverwamp/cloudflare').DurableObjectStateLike;
/** The application a page builds (a Worker makes one per Durable Object). */
declare function createApp(): import('serverwamp').Application;

/**
 * The typed client's example (docs/typed-client.md, src/client): the API types the page's
 * server/api.ts exports, inferred from real route sets in scripts/snippet-api.ts.
 */
type AppAPI = import('./snippet-api.js').AppAPI;
type ClientAPI = import('./snippet-api.js').ClientAPI;
/** The browser's typed view of its session, as the page sets it up. */
declare const api: import('serverwamp/client').TypedSession<AppAPI, ClientAPI>;
/** An autobahn-js Connection (autobahn ships no types): `onopen` receives the open Session. */
declare const connection: {
  onopen: ((session: import('../src/client/autobahn.js').AutobahnSession, details: object) => void) | null;
  open(): void;
};
/** The application's own pieces the example calls: its file and export services, UI and cancel button. */
declare function listFiles(folder: string): Promise<string[]>;
declare function steps(id: string): Iterable<number>;
declare function deleteFiles(ids: string[]): Promise<number>;
declare function show(from: string, text: string): void;
declare const bar: { set(percent: number): void };
declare const controller: AbortController;

/** exmisc (src/redis examples): the application's Redis backplane, as docs/scaling.md creates it (`redisBackplane({ client })`). */
declare const backplane: import('serverwamp/redis').RedisBackplane;
