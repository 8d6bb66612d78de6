/**
 * serverwamp beside an Express 5 application, on one port: Express answers
 * `/api/...`, WAMP is served at `/ws` on the server `listen()` returns.
 * `npx tsx examples/express.ts` (PORT from the environment, default 8080; 0
 * picks a free port), then:
 *
 *   curl -i -X POST 'http://127.0.0.1:8080/api/login?user=ada'   # Set-Cookie: sid=…
 *
 * and a WAMP client sending that cookie on its upgrade joins realm `members`
 * as ada; realm `realm1` is open to anyone. Ctrl+C or SIGTERM closes gracefully.
 */
import express from 'express';
import { attach } from '../src/node/index.js';
import { closeOnSignals, hostedApplication, LoginSessions, SID_COOKIE } from './hosted-app.js';

const sessions = new LoginSessions();
const app = hostedApplication(sessions, 'Express');

const api = express();
api.use((_request, response, next) => {
  response.set('cache-control', 'no-store');
  next();
});
api.get('/api/hello', (_request, response) => {
  response.json({ hello: 'world', wamp: '/ws' });
});
api.post('/api/login', (request, response) => {
  // A real application checks a password here.
  const user = typeof request.query['user'] === 'string' ? request.query['user'] : 'guest';
  response.cookie('sid', sessions.issue(user), SID_COOKIE).json({ user });
});

const host = process.env['HOST'] ?? '127.0.0.1';
const server = api.listen(Number(process.env['PORT'] ?? 8080), host, (error) => {
  if (error !== undefined) throw error;
  const { port } = server.address() as { port: number };
  console.log(`Express at http://${host}:${port}/api/hello, WAMP at ws://${host}:${port}/ws`);
});
// Express's own routes never see WebSocket upgrades: serverwamp takes those for /ws, and refuses others with 404.
attach(app, server, { path: '/ws' });
closeOnSignals(server);
