/**
 * Misuse of the API fails fast with a ServerwampError naming the problem, and
 * failures are never silent: without a logger, warnings and errors reach the
 * console; a console-shaped logger works as it is.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, it } from 'node:test';
import {
  Application,
  RPCRouteSet,
  ServerwampError,
  TopicRouteSet,
  WampError,
  consoleLogger,
  silentLogger,
  type ServerwampErrorCode,
} from '../src/index.js';
import { createSerializers } from '../src/adapter.js';
import { attach, attachRawSocket, listen } from '../src/node/index.js';
import { connectTestPeer } from '../src/testing.js';

const HELLO = 1;
const WELCOME = 2;
const ERROR = 8;
const CALL = 48;

function rejects(code: ServerwampErrorCode, pattern: RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof ServerwampError, `expected a ServerwampError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    return true;
  };
}

/** Captures what is written to console.warn and console.error while `run` runs. */
async function capturingConsole(run: () => Promise<void>): Promise<unknown[][]> {
  const lines: unknown[][] = [];
  const { warn, error } = console;
  console.warn = (...data: unknown[]) => void lines.push(['warn', ...data]);
  console.error = (...data: unknown[]) => void lines.push(['error', ...data]);
  try {
    await run();
  } finally {
    console.warn = warn;
    console.error = error;
  }
  return lines;
}

async function callFailingProcedure(app: Application): Promise<unknown[]> {
  const routes = new RPCRouteSet();
  routes.route('fails', () => {
    throw new Error('database is down');
  });
  app.addRPCRoutes(routes);
  const peer = connectTestPeer(app);
  peer.send([HELLO, 'realm1', { roles: { caller: {} } }]);
  assert.equal((await peer.next())[0], WELCOME);
  peer.send([CALL, 1, {}, 'fails', []]);
  const reply = await peer.next();
  await app.close();
  return reply;
}

describe('API misuse fails fast', () => {
  it('attaching twice to one server on the same path throws ERR_ALREADY_ATTACHED; another path, or after close, is fine', async () => {
    const app = new Application({ logger: silentLogger });
    const server = createServer();
    const first = attach(app, server, { path: '/ws' });
    assert.throws(() => attach(app, server, { path: '/ws' }), rejects('ERR_ALREADY_ATTACHED', /already serves WAMP on \/ws/));
    assert.throws(() => attach(new Application({ logger: silentLogger }), server, { path: '/ws' }), rejects('ERR_ALREADY_ATTACHED', /\/ws/));
    const other = attach(app, server, { path: '/other' });
    const everyPath = attach(app, server);
    assert.throws(() => attach(app, server), rejects('ERR_ALREADY_ATTACHED', /every path/));
    await first.close();
    const again = attach(app, server, { path: '/ws' });
    await Promise.all([again.close(), other.close(), everyPath.close()]);
    await app.close();
  });

  it('a protocols entry serverwamp does not speak throws ERR_UNSUPPORTED_PROTOCOL naming it', () => {
    assert.throws(
      () => new Application({ logger: silentLogger, protocols: ['wamp.2.json', 'wamp.2.ubjson'] }),
      rejects('ERR_UNSUPPORTED_PROTOCOL', /"wamp\.2\.ubjson"/),
    );
    assert.throws(() => createSerializers(['wamp.2.flatbuffers']), rejects('ERR_UNSUPPORTED_PROTOCOL', /flatbuffers/));
  });

  it('listen with a path without its leading slash throws ERR_INVALID_OPTION naming path', async () => {
    const app = new Application({ logger: silentLogger });
    await assert.rejects(listen(app, { path: 'ws' }), rejects('ERR_INVALID_OPTION', /path/));
    await app.close();
  });

  it('attach and attachRawSocket without a server throw ERR_INVALID_ARGUMENT', () => {
    const app = new Application({ logger: silentLogger });
    assert.throws(() => attach(app, {} as never), rejects('ERR_INVALID_ARGUMENT', /attach: the second argument must be a node:http/));
    assert.throws(() => attachRawSocket(app, { path: '/ws' } as never), rejects('ERR_INVALID_ARGUMENT', /attachRawSocket: the second argument/));
  });

  it('addRPCRoutes and addTopicRoutes take route sets only, and add nothing when one is wrong', () => {
    const app = new Application({ logger: silentLogger });
    assert.throws(() => app.addRPCRoutes({} as never), rejects('ERR_INVALID_ARGUMENT', /addRPCRoutes: argument 1 must be a RPCRouteSet, got an object/));
    assert.throws(() => app.addTopicRoutes({} as never), rejects('ERR_INVALID_ARGUMENT', /addTopicRoutes: argument 1 must be a TopicRouteSet/));
    assert.throws(() => app.addRPCRoutes('math' as never), rejects('ERR_INVALID_ARGUMENT', /got "math"/));
    const good = new RPCRouteSet();
    good.route('ok', () => 1);
    assert.throws(() => app.addRPCRoutes(good, [{ uri: 'x' }] as never), rejects('ERR_INVALID_ARGUMENT', /argument 2 .* not a route/));
    assert.throws(() => app.addTopicRoutes(new TopicRouteSet(), [null] as never), rejects('ERR_INVALID_ARGUMENT', /argument 2/));
    // The valid set before the bad one was not half-added: adding it now does not collide.
    app.addRPCRoutes(good);
  });

  it('new WampError without a URI throws ERR_INVALID_URI; a bad payload throws ERR_INVALID_ARGUMENT', () => {
    assert.throws(() => new WampError(undefined as never), rejects('ERR_INVALID_URI', /new WampError\(uri\): the URI must be a WAMP URI.*got undefined/));
    assert.throws(() => new WampError(''), rejects('ERR_INVALID_URI', /got ""/));
    assert.throws(() => new WampError('app.error', { args: 'x' as never }), rejects('ERR_INVALID_ARGUMENT', /args must be an array/));
    assert.throws(() => new WampError('app.error', { kwargs: [] as never }), rejects('ERR_INVALID_ARGUMENT', /kwargs must be an object/));
    assert.equal(new WampError('app.error.not_found', { args: ['no'] }).uri, 'app.error.not_found');
  });

  it('a procedure that throws new WampError(undefined) answers runtime_error', async () => {
    const app = new Application({ logger: silentLogger });
    const routes = new RPCRouteSet();
    routes.route('bad', () => {
      throw new WampError(undefined as never);
    });
    app.addRPCRoutes(routes);
    const peer = connectTestPeer(app);
    peer.send([HELLO, 'realm1', { roles: { caller: {} } }]);
    assert.equal((await peer.next())[0], WELCOME);
    peer.send([CALL, 1, {}, 'bad', []]);
    const reply = await peer.next();
    assert.deepEqual(reply.slice(0, 5), [ERROR, CALL, 1, {}, 'wamp.error.runtime_error']);
    await app.close();
  });

  it('publish and sendEvent check args and kwargs', () => {
    const app = new Application({ logger: silentLogger });
    assert.throws(() => app.publish('news', { args: 'x' as never }), rejects('ERR_INVALID_OPTION', /publish: args must be an array, got "x"/));
    assert.throws(() => app.publish('news', { kwargs: [1] as never }), rejects('ERR_INVALID_OPTION', /kwargs must be a plain object, got an array/));
    assert.throws(() => app.defaultRealm.publish('news', { kwargs: 'k' as never }), rejects('ERR_INVALID_OPTION', /kwargs/));
    assert.equal(typeof app.publish('news', { args: ['ok'], kwargs: { a: 1 } }), 'number');
  });
});

describe('no silent failures', () => {
  it('without a logger, a procedure that throws is reported on the console (with its stack), and the caller gets runtime_error', async () => {
    let reply: unknown[] = [];
    const lines = await capturingConsole(async () => {
      reply = await callFailingProcedure(new Application());
    });
    assert.equal(reply[4], 'wamp.error.runtime_error');
    assert.doesNotMatch(JSON.stringify(reply), /database is down/, 'nothing about the failure reaches the client');
    const reported = lines.find((line) => line.some((part) => part instanceof Error && part.message === 'database is down'));
    assert.ok(reported, `expected the failure on the console, got ${JSON.stringify(lines.map((l) => l.map(String)))}`);
    assert.equal(reported[0], 'error');
    assert.match(String(reported[1]), /^serverwamp: /);
  });

  it('silentLogger silences it', async () => {
    const lines = await capturingConsole(async () => {
      await callFailingProcedure(new Application({ logger: silentLogger }));
    });
    assert.deepEqual(lines, []);
  });

  it('a console-shaped logger (no child) works: sessions run and failures reach it', async () => {
    const seen: [string, unknown[]][] = [];
    const fakeConsole = {
      debug: (...data: unknown[]) => void seen.push(['debug', data]),
      info: (...data: unknown[]) => void seen.push(['info', data]),
      warn: (...data: unknown[]) => void seen.push(['warn', data]),
      error: (...data: unknown[]) => void seen.push(['error', data]),
    };
    const reply = await callFailingProcedure(new Application({ logger: fakeConsole }));
    assert.equal(reply[4], 'wamp.error.runtime_error');
    const failure = seen.find(([level, data]) => level === 'error' && data.some((part) => part instanceof Error));
    assert.ok(failure, 'the failure was logged');
    assert.ok(seen.every(([level]) => level !== 'debug'), 'a console-shaped logger writes from info up');
    // And the logger option refuses what is not a logger at all.
    assert.throws(() => new Application({ logger: {} as never }), rejects('ERR_INVALID_OPTION', /logger/));
  });

  it('consoleLogger binds child details and honours its level', () => {
    const seen: unknown[][] = [];
    const fake = { debug: (...d: unknown[]) => void seen.push(d), info: (...d: unknown[]) => void seen.push(d), warn: (...d: unknown[]) => void seen.push(d), error: (...d: unknown[]) => void seen.push(d) };
    const logger = consoleLogger({ level: 'warn', console: fake }).child({ peer: '10.0.0.1' }).child({ session: 7 });
    logger.info('not shown');
    logger.warn({ topic: 'news' }, 'slow consumer');
    assert.deepEqual(seen, [['serverwamp: slow consumer', { peer: '10.0.0.1', session: 7, topic: 'news' }]]);
  });
});
