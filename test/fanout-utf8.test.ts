/**
 * Fan-out of a JSON event encodes its text to UTF-8 once and hands the same
 * bytes to every transport that takes text as bytes (`Transport.sendUTF8`),
 * while transports without it still get the string. Driven through
 * `app.accept` with recording transports, no sockets.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Application, TopicRouteSet, jsonSerializer, type Transport, type TransportInfo } from '../src/index.js';

const info: TransportInfo = {
  transport: 'websocket',
  peerAddress: '127.0.0.1',
  peerPort: 40000,
  httpCookies: {},
  httpHeaders: {},
  httpPath: '/ws',
  httpQuery: new URLSearchParams(),
  peerCertificate: undefined,
  secure: false,
  protocol: 'wamp.2.json',
};

class Recorder implements Transport {
  readonly sent: (string | Uint8Array)[] = [];
  readonly bytes: Uint8Array[] = [];
  bufferedAmount = 0;
  send(frame: string | Uint8Array): void {
    this.sent.push(frame);
  }
  close(): void {}
}

class BytesRecorder extends Recorder {
  sendUTF8(frame: Uint8Array): void {
    this.bytes.push(frame);
  }
}

describe('fan-out of text frames', () => {
  it('encodes a JSON event to UTF-8 once for all byte-taking transports, and sends strings to the others', async () => {
    const app = new Application();
    app.addTopicRoutes(new TopicRouteSet().route('news', {}));
    const transports = [new BytesRecorder(), new BytesRecorder(), new BytesRecorder(), new Recorder()];
    // One serializer for the endpoint, as an adapter shares it between its connections.
    const json = jsonSerializer();
    const connections = transports.map((t) => app.accept(t, json, info));
    connections.forEach((c, i) => {
      c.receive(JSON.stringify([1, 'realm1', { roles: { subscriber: {} } }]));
      c.receive(JSON.stringify([32, i + 1, {}, 'news']));
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    for (const t of transports) assert.deepEqual(t.sent.map((f) => JSON.parse(f as string)[0]), [2, 33], 'WELCOME and SUBSCRIBED as strings');

    const text = 'grüße, 世界 🌍';
    app.publish('news', { args: [text] });

    const [a, b, c, plain] = transports as [BytesRecorder, BytesRecorder, BytesRecorder, Recorder];
    assert.equal(a.bytes.length, 1);
    assert.equal(b.bytes[0], a.bytes[0], 'the very same bytes, encoded once');
    assert.equal(c.bytes[0], a.bytes[0]);
    const event = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(a.bytes[0]));
    assert.equal(event[0], 36);
    assert.deepEqual(event[4], [text]);
    assert.equal(plain.bytes.length, 0);
    assert.equal(plain.sent.length, 3);
    assert.equal(typeof plain.sent[2], 'string');
    assert.deepEqual(JSON.parse(plain.sent[2] as string).slice(1), event.slice(1));
    await app.close();
  });
});
