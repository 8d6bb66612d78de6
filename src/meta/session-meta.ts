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

function roleFilter(value: unknown): ((session: Session) => boolean) | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((role) => typeof role === 'string')) {
    throw new WampError(WampURI.INVALID_ARGUMENT, { args: ['filter_authroles must be a list of authroles'] });
  }
  const roles = new Set(value as string[]);
  return (session) => roles.has(session.authrole);
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

/**
 * The meta API's procedures and topics for one realm, given the live sessions
 * of that realm.
 */
export function sessionMetaRoutes(sessions: () => Iterable<Session>): { procedures: RPCRouteSet; topics: TopicRouteSet } {
  const find = (id: unknown, caller: Session): Session => {
    for (const session of sessions()) if (session.id === id && session !== caller) return session;
    throw new WampError(WampURI.NO_SUCH_SESSION, { args: [`no session ${String(id)}`] });
  };
  const killAll = (caller: Session, kwargs: Readonly<Dict>, select: (session: Session) => boolean): number[] => {
    const { reason, message } = closeReason(kwargs);
    const killed: number[] = [];
    for (const session of [...sessions()]) {
      if (session === caller || !select(session)) continue;
      killed.push(session.id);
      session.close(reason, message);
    }
    return killed;
  };

  const procedures = new RPCRouteSet();
  procedures.route('wamp.session.count', ({ args }) => {
    const select = roleFilter(args[0]);
    let count = 0;
    for (const session of sessions()) if (select === undefined || select(session)) count++;
    return count;
  });
  procedures.route('wamp.session.list', ({ args }) => {
    const select = roleFilter(args[0]);
    const ids: number[] = [];
    for (const session of sessions()) if (select === undefined || select(session)) ids.push(session.id);
    return [ids];
  });
  procedures.route('wamp.session.get', ({ args }) => {
    for (const candidate of sessions()) if (candidate.id === args[0]) return [sessionDetails(candidate)];
    throw new WampError(WampURI.NO_SUCH_SESSION, { args: [`no session ${String(args[0])}`] });
  });
  procedures.route('wamp.session.kill', ({ args, kwargs, session }) => {
    const target = find(args[0], session);
    const { reason, message } = closeReason(kwargs);
    target.close(reason, message);
  });
  procedures.route('wamp.session.kill_by_authid', ({ args, kwargs, session }) => [
    killAll(session, kwargs, (candidate) => candidate.authid === args[0]),
  ]);
  procedures.route('wamp.session.kill_by_authrole', ({ args, kwargs, session }) =>
    killAll(session, kwargs, (candidate) => candidate.authrole === args[0]).length,
  );
  procedures.route('wamp.session.kill_all', ({ kwargs, session }) => killAll(session, kwargs, () => true).length);

  const topics = new TopicRouteSet();
  topics.route(SessionMetaTopic.ON_JOIN, {});
  topics.route(SessionMetaTopic.ON_LEAVE, {});
  return { procedures, topics };
}
