/**
 * Runs an example application until Ctrl+C: serves it at ws://HOST:PORT/ws
 * (PORT and HOST from the environment, default localhost:8080) and closes it
 * cleanly on SIGINT/SIGTERM.
 */
import type { Application, WebSocketOptions } from '../src/index.js';

/** Whether `moduleUrl` is the script node was started with (not imported by a test). */
export function isMainModule(moduleUrl: string): boolean {
  const script = process.argv[1];
  return script !== undefined && (moduleUrl === `file://${script}` || moduleUrl.endsWith(script.replace(/^.*\//, '/')));
}

/** Serves `app` and prints its address with `description`. */
export async function serveExample<Context>(app: Application<Context>, description: string, options: WebSocketOptions = {}): Promise<void> {
  const port = Number(process.env['PORT'] ?? 8080);
  const host = process.env['HOST'] ?? 'localhost';
  const listening = await app.listen({ port, host, path: '/ws', ...options });
  console.log(`${description}: WAMP at ws://${host}:${listening.port}/ws (Ctrl+C to stop)`);
  const stop = (): void => {
    void listening
      .close()
      .then(() => app.close())
      .then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
