/**
 * The WAMP session meta API (spec "Session Meta API"), opt-in per realm: the
 * procedures `wamp.session.count/list/get/kill/kill_by_authid/
 * kill_by_authrole/kill_all` and the events `wamp.session.on_join` and
 * `wamp.session.on_leave`. Who may use them is the realm authorizer's call.
 * @module
 */
import { WampError } from '../errors.js';
import { TopicRouteSet } from '../events/topic-route-set.js';
import type { Dict } from '../protocol/messages.js';
import { isValidURI } from '../protocol/uri.js';
import { WampURI } from '../protocol/uris.js';
import { RPCRouteSet } from '../rpc/route-set.js';
import type { Session } from '../model/session.js';
import type { SessionDirectory, SessionQuery } from '../session-directory.js';
import type { ClusterMeta } from './cluster-meta.js';

/**
 * The topics meta events are published on.
 *
 * @example
 * ```ts
 * import { SessionMetaTopic } from 'serverwamp';
 *
 * // Session meta events tell who joins and leaves: only staff may watch them.
 * admins.enableSessionMetaAPI().setAuthorizer(({ session, action, uri }) =>
 *   action !== 'subscribe' || (uri !== SessionMetaTopic.ON_JOIN && uri !== SessionMetaTopic.ON_LEAVE) || session.authrole === 'staff',
 * );
 * ```
 */
export const SessionMetaTopic = {
  /** Published with the session's details after a session is welcomed. */
  ON_JOIN: 'wamp.session.on_join',
  /** Published with `[session, authid, authrole]` when a session ends. */
  ON_LEAVE: 'wamp.session.on_leave',
} as const;

/**
 * What the meta API reports about a session (`wamp.session.get`, `on_join`).
 *
 * @example
 * ```ts
 * routes.route('me.details', ({ session }) => sessionDetails(session)); // { session, authid, authrole, … }
 * ```
 */
export function sessionDetails(session: Session): Dict {
  const info = session.transportInfo;
  return {
    session: session.id,
    authid: session.authid,
    authrole: session.authrole,
    authmethod: session.authmethod,
    authprovider: session.authprovider,
    transport: { type: info.transport, protocol: info.protocol, peer: `${info.peerAddress}:${String(info.peerPort ?? '')}` },
  };
}

/** The payload of `wamp.session.on_leave`: `[session, authid, authrole]`, as the spec and nexus send it. */
export function leaveArgs(session: Session): unknown[] {
  return [session.id, session.authid, session.authrole];
}

function roleQuery(value: unknown): { authroles?: string[] } {
  if (value === undefined || value === null) return {};
  if (!Array.isArray(value) || !value.every((role) => typeof role === 'string')) {
    throw new WampError(WampURI.INVALID_ARGUMENT, { args: ['filter_authroles must be a list of authroles'] });
  }
  return { authroles: value as string[] };
}

function closeReason(kwargs: Readonly<Dict>): { reason: string; message: string | undefined } {
  const reason = kwargs['reason'] ?? WampURI.CLOSE_KILLED;
  const message = kwargs['message'];
  if (typeof reason !== 'string' || !isValidURI(reason)) {
    throw new WampError(WampURI.INVALID_URI, { args: ['reason must be a valid URI'] });
  }
  if (message !== undefined && typeof message !== 'string') {
    throw new WampError(WampURI.INVALID_ARGUMENT, { args: ['message must be a string'] });
  }
  return { reason, message };
}

/** The session `id` names, if it is in `sessions`; ids are numbers, anything else names none. */
function lookup(sessions: SessionDirectory, id: unknown): Session | undefined {
  return typeof id === 'number' ? sessions.get(id) : undefined;
}

function noSuchSession(id: unknown): WampError {
  return new WampError(WampURI.NO_SUCH_SESSION, { args: [`no session ${typeof id === 'number' ? id : 'with that id'}`] });
}

/**
 * The meta API's procedures and topics for one realm, answered from the
 * directory of that realm's live sessions on this node and, when `cluster`
 * returns one (the application has a backplane that reaches other nodes),
 * from every other node too.
 */
export function sessionMetaRoutes(
  sessions: SessionDirectory,
  cluster: () => ClusterMeta | undefined = () => undefined,
): { procedures: RPCRouteSet; topics: TopicRouteSet } {
  const find = (id: unknown, caller: Session): Session | undefined => {
    const session = lookup(sessions, id);
    if (session === caller) throw noSuchSession(id);
    return session;
  };
  const killAll = (caller: Session, reason: string, message: string | undefined, selected: Iterable<Session>): number[] => {
    const killed: number[] = [];
    for (const session of [...selected]) {
      if (session === caller) continue;
      killed.push(session.id);
      session.close(reason, message);
    }
    return killed;
  };
  const killEverywhere = async (caller: Session, kwargs: Readonly<Dict>, query: SessionQueryArg): Promise<number[]> => {
    const { reason, message } = closeReason(kwargs);
    const selected = query === undefined ? sessions.values() : query === null ? [] : sessions.query(query);
    const killed = killAll(caller, reason, message, selected);
    const remote = query === null ? [] : ((await cluster()?.killWhere(query, reason, message)) ?? []);
    return [...killed, ...remote];
  };
  const ids = async (query: { authroles?: string[] }): Promise<number[]> => [
    ...sessions.query(query).map((session) => session.id),
    ...((await cluster()?.list(query)) ?? []),
  ];

  const procedures = new RPCRouteSet();
  procedures.route('wamp.session.count', async ({ args }) => (await ids(roleQuery(args[0]))).length);
  procedures.route('wamp.session.list', async ({ args }) => [await ids(roleQuery(args[0]))]);
  procedures.route('wamp.session.get', async ({ args }) => {
    const session = lookup(sessions, args[0]);
    if (session !== undefined) return [sessionDetails(session)];
    const remote = typeof args[0] === 'number' ? await cluster()?.get(args[0]) : undefined;
    if (remote === undefined) throw noSuchSession(args[0]);
    return [remote];
  });
  procedures.route('wamp.session.kill', async ({ args, kwargs, session }) => {
    const target = find(args[0], session);
    const { reason, message } = closeReason(kwargs);
    if (target !== undefined) return void target.close(reason, message);
    const killed = typeof args[0] === 'number' ? await cluster()?.kill(args[0], reason, message) : false;
    if (killed !== true) throw noSuchSession(args[0]);
  });
  procedures.route('wamp.session.kill_by_authid', async ({ args, kwargs, session }) => [
    await killEverywhere(session, kwargs, typeof args[0] === 'string' ? { authid: args[0] } : null),
  ]);
  procedures.route('wamp.session.kill_by_authrole', async ({ args, kwargs, session }) =>
    (await killEverywhere(session, kwargs, typeof args[0] === 'string' ? { authroles: [args[0]] } : null)).length,
  );
  procedures.route('wamp.session.kill_all', async ({ kwargs, session }) => (await killEverywhere(session, kwargs, undefined)).length);

  const topics = new TopicRouteSet();
  topics.route(SessionMetaTopic.ON_JOIN, {});
  topics.route(SessionMetaTopic.ON_LEAVE, {});
  return { procedures, topics };
}

/** Which sessions a kill selects: a query, every session (undefined), or none (null: a malformed argument). */
type SessionQueryArg = SessionQuery | undefined | null;
