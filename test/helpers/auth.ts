/**
 * Joining with credentials through the real clients, uniformly: each test
 * names the client and serializer, the credentials and how to answer a
 * CHALLENGE, and gets the WELCOME details or the ABORT reason and message.
 */
import WebSocket from 'ws';
import type { Logger } from '../../src/index.js';
import { connectAutobahn, connectWampy, type SerializerName } from './clients.js';

export interface ClientKind {
  client: 'autobahn' | 'wampy';
  serializer: SerializerName;
}

/** The clients auth is tested with: both, with JSON and msgpack. */
export const AUTH_CLIENTS: readonly ClientKind[] = [
  { client: 'autobahn', serializer: 'json' },
  { client: 'autobahn', serializer: 'msgpack' },
  { client: 'wampy', serializer: 'json' },
  { client: 'wampy', serializer: 'msgpack' },
];

export interface Credentials {
  realm?: string;
  authid?: string;
  authmethods?: string[];
  authextra?: Record<string, unknown>;
  /** Answers a CHALLENGE: the AUTHENTICATE signature. */
  onChallenge?: (method: string, extra: any) => string | Promise<string>;
  /** Extra HTTP headers on the upgrade (wampy only: autobahn uses the global WebSocket). */
  headers?: Record<string, string>;
}

export interface Joined {
  /** WELCOME.Details as the client reports them. */
  details: Record<string, any>;
  close(): Promise<void>;
}

export interface Refused {
  reason: string;
  message: string | undefined;
}

/** A `ws` constructor in the shape wampy calls (`url, protocols, null, headers`), sending `headers`. */
function webSocketWithHeaders(): unknown {
  return class extends WebSocket {
    constructor(url: string, protocols: string | string[], _options: unknown, headers: Record<string, string> | null) {
      super(url, protocols, { headers: headers ?? {} });
    }
  };
}

/** Joins with `kind`; resolves with the WELCOME details, or rejects with the client's error. */
export async function join(url: string, kind: ClientKind, credentials: Credentials = {}): Promise<Joined> {
  const { realm = 'realm1', authid, authmethods, authextra, onChallenge, headers } = credentials;
  if (kind.client === 'autobahn') {
    const options: Record<string, unknown> = { realm, serializer: kind.serializer };
    if (authid !== undefined) options['authid'] = authid;
    if (authmethods !== undefined) options['authmethods'] = authmethods;
    if (authextra !== undefined) options['authextra'] = authextra;
    if (onChallenge !== undefined) options['onchallenge'] = (_session: unknown, method: string, extra: unknown) => onChallenge(method, extra);
    const client = await connectAutobahn(url, options);
    return { details: client.details, close: () => client.close() };
  }
  const options: Record<string, unknown> = { realm, serializer: kind.serializer };
  if (authid !== undefined) Object.assign(options, { authid, authmethods, authextra: authextra ?? {}, onChallenge });
  if (headers !== undefined) Object.assign(options, { ws: webSocketWithHeaders(), additionalHeaders: headers });
  const wampy = await connectWampy(url, options);
  const details = (wampy as any)._cache.server_wamp_features as Record<string, any>;
  return {
    details,
    async close() {
      await wampy.disconnect();
    },
  };
}

/** Joins with `kind` expecting an ABORT; resolves with its reason and message. */
export async function refusal(url: string, kind: ClientKind, credentials: Credentials = {}): Promise<Refused> {
  let joined: Joined;
  try {
    joined = await join(url, kind, credentials);
  } catch (error: any) {
    if (kind.client === 'autobahn') return { reason: error.details?.reason, message: error.details?.message };
    return { reason: error.errorUri, message: error.details?.message };
  }
  await joined.close();
  throw new Error(`${kind.client} joined (as ${joined.details['authid']}) although a refusal was expected`);
}

/** A logger that keeps every record, to check what was (not) logged. */
export function recordingLogger(): Logger & { records: string[] } {
  const records: string[] = [];
  const log = (obj: unknown, msg?: string): void => {
    records.push(JSON.stringify(obj, (_key, value: unknown) => (value instanceof Error ? { message: value.message, stack: value.stack } : value)) + (msg ?? ''));
  };
  const logger: Logger & { records: string[] } = {
    records,
    debug: log,
    info: log,
    warn: log,
    error: log,
    child: () => logger,
  };
  return logger;
}

/** A promise with its resolve function, for authenticators a test holds open. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
