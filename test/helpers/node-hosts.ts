/**
 * Serves an application the way an application server on Node does: with
 * `attach(app, server, { path: '/ws' })` on the server its HTTP side already
 * listens with (plain node:http, node:https, Express 5, Koa), next to that
 * side's routes (host-api.ts). The Express server is the one
 * `expressApp.listen()` returns, attached before it is listening.
 */
import { once } from 'node:events';
import { createServer, type Server as HTTPServer } from 'node:http';
import { createServer as createHTTPSServer, type Server as HTTPSServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import type { Application } from '../../src/index.js';
import { attach, type AttachOptions } from '../../src/node/index.js';
import type { SessionStore } from './host-api.js';
import { expressApp } from './hosts/express.js';
import { koaApp } from './hosts/koa.js';
import { plainHandler } from './hosts/plain.js';
import { makeTLSMaterial, type TLSMaterial } from './tls.js';
import { trustInThisProcess } from './tls-trust.js';

export type NodeHostKind = 'http' | 'https' | 'express' | 'koa';

export interface NodeHost {
  readonly server: HTTPServer | HTTPSServer;
  /** The WAMP URL: ws(s)://127.0.0.1:port/ws. */
  readonly url: string;
  /** The HTTP side: http(s)://127.0.0.1:port. */
  readonly origin: string;
  /** Closes at once (teardown, not the subject). */
  close(): Promise<void>;
}

export interface HostOptions {
  sessions?: SessionStore;
  attach?: AttachOptions;
}

let tlsMaterial: TLSMaterial | undefined;

/** The test CA and server certificate for 127.0.0.1, made once per process; TLS clients here trust the CA. */
export function hostTLS(): TLSMaterial {
  if (tlsMaterial === undefined) {
    tlsMaterial = makeTLSMaterial();
    trustInThisProcess(tlsMaterial.ca);
  }
  return tlsMaterial;
}

function createHost(kind: NodeHostKind, sessions: SessionStore): HTTPServer | HTTPSServer {
  switch (kind) {
    case 'http':
      return createServer(plainHandler(kind, sessions));
    case 'https': {
      const tls = hostTLS();
      return createHTTPSServer({ key: tls.serverKey, cert: tls.serverCert }, plainHandler(kind, sessions));
    }
    case 'express':
      // As Express users write it: the server listen() returns, before it listens.
      return expressApp(sessions).listen(0, '127.0.0.1');
    case 'koa':
      return createServer(koaApp(sessions).callback());
  }
}

/** A closed server's `close()` reports ERR_SERVER_NOT_RUNNING: teardown after a test that closed it. */
export function closeQuietly(server: HTTPServer | HTTPSServer): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

export async function startHost(kind: NodeHostKind, app: Application, t: Pick<TestContext, 'after'>, options: HostOptions = {}): Promise<NodeHost> {
  const server = createHost(kind, options.sessions ?? new Map());
  attach(app, server, { path: '/ws', pingInterval: 0, ...options.attach });
  if (!server.listening) {
    if (kind !== 'express') server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  }
  const { port } = server.address() as AddressInfo;
  const secure = kind === 'https';
  const close = async (): Promise<void> => {
    await app.close({ timeout: 0, goodbyeWait: 0 });
    await closeQuietly(server);
  };
  t.after(close);
  return { server, url: `${secure ? 'wss' : 'ws'}://127.0.0.1:${port}/ws`, origin: `${secure ? 'https' : 'http'}://127.0.0.1:${port}`, close };
}
