/** The host API (host-api.ts) as an Express 5 application. */
import express, { type Express } from 'express';
import { issueSession, SESSION_COOKIE, SESSION_COOKIE_ATTRIBUTES, type SessionStore } from '../host-api.js';

export function expressApp(sessions: SessionStore): Express {
  const api = express();
  api.disable('x-powered-by');
  api.use((_request, response, next) => {
    response.set('x-served-by', 'express');
    next();
  });
  api.get('/api/hello', (_request, response) => {
    response.json({ hello: 'world', host: 'express' });
  });
  api.post('/api/login', (request, response) => {
    const user = typeof request.query['user'] === 'string' ? request.query['user'] : 'anonymous';
    response.cookie(SESSION_COOKIE, issueSession(sessions, user), SESSION_COOKIE_ATTRIBUTES).json({ user });
  });
  return api;
}
