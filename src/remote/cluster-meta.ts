/**
 * The {@link ClusterMeta} of one realm over remote sessions: questions about
 * a session by id go to the one node the registry names; questions about
 * many (count, list, kill by authid/authrole/all) go to each other live node
 * once, each answering for its own sessions. A node that does not answer
 * within {@link META_TIMEOUT_MS} is left out of the answer (and logged):
 * the meta API answers late nodes never hold up. Staleness: docs/scaling.md.
 * @module
 */
import { WampError } from '../errors.js';
import type { Backplane } from '../events/backplane.js';
import type { Logger } from '../logger.js';
import type { ClusterMeta, MetaQuestion } from '../meta/cluster-meta.js';
import type { Dict } from '../protocol/messages.js';
import { WampURI } from '../protocol/uris.js';
import type { SessionQuery } from '../session-directory.js';
import { isPlainObject } from './wire.js';
import type { RemoteSessions } from './remote-sessions.js';

/** How long a node's answer to a meta question is waited for, in ms. */
const META_TIMEOUT_MS = 2000;

const isId = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);

export function clusterMeta(realm: string, nodeId: string, backplane: Backplane, remote: RemoteSessions, logger: Logger): ClusterMeta {
  const ask = (node: string, question: MetaQuestion): Promise<unknown> => remote.request(node, 'meta', [realm, ...question], { timeout: META_TIMEOUT_MS });
  /** Asks every other live node; the ids they answer, those that failed left out. */
  const gather = async (question: MetaQuestion): Promise<number[]> => {
    const answers = await Promise.allSettled((backplane.nodes ?? []).map((node) => ask(node, question)));
    const ids: number[] = [];
    for (const answer of answers) {
      if (answer.status === 'fulfilled' && Array.isArray(answer.value)) ids.push(...answer.value.filter(isId));
      else logger.warn({ err: answer.status === 'rejected' ? String(answer.reason) : 'malformed answer', realm }, 'a node did not answer a session meta question');
    }
    return ids;
  };
  const holder = async (id: number): Promise<string | undefined> => {
    const node = await backplane.locateSession?.(id);
    return node === nodeId ? undefined : node;
  };
  const roles = (query: SessionQuery): readonly string[] | null => query.authroles ?? null;
  return {
    list: (query) => gather(['list', query.authid ?? null, roles(query)]),
    async get(id) {
      const node = await holder(id);
      if (node === undefined) return undefined;
      try {
        const details = await ask(node, ['get', id]);
        return isPlainObject(details) ? (details as Dict) : undefined;
      } catch (error) {
        if (error instanceof WampError && error.uri === WampURI.NO_SUCH_SESSION) return undefined;
        throw error;
      }
    },
    async kill(id, reason, message) {
      const node = await holder(id);
      if (node === undefined) return false;
      try {
        await ask(node, ['kill', id, reason, message ?? null]);
        return true;
      } catch (error) {
        if (error instanceof WampError && error.uri === WampURI.NO_SUCH_SESSION) return false;
        throw error;
      }
    },
    killWhere: (query, reason, message) =>
      gather(['killWhere', query?.authid ?? null, query === undefined ? null : roles(query), reason, message ?? null]),
  };
}
