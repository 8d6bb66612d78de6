/**
 * serverwamp over TLS: HTTPS routes and WAMP (wss) on one `node:https`
 * server. `npx tsx examples/https.ts` (PORT from the environment, default
 * 8443; 0 picks a free port). TLS_KEY and TLS_CERT name PEM files; without
 * them a throwaway self-signed certificate for 127.0.0.1 and localhost is made
 * with the openssl command, and its path printed so that a client can trust
 * it, e.g. `NODE_EXTRA_CA_CERTS=/tmp/…/cert.pem`. Ctrl+C or SIGTERM closes gracefully.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attach } from '../src/node/index.js';
import { closeOnSignals, hostedApplication, LoginSessions } from './hosted-app.js';

function selfSignedCertificate(): { keyFile: string; certFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'serverwamp-https-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ], { stdio: 'ignore' });
  console.log(`Self-signed certificate (trust it to connect): ${certFile}`);
  return { keyFile, certFile };
}

const { keyFile, certFile } =
  process.env['TLS_KEY'] !== undefined && process.env['TLS_CERT'] !== undefined
    ? { keyFile: process.env['TLS_KEY'], certFile: process.env['TLS_CERT'] }
    : selfSignedCertificate();

const sessions = new LoginSessions();
const app = hostedApplication(sessions, 'HTTPS');

const server = createServer({ key: readFileSync(keyFile), cert: readFileSync(certFile) }, (request, response) => {
  const url = new URL(request.url ?? '/', 'https://localhost');
  if (request.method === 'GET' && url.pathname === '/api/hello') {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ hello: 'world', wamp: '/ws' }));
  } else if (request.method === 'POST' && url.pathname === '/api/login') {
    // A real application checks a password here.
    const user = url.searchParams.get('user') ?? 'guest';
    response.setHeader('set-cookie', `sid=${sessions.issue(user)}; Path=/; HttpOnly; Secure; SameSite=Strict`);
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ user }));
  } else {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found\n');
  }
});
attach(app, server, { path: '/ws' });
const host = process.env['HOST'] ?? '127.0.0.1';
server.listen(Number(process.env['PORT'] ?? 8443), host, () => {
  const { port } = server.address() as { port: number };
  console.log(`HTTPS at https://${host}:${port}/api/hello, WAMP at wss://${host}:${port}/ws`);
});
closeOnSignals(server);
