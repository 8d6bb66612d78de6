/**
 * serverwamp as a Fastify 5 plugin: `node --import tsx examples/fastify.ts`,
 * then connect a WAMP client to ws://127.0.0.1:8080/ws (PORT from the
 * environment; 0 picks a free port). Fastify answers its own routes on the
 * same port (`GET /healthz`, `POST /login`, which sets the cookie the
 * `members` realm authenticates by), serverwamp logs to Fastify's log, and
 * Ctrl-C (or SIGTERM) runs `fastify.close()`: calls in flight finish and
 * every session is told GOODBYE before the server closes.
 */
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { Realm, RPCRouteSet } from '../src/index.js';
import { serverwamp } from '../src/fastify/index.js';
import { exampleApplication } from './example-app.js';

const app = exampleApplication('Fastify');

// A realm for signed-in users: the cookie set by POST /login authenticates the WebSocket upgrade.
const logins = new Map<string, string>();
const members = new Realm('members').addTransportAuthenticator((session) => {
  const user = logins.get(session.transportInfo.httpCookies['sid'] ?? '');
  return user === undefined ? undefined : { authid: user, authrole: 'member', authmethod: 'cookie' };
});
members.addRPCRoutes(new RPCRouteSet().route('example.whoami', (request) => request.session.authid));
app.addRealm(members);

const fastify = Fastify({ logger: { level: process.env['LOG_LEVEL'] ?? 'info' } });
fastify.get('/healthz', async (_request, reply) => {
  const health = app.health();
  return reply.code(health.ready ? 200 : 503).send(health);
});
fastify.post<{ Body: { user?: unknown } }>('/login', async (request, reply) => {
  const user = request.body?.user;
  if (typeof user !== 'string' || user === '') return reply.code(400).send({ error: 'user must be a non-empty string' });
  const sid = randomUUID();
  logins.set(sid, user);
  return reply.header('set-cookie', `sid=${sid}; Path=/; HttpOnly; SameSite=Strict`).send({ ok: true });
});
// Browsers send cookies cross-site too: name the origins allowed to connect whenever cookies authenticate.
await fastify.register(serverwamp(app), { path: '/ws', allowedOrigins: ['http://127.0.0.1:8080', 'http://localhost:8080'] });

await fastify.listen({ host: '127.0.0.1', port: Number(process.env['PORT'] ?? 8080) });
const { port } = fastify.server.address() as { port: number };
console.log(`WAMP with Fastify at ws://127.0.0.1:${port}/ws`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void fastify.close().then(() => process.exit(0));
  });
}
