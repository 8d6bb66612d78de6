/** The host API (host-api.ts) as a Koa application. */
import Koa from 'koa';
import { issueSession, SESSION_COOKIE, SESSION_COOKIE_ATTRIBUTES, type SessionStore } from '../host-api.js';

export function koaApp(sessions: SessionStore): Koa {
  const api = new Koa();
  api.use(async (ctx, next) => {
    ctx.set('x-served-by', 'koa');
    await next();
  });
  api.use((ctx) => {
    if (ctx.method === 'GET' && ctx.path === '/api/hello') {
      ctx.body = { hello: 'world', host: 'koa' };
    } else if (ctx.method === 'POST' && ctx.path === '/api/login') {
      const user = typeof ctx.query['user'] === 'string' ? ctx.query['user'] : 'anonymous';
      ctx.cookies.set(SESSION_COOKIE, issueSession(sessions, user), SESSION_COOKIE_ATTRIBUTES);
      ctx.body = { user };
    }
  });
  return api;
}
