/** Starts an application on 127.0.0.1 for a test and stops it afterwards. */
import type { TestContext } from 'node:test';
import type { Application } from '../../src/index.js';
import { listen, listenRawSocket, type RawSocketOptions, type WebSocketOptions } from '../../src/node/index.js';

/** Closes at once: calls still running are canceled, and GOODBYE replies are not awaited. */
const TEARDOWN = { timeout: 0, goodbyeWait: 0 } as const;

export interface Served {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves `app` on a free loopback port; closed automatically after the test (or suite) `t`. */
export async function serve(
  app: Application,
  t: Pick<TestContext, 'after'> | undefined,
  options: WebSocketOptions = {},
): Promise<Served> {
  const listening = await listen(app, { port: 0, host: '127.0.0.1', pingInterval: 0, ...options });
  const close = async (): Promise<void> => {
    // Teardown, not the subject: nothing is drained (test/shutdown-*.test.ts test draining).
    await app.close(TEARDOWN);
    await listening.close();
  };
  t?.after(close);
  return { url: listening.url, port: listening.port, close };
}

/** Serves `app` over RawSocket on a free loopback port; closed automatically after `t`. */
export async function serveRawSocket(
  app: Application,
  t: Pick<TestContext, 'after'> | undefined,
  options: RawSocketOptions = {},
): Promise<Served> {
  const listening = await listenRawSocket(app, { port: 0, host: '127.0.0.1', ...options });
  const close = async (): Promise<void> => {
    // Teardown, not the subject: nothing is drained (test/shutdown-*.test.ts test draining).
    await app.close(TEARDOWN);
    await listening.close();
  };
  t?.after(close);
  return { url: listening.url, port: listening.port, close };
}
