/**
 * The Fastify plugin shares Fastify's logger: serverwamp's lines arrive in
 * Fastify's log stream, named `serverwamp`, at pino's level for theirs. An
 * application given its own logger keeps it; with Fastify's logging off
 * (its default), serverwamp's default (warnings and errors on the console)
 * stays, so a failing procedure is never silent.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Application, RPCRouteSet, consoleLogger } from '../src/index.js';
import { recordingLogger } from './helpers/auth.js';
import { connectAutobahn } from './helpers/clients.js';
import { serveFastify } from './helpers/fastify.js';
import { RawClient } from './helpers/raw-client.js';

const PINO_LEVEL = { debug: 20, info: 30, warn: 40, error: 50 } as const;

function failingApp(options: ConstructorParameters<typeof Application>[0] = {}): Application {
  return new Application(options).addRPCRoutes(
    new RPCRouteSet().route('fail', () => {
      throw new Error('disk on fire');
    }),
  );
}

/** Fastify logger options writing each line, parsed, to `lines`. */
function captured(lines: Array<Record<string, any>>, level = 'debug'): { level: string; stream: { write(line: string): void } } {
  return { level, stream: { write: (line) => void lines.push(JSON.parse(line)) } };
}

async function callFail(url: string): Promise<void> {
  const client = await connectAutobahn(url);
  try {
    await assert.rejects(client.session.call('fail'), (error: any) => {
      assert.equal(error.error, 'wamp.error.runtime_error');
      assert.doesNotMatch(JSON.stringify(error.args ?? []), /disk on fire/);
      return true;
    });
  } finally {
    await client.close();
  }
}

describe("the Fastify plugin's logging", () => {
  it("writes serverwamp's lines to Fastify's log, named serverwamp, each at its level", async (t) => {
    const lines: Array<Record<string, any>> = [];
    const { url } = await serveFastify(failingApp(), t, {
      fastify: { logger: captured(lines) },
      plugin: { allowedOrigins: () => {
        throw new Error('origin check broke');
      } },
    });
    await assert.rejects(RawClient.connect(url, 'wamp.2.json', { origin: 'https://app.example' }), (error: any) => error.status === 400);
    // Without an Origin header the predicate is not asked: the session opens.
    await callFail(url);
    const ours = lines.filter((line) => line['name'] === 'serverwamp');
    const failed = ours.find((line) => line['msg'] === 'procedure failed');
    assert.ok(failed, `a "procedure failed" line in ${JSON.stringify(ours.map((line) => line['msg']))}`);
    assert.equal(failed['level'], PINO_LEVEL.error);
    assert.equal(failed['err']?.message, 'disk on fire', "Fastify's err serializer saw the error");
    assert.equal(failed['peer'], '127.0.0.1', "the connection's bindings came along");
    assert.equal(ours.find((line) => line['msg'] === 'upgrade failed')?.['level'], PINO_LEVEL.warn);
    assert.equal(ours.find((line) => line['msg'] === 'session established')?.['level'], PINO_LEVEL.debug);
  });

  it("follows Fastify's level: below it, serverwamp's lines are dropped", async (t) => {
    const lines: Array<Record<string, any>> = [];
    const { url } = await serveFastify(failingApp(), t, { fastify: { logger: captured(lines, 'warn') } });
    await callFail(url);
    const ours = lines.filter((line) => line['name'] === 'serverwamp');
    assert.deepEqual(
      ours.map((line) => [line['level'], line['msg']]),
      [[PINO_LEVEL.error, 'procedure failed']],
    );
  });

  it("keeps the application's own logger when it was given one", async (t) => {
    const lines: Array<Record<string, any>> = [];
    const own = recordingLogger();
    const { url } = await serveFastify(failingApp({ logger: own }), t, { fastify: { logger: captured(lines) } });
    await callFail(url);
    assert.ok(own.records.some((record) => record.endsWith('procedure failed')), 'the application logger got the line');
    assert.deepEqual(lines.filter((line) => line['name'] === 'serverwamp'), []);
  });

  it("keeps serverwamp's console default when Fastify does not log", async (t) => {
    const written: unknown[][] = [];
    const error = t.mock.method(console, 'error', (...args: unknown[]) => void written.push(args));
    const { url } = await serveFastify(failingApp(), t);
    await callFail(url);
    error.mock.restore();
    assert.ok(
      written.some((args) => args[0] === 'serverwamp: procedure failed'),
      `console.error got the line: ${JSON.stringify(written.map((args) => args[0]))}`,
    );
  });

  it("lends the host logger once, to the application's parts made before too; a second host does not take over", () => {
    const app = new Application();
    const madeBefore = app.logger.child({ peer: 'x' });
    const first = recordingLogger();
    assert.equal(app.useHostLogger(first), true);
    assert.equal(app.useHostLogger(consoleLogger()), false);
    madeBefore.warn({ n: 1 }, 'to the first');
    app.logger.error('plain');
    assert.deepEqual(first.records, ['{"n":1}to the first', '"plain"']);
    assert.equal(new Application({ logger: recordingLogger() }).useHostLogger(first), false);
  });
});
