/**
 * One set of option checks: an unknown key or a value of the wrong type,
 * anywhere an options object is handed to serverwamp, throws
 * ServerwampError ERR_INVALID_OPTION naming the key's full path, instead of
 * being silently ignored (the default used in its place).
 */
import assert from 'node:assert/strict';
import { createServer as createHTTPServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { describe, it } from 'node:test';
import { Application, Realm, RPCRouteSet, ServerwampError } from '../src/index.js';
import { attach, attachRawSocket, listen, listenRawSocket, rawSocketEndpoint, webSocketEndpoint } from '../src/node/index.js';

function invalidOption(pattern: RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof ServerwampError, String(error));
    assert.equal(error.code, 'ERR_INVALID_OPTION');
    assert.match(error.message, pattern);
    return true;
  };
}

// Casts: these are the mistakes TypeScript catches only for object literals typed at the call site.
const loose = (value: unknown): any => value;

describe('unknown option keys', () => {
  it('new Application({ callTimout }) names the key and suggests callTimeout', () => {
    assert.throws(() => new Application(loose({ callTimout: 5000 })), invalidOption(/^callTimout is not an option \(did you mean callTimeout\?\)$/));
  });

  it('events.slowConsumer.polcy names the full path and suggests policy', () => {
    assert.throws(
      () => new Application({ events: { slowConsumer: loose({ polcy: 'close' }) } }),
      invalidOption(/^events\.slowConsumer\.polcy is not an option \(did you mean policy\?\)$/),
    );
  });

  it('route(uri, { parms }, handler) names the route and the key', () => {
    assert.throws(
      () => new RPCRouteSet().route('math.add', loose({ parms: ['a', 'b'] }), () => 0),
      invalidOption(/^the route "math\.add": parms is not an option \(did you mean params\?\)$/),
    );
  });

  it('listen({ prot }) throws before anything listens', async () => {
    const app = new Application();
    await assert.rejects(listen(app, loose({ prot: 8080 })), invalidOption(/^listen: prot is not an option \(did you mean port\?\)$/));
  });

  it('attach, webSocketEndpoint and the RawSocket methods check their keys, nested ones included', async () => {
    const app = new Application();
    const http = createHTTPServer();
    const tcp = createNetServer();
    assert.throws(() => attach(app, http, loose({ pth: '/ws' })), invalidOption(/^attach: pth is not an option \(did you mean path\?\)$/));
    assert.throws(
      () => attach(app, http, { rawSocket: loose({ handshakeTimout: 1 }) }),
      invalidOption(/^attach: rawSocket\.handshakeTimout is not an option \(did you mean handshakeTimeout\?\)$/),
    );
    assert.throws(() => webSocketEndpoint(app, loose({ maxPayloads: 1 })), invalidOption(/^webSocketEndpoint: maxPayloads is not an option \(did you mean maxPayload\?\)$/));
    assert.throws(() => rawSocketEndpoint(app, loose({ maxMessageLenght: 1024 })), invalidOption(/^rawSocketEndpoint: maxMessageLenght is not an option \(did you mean maxMessageLength\?\)$/));
    assert.throws(() => attachRawSocket(app, tcp, loose({ pingIntervall: 1 })), invalidOption(/^attachRawSocket: pingIntervall is not an option \(did you mean pingInterval\?\)$/));
    await assert.rejects(listenRawSocket(app, loose({ hots: '127.0.0.1' })), invalidOption(/^listenRawSocket: hots is not an option \(did you mean host\?\)$/));
    // Nothing was started or hooked by the refused calls.
    assert.equal(http.listenerCount('upgrade'), 0);
    assert.equal(tcp.listenerCount('connection'), 0);
  });

  it('realm options: setCRAHandlers and addSessionStateHandler', () => {
    const realm = new Realm('realm1');
    const provider = (): undefined => undefined;
    assert.throws(
      () => realm.setCRAHandlers(provider, provider, loose({ unknownUser: {} })),
      invalidOption(/^setCRAHandlers: unknownUser is not an option \(did you mean unknownUsers\?\)$/),
    );
    assert.throws(
      () => realm.setCRAHandlers(provider, provider, { unknownUsers: loose({ iteration: 10 }) }),
      invalidOption(/^setCRAHandlers: unknownUsers\.iteration is not an option \(did you mean iterations\?\)$/),
    );
    assert.throws(
      () => realm.addSessionStateHandler(() => undefined, loose({ authenticated: false })),
      invalidOption(/^addSessionStateHandler: authenticated is not an option \(did you mean authenticatedOnly\?\)$/),
    );
  });

  it('suggests nothing for a key far from every option, and keeps a hostile key short', () => {
    assert.throws(() => new Application(loose({ zzzzzzzz: 1 })), invalidOption(/^zzzzzzzz is not an option$/));
    const long = 'x'.repeat(10_000);
    assert.throws(
      () => new Application(loose({ [long]: 1 })),
      (error: unknown) => error instanceof ServerwampError && error.message.length < 120,
    );
  });

  it('does not take inherited or prototype keys for options', () => {
    assert.throws(() => new Application(loose(JSON.parse('{"__proto__": {"callTimeout": 1}}'))), invalidOption(/^__proto__ is not an option$/));
    assert.throws(() => new Application(loose({ toString: 1 })), invalidOption(/^toString is not an option$/));
    // Inherited keys are not options, and not errors either.
    assert.doesNotThrow(() => new Application(Object.create({ callTimout: 1 }) as object));
  });
});

describe('option value types', () => {
  it("uriValidation: 'strcit' names the allowed values", () => {
    assert.throws(() => new Application(loose({ uriValidation: 'strcit' })), invalidOption(/^uriValidation must be 'loose' or 'strict'$/));
  });

  it('wrong types throw, naming the key', () => {
    const cases: [unknown, RegExp][] = [
      [{ callTimeout: '5000' }, /^callTimeout must be a non-negative number$/],
      [{ maxConcurrentCalls: -1 }, /^maxConcurrentCalls must be a non-negative integer$/],
      [{ maxRegistrations: 2.5 }, /^maxRegistrations must be a non-negative integer$/],
      [{ maxPendingInvocations: Infinity }, /^maxPendingInvocations must be a non-negative integer$/],
      [{ allowDefaultRealm: 'no' }, /^allowDefaultRealm must be a boolean$/],
      [{ protocols: 'wamp.2.json' }, /^protocols must be a list of strings$/],
      [{ json: { decodeBinary: 1 } }, /^json\.decodeBinary must be a boolean$/],
      [{ events: { maxSubscriptions: 1.5 } }, /^events\.maxSubscriptions must be a non-negative integer$/],
      [{ events: { slowConsumer: { policy: 'ignore' } } }, /^events\.slowConsumer\.policy must be 'drop' or 'close'$/],
      [{ events: { slowConsumer: { onDrop: 'log' } } }, /^events\.slowConsumer\.onDrop must be a function$/],
      [{ events: [] }, /^events must be an object$/],
      [{ agent: 42 }, /^agent must be a string$/],
      // setTimeout would fire after 1 ms instead.
      [{ helloTimeout: 2 ** 31 }, /^helloTimeout must be a number of milliseconds from 0 to 2147483647$/],
    ];
    for (const [options, pattern] of cases) assert.throws(() => new Application(loose(options)), invalidOption(pattern), JSON.stringify(options));
    assert.throws(() => new Application(loose('fast')), invalidOption(/^the options must be an object$/));
  });

  it('wrong types in serving and route options throw, naming the key', async () => {
    const app = new Application();
    await assert.rejects(listen(app, loose({ port: 'http' })), invalidOption(/^listen: port must be a port number from 0 to 65535$/));
    await assert.rejects(listen(app, loose({ rawSocket: 'yes' })), invalidOption(/^listen: rawSocket must be a boolean or an object$/));
    assert.throws(() => webSocketEndpoint(app, loose({ allowedOrigins: 'https://example.com' })), invalidOption(/^webSocketEndpoint: allowedOrigins must be a list of strings or a function$/));
    assert.throws(() => webSocketEndpoint(app, { pingInterval: 2 ** 32 }), invalidOption(/^webSocketEndpoint: pingInterval must be a number of milliseconds/));
    assert.throws(() => rawSocketEndpoint(app, loose({ maxConnections: -1 })), invalidOption(/^rawSocketEndpoint: maxConnections must be a non-negative number$/));
    assert.throws(
      () => new RPCRouteSet().route('a.b', loose({ params: ['x'], timeout: 'soon' }), () => 0),
      invalidOption(/^the route "a\.b": timeout must be a non-negative number$/),
    );
  });

  it('accepts every documented option, and explicit undefined as the default', async () => {
    const app = new Application({
      context: {},
      allowDefaultRealm: true,
      uriValidation: 'strict',
      strictRequestIds: false,
      cancelReply: 'always',
      maxConcurrentCalls: 10,
      callTimeout: 1000,
      clientRegistrations: false,
      maxRegistrations: 5,
      maxPendingInvocations: 5,
      goodbyeTimeout: 100,
      helloTimeout: 100,
      authenticationTimeout: 100,
      protocols: ['wamp.2.json'],
      json: { decodeBinary: false, encodeBinary: false },
      agent: 'test',
      events: { maxSubscriptions: 3, maxPendingPublications: 3, slowConsumer: { policy: 'close', eventBufferLimit: 1024, bufferLimit: 2048, onDrop: () => undefined } },
      ...loose({ logger: undefined }),
    });
    const server = await listen(app, { port: 0, host: '127.0.0.1', path: '/wamp', rawSocket: { handshakeTimeout: 1000 }, pingInterval: 0 });
    await server.close();
    const rawServer = await listenRawSocket(app, { port: 0, host: '127.0.0.1', maxMessageLength: 1024, maxConnections: Infinity });
    await rawServer.close();
    new RPCRouteSet().route('a.b', { params: ['x'], timeout: 10, description: 'adds' }, () => 0);
  });
});
