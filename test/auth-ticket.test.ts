import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Application, constantTimeEqual, Realm } from '../src/index.js';
import { AUTH_CLIENTS, join, recordingLogger, refusal } from './helpers/auth.js';
import { serve } from './helpers/server.js';

const TICKETS: Record<string, string> = { alice: 'alice-ticket-7f3a', bob: 'bob-ticket-19c2' };

function ticketApp(logger = recordingLogger()): Application {
  const app = new Application({ logger });
  app.setTicketAuthenticator((session, ticket) => {
    const expected = session.authid === undefined ? undefined : TICKETS[session.authid];
    if (expected === undefined || !constantTimeEqual(ticket, expected)) return undefined;
    return { authrole: session.authid === 'alice' ? 'admin' : 'user', since: 2020 };
  });
  return app;
}

describe('ticket authentication', () => {
  for (const kind of AUTH_CLIENTS) {
    describe(`${kind.client}/${kind.serializer}`, () => {
      it('welcomes a client with the right ticket, with the role the authenticator chose', async (t) => {
        const { url } = await serve(ticketApp(), t);
        const challenges: unknown[] = [];
        const joined = await join(url, kind, {
          authid: 'alice',
          authmethods: ['ticket'],
          onChallenge: (method, extra) => {
            challenges.push([method, extra]);
            return TICKETS['alice']!;
          },
        });
        assert.deepEqual(challenges, [['ticket', {}]]);
        assert.equal(joined.details['authid'], 'alice');
        assert.equal(joined.details['authrole'], 'admin');
        assert.equal(joined.details['authmethod'], 'ticket');
        assert.equal(joined.details['authprovider'], 'dynamic');
        await joined.close();
      });

      it('refuses a wrong ticket with wamp.error.authentication_failed', async (t) => {
        const logger = recordingLogger();
        const { url } = await serve(ticketApp(logger), t);
        const refused = await refusal(url, kind, { authid: 'bob', authmethods: ['ticket'], onChallenge: () => 'guess-1234' });
        assert.deepEqual(refused, { reason: 'wamp.error.authentication_failed', message: 'authentication failed' });
        assert.ok(!logger.records.some((record) => record.includes('guess-1234')), 'the ticket must not be logged');
      });
    });
  }

  it('refuses a client that offers no method the realm accepts with wamp.error.no_matching_auth_method', async (t) => {
    const { url } = await serve(ticketApp(), t);
    const refused = await refusal(url, AUTH_CLIENTS[0]!, { authid: 'alice', authmethods: ['wampcra'], onChallenge: () => 'x' });
    assert.equal(refused.reason, 'wamp.error.no_matching_auth_method');
    const anonymous = await refusal(url, AUTH_CLIENTS[0]!);
    assert.equal(anonymous.reason, 'wamp.error.no_matching_auth_method');
  });

  it('does not run the ticket authenticator of another realm', async (t) => {
    const app = ticketApp();
    app.addRealm(new Realm('open'));
    const { url } = await serve(app, t);
    const joined = await join(url, AUTH_CLIENTS[2]!, { realm: 'open' });
    assert.equal(joined.details['authmethod'], 'anonymous');
    await joined.close();
  });
});
