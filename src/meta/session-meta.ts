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
import type { SessionDirectory } from '../session-directory.js';

/** The topics meta events are published on. */
export const SessionMetaTopic = {
  ON_JOIN: 'wamp.session.on_join',
  ON_LEAVE: 'wamp.session.on_leave',
} as const;

/** What the meta API reports about a session (`wamp.session.get`, `on_join`). */
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
 * directory of that realm's live sessions.
 */
export function sessionMetaRoutes(sessions: SessionDirectory): { procedures: RPCRouteSet; topics: TopicRouteSet } {
  const find = (id: unknown, caller: Session): Session => {
    const session = lookup(sessions, id);
    if (session === undefined || session === caller) throw noSuchSession(id);
    return session;
  };
  const killAll = (caller: Session, kwargs: Readonly<Dict>, selected: Iterable<Session>): number[] => {
    const { reason, message } = closeReason(kwargs);
    const killed: number[] = [];
    for (const session of [...selected]) {
      if (session === caller) continue;
      killed.push(session.id);
      session.close(reason, message);
    }
    return killed;
  };

  const procedures = new RPCRouteSet();
  procedures.route('wamp.session.count', ({ args }) => {
    const query = roleQuery(args[0]);
    return query.authroles === undefined ? sessions.size : sessions.query(query).length;
  });
  procedures.route('wamp.session.list', ({ args }) => [sessions.query(roleQuery(args[0])).map((session) => session.id)]);
  procedures.route('wamp.session.get', ({ args }) => {
    const session = lookup(sessions, args[0]);
    if (session === undefined) throw noSuchSession(args[0]);
    return [sessionDetails(session)];
  });
  procedures.route('wamp.session.kill', ({ args, kwargs, session }) => {
    const target = find(args[0], session);
    const { reason, message } = closeReason(kwargs);
    target.close(reason, message);
  });
  procedures.route('wamp.session.kill_by_authid', ({ args, kwargs, session }) => [
    killAll(session, kwargs, typeof args[0] === 'string' ? sessions.query({ authid: args[0] }) : []),
  ]);
  procedures.route('wamp.session.kill_by_authrole', ({ args, kwargs, session }) =>
    killAll(session, kwargs, typeof args[0] === 'string' ? sessions.query({ authroles: [args[0]] }) : []).length,
  );
  procedures.route('wamp.session.kill_all', ({ kwargs, session }) => killAll(session, kwargs, sessions.values()).length);

  const topics = new TopicRouteSet();
  topics.route(SessionMetaTopic.ON_JOIN, {});
  topics.route(SessionMetaTopic.ON_LEAVE, {});
  return { procedures, topics };
}
