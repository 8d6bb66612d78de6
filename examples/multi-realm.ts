/**
 * Breaking an application into realms, as in the original's docs: guests may
 * register without authenticating, customers are recognised by their session
 * cookie, admins present a ticket. Unknown realms are refused.
 * Run with `npx tsx examples/multi-realm.ts`; PORT and HOST override the address.
 */
import { Application, constantTimeEqual, Realm, RPCRouteSet, WampError, type PendingSession } from '../src/index.js';
import { isMainModule, serveExample } from './serve.js';

/** Stand-ins for the application's own stores. */
export const demoData = {
  cookieSessions: new Map([['c0ffee', { customerId: 42, name: 'Ada' }]]),
  adminTokens: new Map([['root', 'let-me-in-7f3a9c']]),
};

const registrationApi = new RPCRouteSet();
registrationApi.route('account.register', { params: ['email'] }, ({ email }) => {
  if (typeof email !== 'string' || !email.includes('@')) throw new WampError('app.error.invalid_email');
  return { registered: email };
});

const accountApi = new RPCRouteSet();
accountApi.route('account.me', (request) => request.session.identity as Record<string, unknown>);

/** Customers: the cookie set by the web app's login page. */
function customerCookieAuth(session: PendingSession): unknown {
  const customer = demoData.cookieSessions.get(session.transportInfo.httpCookies['sid'] ?? '');
  return customer && { authid: `customer-${customer.customerId}`, authrole: 'customer', authmethod: 'cookie', ...customer };
}

/** Admins: a per-admin token, compared in constant time. */
function adminTokenAuth(session: PendingSession, ticket: string): unknown {
  const expected = session.authid === undefined ? undefined : demoData.adminTokens.get(session.authid);
  return expected !== undefined && constantTimeEqual(ticket, expected) ? { authrole: 'admin' } : undefined;
}

export function createMultiRealmApp(): Application {
  const app = new Application({ allowDefaultRealm: false });

  const guestsRealm = new Realm('guests');
  guestsRealm.addRPCRoutes(registrationApi);

  const customersRealm = new Realm('customers');
  customersRealm.addTransportAuthenticator(customerCookieAuth);
  customersRealm.addRPCRoutes(accountApi);

  const adminApi = new RPCRouteSet();
  adminApi.route('admin.sessions', () =>
    [...app.sessions].map((session) => ({ realm: session.realmName, authid: session.authid, authrole: session.authrole })),
  );

  const adminsRealm = new Realm('admins');
  adminsRealm.setTicketAuthenticator(adminTokenAuth);
  adminsRealm.addRPCRoutes(adminApi);

  app.addRealm(guestsRealm);
  app.addRealm(customersRealm);
  app.addRealm(adminsRealm);
  return app;
}

if (isMainModule(import.meta.url)) {
  const origin = `http://${process.env['HOST'] ?? 'localhost'}:${process.env['PORT'] ?? 8080}`;
  // The customers' cookie authenticates them: only our own pages may open connections.
  await serveExample(createMultiRealmApp(), 'serverwamp multi-realm example (realms guests, customers, admins)', {
    allowedOrigins: [origin],
  });
}
