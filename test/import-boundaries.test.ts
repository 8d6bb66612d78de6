/**
 * The layer rules of eslint.config.js fire: an upward import in a file of a
 * lower layer fails the lint (`npm test` runs `npm run lint`), while the
 * imports each layer is allowed pass.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });

async function restrictions(filePath: string, code: string, rule = 'no-restricted-imports'): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((message) => message.ruleId === rule).map((message) => message.message);
}

describe('import boundaries', () => {
  it('src/protocol may not import from the layers above it, nor Node', async () => {
    assert.match((await restrictions('src/protocol/probe.ts', "export { Realm } from '../realm.js';\n"))[0] ?? '', /src\/protocol may import only/);
    assert.match((await restrictions('src/protocol/probe.ts', "import { a } from '../rpc/dealer.js';\nexport const b = a;\n"))[0] ?? '', /src\/protocol may import only/);
    assert.match((await restrictions('src/protocol/probe.ts', "export { readFileSync } from 'node:fs';\n"))[0] ?? '', /Only src\/node/);
    assert.deepEqual(await restrictions('src/protocol/probe.ts', "export { isValidURI } from './uri.js';\n"), []);
  });

  it('src/serializers may import protocol and leaf utilities only', async () => {
    assert.deepEqual(await restrictions('src/serializers/probe.ts', "export { build } from '../protocol/build.js';\nexport { ServerwampError } from '../errors.js';\n"), []);
    assert.match((await restrictions('src/serializers/probe.ts', "export type { Session } from '../session.js';\n"))[0] ?? '', /src\/serializers may import only/);
  });

  it('src/metrics may import protocol and leaf utilities only: the engine reports to it, never the reverse', async () => {
    assert.deepEqual(await restrictions('src/metrics/probe.ts', "export { WampURI } from '../protocol/uris.js';\nexport { exceedsLength } from '../frame-length.js';\n"), []);
    assert.match((await restrictions('src/metrics/probe.ts', "export type { Session } from '../model/session.js';\n"))[0] ?? '', /src\/metrics may import only/);
    assert.match((await restrictions('src/metrics/probe.ts', "export { Connection } from '../engine/connection.js';\n"))[0] ?? '', /src\/metrics may import only/);
  });

  it('src/routing may import protocol only', async () => {
    assert.match((await restrictions('src/routing/probe.ts', "export { Procedure } from '../rpc/procedure.js';\n"))[0] ?? '', /src\/routing may import only/);
  });

  /** The first layer-rule message for `code` in `filePath`, or '' when none fires. */
  async function upward(filePath: string, code: string): Promise<string> {
    return (await restrictions(filePath, code))[0] ?? '';
  }

  it('the L0 leaves at the root of src/ import nothing above them', async () => {
    assert.match(await upward('src/errors.ts', "export type { Session } from './model/session.js';\n"), /src\/errors\.ts and the other root leaves may import only/);
    assert.match(await upward('src/options.ts', "export { Realm } from './realm.js';\n"), /may import only/);
    assert.deepEqual(await restrictions('src/errors.ts', "export type { Dict } from './protocol/messages.js';\n"), []);
  });

  it('L1 (model/, the transport contract) imports only L0', async () => {
    assert.match(await upward('src/model/probe.ts', "export type { RPCRequest } from '../rpc/request.js';\n"), /src\/model may import only/);
    assert.match(await upward('src/model/probe.ts', "export type { ServerSession } from '../engine/session.js';\n"), /src\/model may import only/);
    assert.match(await upward('src/transport.ts', "export type { Session } from './model/session.js';\n"), /src\/transport\.ts may import only/);
    assert.deepEqual(await restrictions('src/model/probe.ts', "export type { Dict } from '../protocol/messages.js';\nexport type { TransportInfo } from '../transport-info.js';\n"), []);
  });

  it('L2 (auth/, rpc/, events/) imports only L0 and L1, and rpc and events not each other', async () => {
    assert.match(await upward('src/auth/probe.ts', "export type { Realm } from '../realm.js';\n"), /src\/auth may import only/);
    assert.match(await upward('src/auth/probe.ts', "export type { Connection } from '../engine/connection.js';\n"), /src\/auth may import only/);
    assert.match(await upward('src/rpc/probe.ts', "export type { SubscribeRequest } from '../events/topic-handler.js';\n"), /src\/rpc may import only/);
    assert.match(await upward('src/events/probe.ts', "export type { RPCRequest } from '../rpc/request.js';\n"), /src\/events may import only/);
    assert.match(await upward('src/rpc/probe.ts', "export type { PendingSession } from '../auth/pending-session.js';\n"), /only auth\/authorize\.js/);
    assert.deepEqual(await restrictions('src/rpc/probe.ts', "export { authorize } from '../auth/authorize.js';\nexport type { Session } from '../model/session.js';\n"), []);
    assert.deepEqual(await restrictions('src/auth/probe.ts', "export type { Session } from '../model/session.js';\n"), []);
  });

  it('L3 (realm.ts, meta/) imports only L0 to L2', async () => {
    assert.match(await upward('src/realm.ts', "export type { Connection } from './engine/connection.js';\n"), /src\/realm\.ts may import only/);
    assert.match(await upward('src/meta/probe.ts', "export type { Realm } from '../realm.js';\n"), /src\/meta may import only/);
    assert.deepEqual(await restrictions('src/realm.ts', "export { Dealer } from './rpc/dealer.js';\n"), []);
  });

  it('scale-out drivers (cluster/) see only the backplane contract; the session directory only model/', async () => {
    assert.match(await upward('src/cluster/probe.ts', "export type { Broker } from '../events/broker.js';\n"), /src\/cluster may import only events\/backplane\.js/);
    assert.match(await upward('src/cluster/probe.ts', "export type { Realm } from '../realm.js';\n"), /src\/cluster may import only/);
    assert.deepEqual(await restrictions('src/cluster/probe.ts', "export type { Backplane } from '../events/backplane.js';\n"), []);
    assert.match(await upward('src/session-directory.ts', "export type { Realm } from './realm.js';\n"), /src\/session-directory\.ts may import only/);
  });

  it('serverwamp/redis sees only L0 and the backplane and retained-store contracts, and no Node', async () => {
    assert.match(await upward('src/redis/probe.ts', "export type { Broker } from '../events/broker.js';\n"), /src\/redis may import only events\/backplane\.js and events\/retained-store\.js/);
    assert.match(await upward('src/redis/probe.ts', "export type { Application } from '../application.js';\n"), /src\/redis may import only/);
    assert.match(await upward('src/redis/probe.ts', "export { connect } from 'node:net';\n"), /Only src\/node/);
    assert.deepEqual(await restrictions('src/redis/probe.ts', "export type { RetainedStore } from '../events/retained-store.js';\n"), []);
  });

  it('L4 (engine/) imports only L0 to L3', async () => {
    assert.match(await upward('src/engine/probe.ts', "export type { Application } from '../application.js';\n"), /src\/engine may import only/);
    assert.match(await upward('src/engine/probe.ts', "export { listen } from '../node/index.js';\n"), /src\/engine may import only/);
    assert.deepEqual(await restrictions('src/engine/probe.ts', "export type { Realm } from '../realm.js';\n"), []);
  });

  it('L5 (the application and the public entries) does not reach the Node adapter', async () => {
    assert.match(await upward('src/testing.ts', "export { listen } from './node/index.js';\n"), /src\/adapter\.ts may import only/);
    assert.match(await upward('src/application.ts', "export { listen } from './node/index.js';\n"), /may import only/);
    assert.match(await upward('src/index.ts', "export { attach } from './node/serve-websocket.js';\n"), /may import only/);
    assert.deepEqual(await restrictions('src/adapter.ts', "export type { Connection } from './engine/connection.js';\n"), []);
  });

  it('serverwamp/fastify (L6) serves through src/node, never src/web, and reaches Node only through src/node', async () => {
    assert.deepEqual(await restrictions('src/fastify/probe.ts', "export { attachWebSocket } from '../node/websocket.js';\nexport type { Application } from '../application.js';\n"), []);
    assert.match(await upward('src/fastify/probe.ts', "export { serveBun } from '../web/index.js';\n"), /src\/fastify serves through the Node adapter/);
    assert.match(await upward('src/fastify/probe.ts', "export * from 'node:http';\n"), /Only src\/node/);
    assert.match(await upward('src/application.ts', "export { serverwamp } from './fastify/index.js';\n"), /may import only/);
  });

  it('L6 serverwamp/cloudflare builds on src/web but never reaches the Node adapter or Node', async () => {
    assert.match(await upward('src/cloudflare/probe.ts', "export { listen } from '../node/index.js';\n"), /src\/cloudflare is runtime-neutral/);
    assert.match(await upward('src/cloudflare/probe.ts', "export * from 'node:events';\n"), /Only src\/node/);
    assert.deepEqual(await restrictions('src/cloudflare/probe.ts', "export { WebEndpoint } from '../web/endpoint.js';\n"), []);
  });

  it('serverwamp/hono is runtime-neutral: no Node adapter, no Node built-in; src/web is its to use', async () => {
    assert.match(await upward('src/hono/probe.ts', "export { attach } from '../node/serve-websocket.js';\n"), /src\/hono is runtime-neutral/);
    assert.match(await upward('src/hono/probe.ts', "export { createServer } from 'node:http';\n"), /Only src\/node/);
    assert.deepEqual(await restrictions('src/hono/probe.ts', "export { serveBun } from '../web/bun.js';\n"), []);
  });

  it('only src/node may import any Node built-in (node:crypto included)', async () => {
    for (const name of ['node:crypto', 'node:util', 'node:fs', 'node:events']) {
      for (const probe of ['src/auth/probe.ts', 'src/probe.ts', 'src/serializers/probe.ts']) {
        assert.match((await restrictions(probe, `export * from '${name}';\n`))[0] ?? '', /Only src\/node/, `${name} in ${probe}`);
      }
      assert.deepEqual(await restrictions('src/node/probe.ts', `export * from '${name}';\n`), [], name);
    }
  });

  it('only src/node may use the Node globals Buffer and process', async () => {
    for (const code of ["export const a = Buffer.from('x');\n", 'export const b = process.env;\n', 'setImmediate(() => {});\n']) {
      assert.match((await restrictions('src/auth/probe.ts', code, 'no-restricted-globals'))[0] ?? '', /Only src\/node/, code);
      assert.deepEqual(await restrictions('src/node/probe.ts', code, 'no-restricted-globals'), [], code);
    }
    assert.deepEqual(await restrictions('src/auth/probe.ts', 'export const c = new TextEncoder().encode(globalThis.crypto.randomUUID());\n', 'no-restricted-globals'), []);
  });

  it('tracing: src/tracing imports only L0 and model/; serverwamp/opentelemetry only L0, model/ and tracing/, and no Node', async () => {
    assert.match(await upward('src/tracing/probe.ts', "export type { Dealer } from '../rpc/dealer.js';\n"), /src\/tracing may import only/);
    assert.deepEqual(await restrictions('src/tracing/probe.ts', "export type { Session } from '../model/session.js';\n"), []);
    assert.match(await upward('src/opentelemetry/probe.ts', "export type { Application } from '../application.js';\n"), /src\/opentelemetry may import only/);
    assert.match(await upward('src/opentelemetry/probe.ts', "export * from 'node:diagnostics_channel';\n"), /Only src\/node/);
    assert.deepEqual(await restrictions('src/opentelemetry/probe.ts', "export { tracingChannel } from '../tracing/channels.js';\n"), []);
    assert.deepEqual(await restrictions('src/rpc/probe.ts', "export { tracingChannel } from '../tracing/channels.js';\n"), []);
  });

  it('only the runtime probe (src/tracing/channels.ts) reaches Node through globalThis.process or getBuiltinModule', async () => {
    const probe = "export const dc = globalThis.process.getBuiltinModule('node:diagnostics_channel');\n";
    const rule = 'no-restricted-properties';
    for (const file of ['src/rpc/probe.ts', 'src/tracing/probe.ts', 'src/probe.ts', 'src/opentelemetry/probe.ts']) {
      const messages = await restrictions(file, probe, rule);
      assert.equal(messages.length, 2, file);
      assert.match(messages[0] ?? '', /Only src\/tracing\/channels\.ts may reach the runtime/, file);
    }
    assert.match((await restrictions('src/rpc/probe.ts', "export const m = (globalThis as any).x.getBuiltinModule('node:fs');\n", rule))[0] ?? '', /Only src\/tracing\/channels\.ts/);
    assert.deepEqual(await restrictions('src/tracing/channels.ts', probe, rule), []);
    assert.deepEqual(await restrictions('src/node/probe.ts', probe, rule), []);
  });

  it('serverwamp/client imports only types from the server, so none of it reaches a browser bundle', async () => {
    const rule = '@typescript-eslint/no-restricted-imports';
    assert.match((await restrictions('src/client/probe.ts', "import { ServerwampError } from '../errors.js';\nexport const e = ServerwampError;\n", rule))[0] ?? '', /may import only types/);
    assert.match((await restrictions('src/client/probe.ts', "export { Application } from '../application.js';\n", rule))[0] ?? '', /may import only types/);
    assert.deepEqual(await restrictions('src/client/probe.ts', "export type { Application } from '../application.js';\nexport type { Payload } from '../api-shape.js';\n", rule), []);
    assert.deepEqual(await restrictions('src/client/probe.ts', "export { CallError } from './errors.js';\n", rule), []);
  });

  it('only src/node may import ws or Node networking', async () => {
    for (const name of ['ws', 'node:http', 'node:https', 'node:net', 'node:tls']) {
      assert.match((await restrictions('src/rpc/probe.ts', `export * from '${name}';\n`))[0] ?? '', /Only src\/node/, name);
      assert.match((await restrictions('src/application.ts', `export * from '${name}';\n`))[0] ?? '', /Only src\/node/, name);
      assert.deepEqual(await restrictions('src/node/probe.ts', `export * from '${name}';\n`), [], name);
    }
  });
});
