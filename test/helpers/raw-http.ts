/**
 * Exact bytes to an HTTP server over TCP or TLS, for requests no client
 * library would send: incomplete, malformed or hostile upgrades.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

export interface RawHTTPOptions {
  /** Speak TLS, trusting this CA. */
  ca?: Buffer;
}

/** Opens a connection to 127.0.0.1:`port`; resolves once it can be written to. */
export function openRaw(port: number, options: RawHTTPOptions = {}): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket =
      options.ca === undefined
        ? netConnect(port, '127.0.0.1', () => resolve(socket))
        : tlsConnect({ port, host: '127.0.0.1', ca: options.ca }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Sends `text` and resolves with the status line of the answer (or '' if the server closed without one). */
export async function rawExchange(port: number, text: string, options: RawHTTPOptions = {}): Promise<string> {
  const socket = await openRaw(port, options);
  return new Promise((resolve) => {
    let answer = '';
    const done = (): void => {
      socket.destroy();
      resolve(answer.split('\r\n')[0] ?? '');
    };
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      if (answer.includes('\r\n')) done();
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.write(text);
  });
}
