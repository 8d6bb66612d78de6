/**
 * The session meta API across the nodes of a cluster: {@link ClusterMeta},
 * what a realm's meta procedures ask of the other nodes (the application
 * implements it over its backplane), and {@link answerMeta}, how a node
 * answers such a question for its own sessions of the realm.
 * @module
 */
import { WampError } from '../errors.js';
import type { Session } from '../model/session.js';
import type { Dict } from '../protocol/messages.js';
import { WampURI } from '../protocol/uris.js';
import type { SessionDirectory, SessionQuery } from '../session-directory.js';

/** The other nodes' sessions of one realm, as the meta API sees them. Each method answers for every other live node. */
export interface ClusterMeta {
  /** The ids of the other nodes' sessions `query` selects. */
  list(query: SessionQuery): Promise<number[]>;
  /** The details of a session another node holds, if any (`wamp.session.get`). */
  get(id: number): Promise<Dict | undefined>;
  /** Closes a session another node holds; false if no node holds it. */
  kill(id: number, reason: string, message: string | undefined): Promise<boolean>;
  /** Closes the other nodes' sessions `query` selects (all when undefined); resolves to their ids. */
  killWhere(query: SessionQuery | undefined, reason: string, message: string | undefined): Promise<number[]>;
}

/** A question of another node's {@link ClusterMeta}, as plain data. */
export type MetaQuestion =
  | readonly ['list', string | null, readonly string[] | null]
  | readonly ['get', number]
  | readonly ['kill', number, string, string | null]
  | readonly ['killWhere', string | null, readonly string[] | null, string, string | null];

const malformed = (): WampError => new WampError(WampURI.INVALID_ARGUMENT, { args: ['malformed meta question'] });

function queryOf(authid: unknown, authroles: unknown): SessionQuery {
  if ((authid !== null && typeof authid !== 'string') || (authroles !== null && (!Array.isArray(authroles) || !authroles.every((r) => typeof r === 'string')))) {
    throw malformed();
  }
  return { ...(authid === null ? {} : { authid }), ...(authroles === null ? {} : { authroles: authroles as string[] }) };
}

const reasonOf = (reason: unknown, message: unknown): [string, string | undefined] => {
  if (typeof reason !== 'string' || (message !== null && typeof message !== 'string')) throw malformed();
  return [reason, message ?? undefined];
};

function noSuchSession(id: number): WampError {
  return new WampError(WampURI.NO_SUCH_SESSION, { args: [`no session ${id}`] });
}

/**
 * Answers another node's question about this node's sessions of a realm
 * (`sessions`: its meta directory; undefined when the realm does not serve
 * the meta API here, which then has no sessions to report).
 */
export function answerMeta(sessions: SessionDirectory | undefined, question: readonly unknown[], details: (session: Session) => Dict): unknown {
  const [what, a, b, c, d] = question;
  switch (what) {
    case 'list':
      return sessions === undefined ? [] : sessions.query(queryOf(a, b)).map((session) => session.id);
    case 'get':
    case 'kill': {
      if (typeof a !== 'number') throw malformed();
      const session = sessions?.get(a);
      if (session === undefined) throw noSuchSession(a);
      if (what === 'get') return details(session);
      session.close(...reasonOf(b, c));
      return null;
    }
    case 'killWhere': {
      const query = queryOf(a, b);
      const [reason, message] = reasonOf(c, d);
      if (sessions === undefined) return [];
      const selected = a === null && b === null ? [...sessions.values()] : sessions.query(query);
      for (const session of selected) session.close(reason, message);
      return selected.map((session) => session.id);
    }
    default:
      throw malformed();
  }
}
