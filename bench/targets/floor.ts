/**
 * The floor: a hand-written minimal WAMP responder on bare `ws`, no framework.
 * HELLO → WELCOME, CALL → RESULT (math.add), SUBSCRIBE → SUBSCRIBED, and a
 * broadcast that sends one pre-encoded EVENT frame to every subscriber.
 * @module
 */
import { randomInt } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { Packr, Unpackr } from 'msgpackr';
import { EVENT_ARGS, EVENT_KWARGS, FLOOR_SUBSCRIPTION_ID, type Target } from './target.js';

const packr = new Packr({ useRecords: false });
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true, int64AsType: 'number' } as ConstructorParameters<typeof Unpackr>[0]);
const WELCOME_DETAILS = { roles: { dealer: { features: {} }, broker: { features: {} } } };

export async function start(): Promise<Target> {
  const subscribers = new Set<WebSocket>();
  let publication = 0;
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    perMessageDeflate: false,
    clientTracking: false,
    handleProtocols: (offered) => (offered.has('wamp.2.json') ? 'wamp.2.json' : offered.has('wamp.2.msgpack') ? 'wamp.2.msgpack' : false),
  });
  wss.on('connection', (ws) => {
    const binary = ws.protocol === 'wamp.2.msgpack';
    const send = binary ? (msg: unknown[]) => ws.send(packr.pack(msg)) : (msg: unknown[]) => ws.send(JSON.stringify(msg));
    ws.on('message', (data: Buffer) => {
      const msg = (binary ? unpackr.unpack(data) : JSON.parse(data.toString())) as unknown[];
      switch (msg[0]) {
        case 48: {
          const args = msg[4] as number[];
          send([50, msg[1], {}, [args[0]! + args[1]!]]);
          break;
        }
        case 1:
          send([2, randomInt(1, 2 ** 48), WELCOME_DETAILS]);
          break;
        case 32:
          subscribers.add(ws);
          send([33, msg[1], FLOOR_SUBSCRIPTION_ID]);
          break;
        case 6:
          send([6, {}, 'wamp.close.goodbye_and_out']);
          break;
      }
    });
    ws.on('close', () => subscribers.delete(ws));
  });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  const { port } = wss.address() as { port: number };
  const url = `ws://127.0.0.1:${port}/ws`;
  return {
    urls: { json: url, msgpack: url },
    publish() {
      // One encode per publish, the same bytes to everyone (JSON subscribers).
      const frame = JSON.stringify([36, FLOOR_SUBSCRIPTION_ID, ++publication, {}, EVENT_ARGS, EVENT_KWARGS]);
      for (const ws of subscribers) ws.send(frame);
    },
    subscribers: () => subscribers.size,
  };
}
