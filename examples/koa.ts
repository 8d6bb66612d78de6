/**
 * serverwamp beside a Koa application, on one port: Koa answers `/api/...`,
 * WAMP is served at `/ws` on the `node:http` server Koa's callback runs on.
 * `npx tsx examples/koa.ts` (PORT from the environment, default 8080; 0 picks
 * a free port), then:
 *
 *   curl -i -X POST 'http://127.0.0.1:8080/api/login?user=ada'   # Set-Cookie: sid=…
 *
 * and a WAMP client sending that cookie on its upgrade joins realm `members`
 * as ada; realm `realm1` is open to anyone. Ctrl+C or SIGTERM closes gracefully.
 */
import { createServer } from 'node:http';
import Koa from 'koa';
import { attach } from '../src/node/index.js';
import { closeOnSignals, hostedApplication, LoginSessions, SID_COOKIE } from './hosted-app.js';

const sessions = new LoginSessions();
const app = hostedApplication(sessions, 'Koa');

const api = new Koa();
api.use(async (ctx, next) => {
  ctx.set('cache-control', 'no-store');
  await next();
});
api.use((ctx) => {
  if (ctx.method === 'GET' && ctx.path === '/api/hello') {
    ctx.body = { hello: 'world', wamp: '/ws' };
  } else if (ctx.method === 'POST' && ctx.path === '/api/login') {
    // A real application checks a password here.
    const user = typeof ctx.query['user'] === 'string' ? ctx.query['user'] : 'guest';
    ctx.cookies.set('sid', sessions.issue(user), SID_COOKIE);
    ctx.body = { user };
  }
});

// koaApp.listen() returns the same kind of server; createServer keeps it in view.
const server = createServer(api.callback());
attach(app, server, { path: '/ws' });
const host = process.env['HOST'] ?? '127.0.0.1';
server.listen(Number(process.env['PORT'] ?? 8080), host, () => {
  const { port } = server.address() as { port: number };
  console.log(`Koa at http://${host}:${port}/api/hello, WAMP at ws://${host}:${port}/ws`);
});
closeOnSignals(server);
