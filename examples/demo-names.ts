/**
 * Names for the demo's chat and its list of who is online. A client asks for
 * a name as the `authid` of its HELLO (autobahn-js: `authid: 'ann'`; wampy
 * also needs `authmethods: ['anonymous']` and an `onChallenge`, never
 * called); the session stays anonymous, the name is only a label. A client
 * that names nobody is a numbered guest.
 */
import { randomInt } from 'node:crypto';
import type { AuthenticationHandler, Authorizer } from '../src/index.js';

const NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,31}$/u;

/** Whether `name` may name a chat user: 1 to 32 letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit. */
export function isChatName(name: string): boolean {
  return NAME.test(name);
}

/** Welcomes every session, named as it asked (or `guest-<n>`); refuses one whose name breaks the rule, saying which rule. */
export const admitByName: AuthenticationHandler = (session) => {
  const asked = session.authid;
  if (asked !== undefined && !isChatName(asked)) {
    // The name itself is not echoed: it is the client's, of any length.
    session.abort('demo.error.invalid_name', 'a name is 1 to 32 letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit');
    return;
  }
  session.markAuthenticated({
    authid: asked ?? `guest-${randomInt(10_000)}`,
    authrole: 'anonymous',
    authmethod: 'anonymous',
    authprovider: 'static',
  });
};

/** The meta procedures a page needs to list who is online; the kills stay closed to demo users. */
const OPEN_META = new Set(['wamp.session.count', 'wamp.session.list', 'wamp.session.get']);

export const presenceAuthorizer: Authorizer = ({ action, uri }) => {
  if (!uri.startsWith('wamp.')) return true;
  if (action === 'call') return OPEN_META.has(uri);
  return action === 'subscribe';
};
