/**
 * Bad input from a client: the session ends with ABORT
 * wamp.error.protocol_violation naming the problem, the connection closes,
 * the process survives, and other sessions are unaffected.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Packr } from 'msgpackr';
import { Application, RPCRouteSet } from '../src/index.js';
import { connectAutobahn } from './helpers/clients.js';
import { RawClient } from './helpers/raw-client.js';
import { serve } from './helpers/server.js';

function createApp(): Application {
  const app = new Application();
  const routes = new RPCRouteSet();
  routes.route('math.add', { params: ['a', 'b'] }, ({ a, b }) => Number(a) + Number(b));
  routes.route('kwargs.inspect', (request) => ({
    ownKeys: Object.keys(request.kwargs),
    prototypeIsClean: Object.getPrototypeOf(request.kwargs) === Object.prototype || Object.getPrototypeOf(request.kwargs) === null,
    polluted: ({} as Record<string, unknown>)['polluted'] ?? null,
  }));
  routes.route('bound.inspect', { params: ['__proto__', 'constructor'] }, (params) => ({
    polluted: ({} as Record<string, unknown>)['polluted'] ?? null,
    keys: Object.keys(params),
  }));
  app.addRPCRoutes(routes);
  return app;
}

async function expectViolation(client: RawClient, pattern: RegExp): Promise<void> {
  const abort = await client.next();
  assert.equal(abort[0], 3, `expected ABORT, got ${JSON.stringify(abort)}`);
  assert.equal(abort[2], 'wamp.error.protocol_violation');
  assert.match(String(abort[1].message), pattern);
  const closed = await client.closed;
  assert.equal(closed.code, 1002);
}

describe('bad input', () => {
  const cases: Array<{ name: string; welcomeFirst: boolean; frame: string | Buffer | unknown[]; message: RegExp }> = [
    { name: 'a frame that is not JSON', welcomeFirst: true, frame: '[48, 1, {}, "math.add"', message: /could not be decoded as wamp\.2\.json/ },
    { name: 'a "\\u0000" string that is not base64', welcomeFirst: true, frame: '[48,1,{},"math.add",["\\u0000not base64!"]]', message: /could not be decoded as wamp\.2\.json: a "\\u0000" string is not valid base64$/ },
    { name: 'a frame that is not a list', welcomeFirst: true, frame: { hello: 1 } as unknown as unknown[], message: /must be a list/ },
    { name: 'an empty list', welcomeFirst: true, frame: [], message: /must not be empty/ },
    { name: 'a non-integer message type', welcomeFirst: true, frame: ['48', 1, {}, 'x'], message: /type must be an integer/ },
    { name: 'an unknown message type', welcomeFirst: true, frame: [99, 1], message: /unknown message type 99/ },
    { name: 'a message only routers send', welcomeFirst: true, frame: [2, 1, {}], message: /WELCOME \(2\) is not a message a client may send/ },
    { name: 'a CALL with too few elements', welcomeFirst: true, frame: [48, 1, {}], message: /CALL must have 4 to 6 elements, got 3/ },
    { name: 'a CALL whose request id is not an ID', welcomeFirst: true, frame: [48, -1, {}, 'math.add'], message: /CALL\.Request must be an ID/ },
    { name: 'a CALL whose request id is too large', welcomeFirst: true, frame: [48, 2 ** 53 + 2, {}, 'math.add'], message: /CALL\.Request must be an ID/ },
    { name: 'a CALL whose options are a list', welcomeFirst: true, frame: [48, 1, [], 'math.add'], message: /CALL\.Options must be a dict/ },
    { name: 'a CALL whose arguments are a dict', welcomeFirst: true, frame: [48, 1, {}, 'math.add', {}], message: /CALL\.Arguments must be a list/ },
    { name: 'a CALL whose keyword arguments are a list', welcomeFirst: true, frame: [48, 1, {}, 'math.add', [], []], message: /CALL\.ArgumentsKw must be a dict/ },
    { name: 'a CALL whose procedure is not a string', welcomeFirst: true, frame: [48, 1, {}, 7], message: /CALL\.Procedure must be a string/ },
    { name: 'a CALL before HELLO', welcomeFirst: false, frame: [48, 1, {}, 'math.add'], message: /CALL received before the session was established/ },
    { name: 'a GOODBYE before HELLO', welcomeFirst: false, frame: [6, {}, 'wamp.close.normal'], message: /GOODBYE received before the session was established/ },
    { name: 'a HELLO after WELCOME', welcomeFirst: true, frame: [1, 'realm1', { roles: { caller: {} } }], message: /HELLO received on an established session/ },
    { name: 'a HELLO without roles', welcomeFirst: false, frame: [1, 'realm1', {}], message: /roles must be a dict/ },
    { name: 'a HELLO whose realm is not a string', welcomeFirst: false, frame: [1, 5, { roles: {} }], message: /HELLO\.Realm must be a string/ },
    { name: 'an AUTHENTICATE without a CHALLENGE', welcomeFirst: true, frame: [5, 'sig', {}], message: /AUTHENTICATE received without a pending CHALLENGE/ },
    { name: 'a YIELD for an invocation that does not exist', welcomeFirst: true, frame: [70, 1, {}], message: /YIELD for unknown invocation 1/ },
    { name: 'an ERROR for a CALL', welcomeFirst: true, frame: [8, 48, 1, {}, 'x.y'], message: /ERROR for a CALL is not something a client may send/ },
  ];

  for (const c of cases) {
    it(`${c.name} ends the session with a protocol violation`, async (t) => {
      const { url } = await serve(createApp(), t);
      const bystander = await connectAutobahn(url);
      const client = await RawClient.connect(url);
      if (c.welcomeFirst) assert.equal((await client.hello())[0], 2);
      if (Array.isArray(c.frame)) client.send(c.frame);
      else if (typeof c.frame === 'string') client.sendRaw(c.frame);
      else client.sendRaw(JSON.stringify(c.frame));
      await expectViolation(client, c.message);
      // Everyone else carries on.
      assert.equal(await bystander.session.call('math.add', [1, 2]), 3);
      await bystander.close();
    });
  }

  it('a msgpack frame that does not decode ends the session', async (t) => {
    const { url } = await serve(createApp(), t);
    const client = await RawClient.connect(url, 'wamp.2.msgpack');
    await client.hello();
    client.sendRaw(Buffer.from([0xc1, 0xff, 0x00]));
    await expectViolation(client, /could not be decoded as wamp\.2\.msgpack/);
  });

  it('invalid UTF-8 in a JSON frame ends the session', async (t) => {
    const { url } = await serve(createApp(), t);
    const client = await RawClient.connect(url);
    await client.hello();
    client.ws.send(Buffer.from([0x5b, 0xff, 0xfe, 0x5d]), { binary: true });
    await expectViolation(client, /could not be decoded/);
  });

  it('a batch whose second message is bad ends the session after answering the first', async (t) => {
    const { url } = await serve(createApp(), t);
    const client = await RawClient.connect(url, 'wamp.2.json.batched');
    client.sendRaw(JSON.stringify([1, 'realm1', { roles: { caller: {} } }]) + '\u001e');
    // The raw client decodes with JSON.parse, so strip the separator ourselves.
    const frames: string[] = [];
    client.ws.removeAllListeners('message');
    client.ws.on('message', (data: Buffer) => frames.push(data.toString()));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(frames[0]?.startsWith('[2,') && frames[0].endsWith(']\u001e'), frames[0]);
    // Separators may be mixed: 0x18 (Autobahn|Python) and 0x1E (the spec) both split.
    client.sendRaw(JSON.stringify([48, 1, {}, 'math.add', [1, 2]]) + '\u0018' + JSON.stringify([48, 2]) + '\u001e');
    const closed = await client.closed;
    assert.equal(closed.code, 1002);
    assert.equal(frames[1], '[50,1,{},[3]]\u001e');
    assert.equal(frames[2], '[3,{"message":"CALL must have 4 to 6 elements, got 2"},"wamp.error.protocol_violation"]\u001e');
  });

  it('an invalid realm URI is refused with invalid_uri', async (t) => {
    const { url } = await serve(createApp(), t);
    const client = await RawClient.connect(url);
    const abort = await client.hello('not a realm');
    assert.equal(abort[0], 3);
    assert.equal(abort[2], 'wamp.error.invalid_uri');
  });

  it('an invalid procedure URI gets invalid_uri and the session goes on', async (t) => {
    const { url } = await serve(createApp(), t);
    const client = await RawClient.connect(url);
    await client.hello();
    client.send([48, 1, {}, 'bad uri with spaces']);
    const error = await client.next();
    assert.deepEqual(error.slice(0, 5), [8, 48, 1, {}, 'wamp.error.invalid_uri']);
    client.send([48, 2, {}, 'math.add', [2, 2]]);
    assert.deepEqual(await client.next(), [50, 2, {}, [4]]);
    client.close();
  });

  it('strict URI validation refuses upper-case components', async (t) => {
    const app = new Application({ uriValidation: 'strict' });
    const { url } = await serve(app, t);
    const client = await RawClient.connect(url);
    await client.hello();
    client.send([48, 1, {}, 'Math.Add']);
    assert.equal((await client.next())[4], 'wamp.error.invalid_uri');
    client.close();
  });

  it('keys such as __proto__ in kwargs never reach an object prototype', async (t) => {
    const { url } = await serve(createApp(), t);
    for (const protocol of ['wamp.2.json', 'wamp.2.msgpack']) {
      const client = await RawClient.connect(url, protocol);
      await client.hello();
      const payload = '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}';
      if (protocol === 'wamp.2.json') {
        client.sendRaw(`[48,1,{},"kwargs.inspect",[],${payload}]`);
        client.sendRaw(`[48,2,{},"bound.inspect",[],${payload}]`);
      } else {
        const packr = new Packr({ useRecords: false });
        client.sendRaw(packr.pack([48, 1, {}, 'kwargs.inspect', [], JSON.parse(payload)]));
        client.sendRaw(packr.pack([48, 2, {}, 'bound.inspect', [], JSON.parse(payload)]));
      }
      const first = await client.next();
      assert.equal(first[0], 50, JSON.stringify(first));
      assert.equal(first[4].prototypeIsClean, true);
      assert.equal(first[4].polluted, null);
      const second = await client.next();
      if (second[0] === 50) {
        assert.equal(second[4].polluted, null, JSON.stringify(second));
      } else {
        // msgpackr renames a `__proto__` key to `__proto_`, which is then an unknown parameter.
        assert.equal(second[4], 'wamp.error.invalid_argument', JSON.stringify(second));
      }
      assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
      client.close();
    }
  });

  it('IDs sent as integral floats or 64-bit integers are accepted', async (t) => {
    const { url } = await serve(createApp(), t);
    const client = await RawClient.connect(url, 'wamp.2.msgpack');
    await client.hello();
    // 0xcb = float64 holding 7.0; 0xcf = uint64 holding 8.
    const float64Id = Buffer.concat([Buffer.from([0x96, 0x30, 0xcb]), Buffer.from(new Float64Array([7]).buffer).reverse()]);
    const rest = new Packr({ useRecords: false }).pack([{}, 'math.add', [1, 1], {}]);
    // Splice: fixarray(6), 48, float64 id, then the remaining four elements without their array header.
    client.sendRaw(Buffer.concat([float64Id, rest.subarray(1)]));
    assert.deepEqual(await client.next(), [50, 7, {}, [2]]);
    const uint64Id = Buffer.from([0x96, 0x30, 0xcf, 0, 0, 0, 0, 0, 0, 0, 8]);
    client.sendRaw(Buffer.concat([uint64Id, rest.subarray(1)]));
    assert.deepEqual(await client.next(), [50, 8, {}, [2]]);
    client.close();
  });

  it('a client ABORT before or after WELCOME just closes the connection', async (t) => {
    const { url } = await serve(createApp(), t);
    const before = await RawClient.connect(url);
    before.send([3, {}, 'wamp.error.cannot_authenticate']);
    assert.equal((await before.closed).code, 1000);
    const after = await RawClient.connect(url);
    await after.hello();
    after.send([3, { message: 'bye' }, 'wamp.close.system_shutdown']);
    assert.equal((await after.closed).code, 1000);
  });
});
